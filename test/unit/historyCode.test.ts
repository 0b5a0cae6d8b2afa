/** Finding a run's function again in edited code, and deciding whether an applied patch can still be reverted. */
import assert from 'node:assert/strict';
import { findPythonFunction } from '../../extension/history/findPythonFunction.js';
import { planRevert } from '../../extension/history/planRevert.js';

const MODULE = [
  'import os',                       // 0
  '',                                // 1
  '@cache',                          // 2
  '@other(1)',                       // 3
  'def find_duplicates(xs):',        // 4
  '    seen = set()',                // 5
  '# a comment at column 0',         // 6
  '',                                // 7
  '    return seen',                 // 8
  '',                                // 9
  '',                                // 10
  'class Box:',                      // 11
  '    async def find_duplicates[T](self, xs: list[T]):', // 12
  '        return []',               // 13
  '',                                // 14
  '    def find_duplicates_fast(self):', // 15
  '        pass',                    // 16
  'x = 1',                           // 17
].join('\n');

describe('finding a Python function by name (fallback locator)', () => {
  it('spans the decorators through the last body line, across blank lines and outdented comments', () => {
    assert.deepEqual(findPythonFunction(MODULE, 'find_duplicates', 4), { startLine: 2, endLine: 8 });
  });

  it('prefers the definition nearest the old line when names repeat (async, type parameters)', () => {
    assert.deepEqual(findPythonFunction(MODULE, 'find_duplicates', 13), { startLine: 12, endLine: 13 });
  });

  it('matches whole names only, and CRLF text too', () => {
    assert.deepEqual(findPythonFunction(MODULE.replace(/\n/g, '\r\n'), 'find_duplicates_fast'), { startLine: 15, endLine: 16 });
    assert.equal(findPythonFunction(MODULE, 'find'), undefined);
    assert.equal(findPythonFunction(MODULE, 'a.b'), undefined, 'the name is not a regex');
  });
});

describe('planning a revert', () => {
  const before = 'def f(xs):\n    return sorted(xs)[0]\n';
  const after = 'def f(xs):\n    return min(xs)\n';
  const file = (body: string): string => `import os\n\n${body}\nprint(1)\n`;

  it('replaces the applied code with the original when it is still there verbatim', () => {
    const text = file(after);
    const plan = planRevert(text, { before, after });
    assert.deepEqual(plan, { kind: 'replace', start: 11, end: 11 + after.length, text: before });
    if (plan.kind === 'replace') assert.equal(text.slice(0, plan.start) + plan.text + text.slice(plan.end), file(before));
  });

  it('refuses when the code changed since it was applied', () => {
    assert.deepEqual(planRevert(file(after.replace('min', 'max')), { before, after }), { kind: 'changed' });
    assert.deepEqual(planRevert(file(after), { before, after: '  \n' }), { kind: 'changed' }, 'an empty patch locates nothing');
  });

  it('follows the document’s line endings', () => {
    const crlf = file(after).replace(/\n/g, '\r\n');
    const plan = planRevert(crlf, { before, after });
    assert.equal(plan.kind, 'replace');
    if (plan.kind === 'replace') assert.equal(plan.text, before.replace(/\n/g, '\r\n'));
    const lf = planRevert(file(after), { before: before.replace(/\n/g, '\r\n'), after: after.replace(/\n/g, '\r\n') });
    assert.equal(lf.kind === 'replace' && lf.text, before);
  });

  it('uses the located function to choose among identical copies, and refuses when it cannot', () => {
    const text = `${after}\n${after}`;
    assert.deepEqual(planRevert(text, { before, after }), { kind: 'ambiguous', occurrences: 2 });
    const second = after.length + 1;
    const plan = planRevert(text, { before, after }, { start: second, end: second + after.length });
    assert.equal(plan.kind === 'replace' && plan.start, second);
  });
});
