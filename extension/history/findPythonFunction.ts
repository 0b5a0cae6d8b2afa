/**
 * A plain-text fallback for finding a Python function by name when the host has no precise locator: the `def` line (with
 * the decorators above it) through the last line indented deeper than it. Lines may have moved since the run, so when
 * several functions share the name (methods of different classes) the one nearest the old line wins.
 */

export interface LineSpan {
  /** 0-based, inclusive. */
  startLine: number;
  endLine: number;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function isBlankOrComment(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed.startsWith('#');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `nearLine` (0-based) breaks ties between functions of the same name. */
export function findPythonFunction(text: string, name: string, nearLine = 0): LineSpan | undefined {
  const lines = text.split(/\r?\n/);
  // `def name(` or, with PEP 695 type parameters, `def name[T](`.
  const header = new RegExp(`^\\s*(?:async\\s+)?def\\s+${escapeRegExp(name)}\\s*[([]`);
  let best: LineSpan | undefined;
  lines.forEach((line, index) => {
    if (!header.test(line)) return;
    const span = spanFrom(lines, index);
    if (!best || Math.abs(span.startLine - nearLine) < Math.abs(best.startLine - nearLine)) best = span;
  });
  return best;
}

function spanFrom(lines: string[], defLine: number): LineSpan {
  const indent = indentOf(lines[defLine] ?? '');
  let startLine = defLine;
  while (startLine > 0) {
    const above = lines[startLine - 1] ?? '';
    if (!above.trimStart().startsWith('@') || indentOf(above) !== indent) break;
    startLine--;
  }
  // Blank lines and comments do not end the body (they may sit at any indentation); the first code line that is not
  // indented deeper than the `def` does.
  let endLine = defLine;
  for (let i = defLine + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (isBlankOrComment(line)) continue;
    if (indentOf(line) <= indent) break;
    endLine = i;
  }
  return { startLine, endLine };
}
