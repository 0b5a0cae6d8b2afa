/**
 * A 10,000-line Python module of small top-level functions, generated rather than committed. Shared by the workspace
 * preparation (outside VS Code) and the extension-host suites (bundled into them), so it must not depend on the
 * module's own location.
 */
export const BIG_MODULE_NAME = 'big_module.py';
export const BIG_MODULE_LINES = 10_000;
const HEADER = ['"""Generated for the CodeLens performance check: many small top-level functions."""', '', 'import math', '', ''];
const LINES_PER_FUNCTION = 5;
/** (10,000 − 5 header lines) / 5 lines each. */
export const BIG_MODULE_FUNCTIONS = (BIG_MODULE_LINES - HEADER.length) / LINES_PER_FUNCTION;

export function bigModuleText(): string {
  const lines = [...HEADER];
  for (let i = 0; i < BIG_MODULE_FUNCTIONS; i++) {
    const name = `function_${String(i).padStart(4, '0')}`;
    lines.push(
      `def ${name}(values):`,
      `    """Sum of the values shifted by ${i}, then square-rooted."""`,
      `    total = sum(value + ${i} for value in values)`,
      '    return math.sqrt(abs(total))',
      '',
    );
  }
  return lines.join('\n');
}
