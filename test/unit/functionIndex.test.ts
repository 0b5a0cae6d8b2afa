import assert from 'node:assert/strict';
import { FunctionIndex, type TextChange } from '../../extension/codeLens/functionIndex.js';

const SOURCE = `import os


@decorator
def first(a):
    return a


class Shape:
    def area(self):
        return 0

    @property
    def name(self):
        return "shape"


def second(b):
    def inner():
        return b
    return inner()
`;

/** A change as VS Code reports it, computed from the text before the change. */
function change(text: string, offset: number, removed: number, inserted: string): TextChange {
  const position = (at: number) => {
    const before = text.slice(0, at).split('\n');
    return { line: before.length - 1, character: (before[before.length - 1] ?? '').length };
  };
  return { rangeOffset: offset, rangeLength: removed, text: inserted, range: { start: position(offset), end: position(offset + removed) } };
}

describe('function index (CodeLens positions)', () => {
  it('lists module-level functions and methods with their def lines, but not nested functions', async () => {
    const index = new FunctionIndex();
    const functions = await index.functions('a.py', 1, SOURCE);
    assert.deepEqual(
      functions.map((f) => [f.qualifiedName, f.kind, f.startLine, f.defLine]),
      [
        ['first', 'function', 3, 4],
        ['Shape.area', 'method', 9, 9],
        ['Shape.name', 'method', 12, 13],
        ['second', 'function', 17, 17],
      ],
    );
    index.dispose();
  });

  it('follows edits incrementally and agrees with a fresh parse after each one', async () => {
    const index = new FunctionIndex();
    let text = SOURCE;
    let version = 1;
    await index.functions('a.py', version, text);
    const edits: [number, number, string][] = [
      [text.indexOf('def second'), 0, 'def added(x):\n    return x\n\n\n'],
      [0, 'import os\n'.length, ''],
      [SOURCE.indexOf('class Shape'), 0, '# comment\n'],
    ];
    for (const [rawOffset, removed, inserted] of edits) {
      const offset = Math.min(rawOffset, text.length);
      const c = change(text, offset, removed, inserted);
      text = text.slice(0, offset) + inserted + text.slice(offset + removed);
      index.applyChanges('a.py', [c], version, version + 1);
      version++;
      const incremental = await index.functions('a.py', version, text);
      const fresh = new FunctionIndex();
      assert.deepEqual(incremental, await fresh.functions('b.py', 1, text));
      fresh.dispose();
    }
    const names = (await index.functions('a.py', version, text)).map((f) => f.name);
    assert.ok(names.includes('added'));
    index.dispose();
  });

  it('ignores a change event that does not follow on from the indexed version, and re-parses from scratch', async () => {
    const index = new FunctionIndex();
    await index.functions('a.py', 1, SOURCE);
    index.applyChanges('a.py', [change(SOURCE, 0, 0, 'x = 1\n')], 5, 6);
    const text = `def only():\n    pass\n`;
    assert.deepEqual((await index.functions('a.py', 7, text)).map((f) => f.name), ['only']);
    index.dispose();
  });

  it('handles a 10,000-line file', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) lines.push(`def f${i}(x):`, '    y = x + 1', '    z = y * 2', '    return z', '');
    const text = lines.join('\n');
    const index = new FunctionIndex();
    const functions = await index.functions('big.py', 1, text);
    assert.equal(functions.length, 2000);
    const offset = text.indexOf('def f1000');
    index.applyChanges('big.py', [change(text, offset, 0, '# hot\n')], 1, 2);
    const after = await index.functions('big.py', 2, text.slice(0, offset) + '# hot\n' + text.slice(offset));
    assert.equal(after[1000]?.defLine, 5001);
    index.dispose();
  });
});

describe('function index for JavaScript and TypeScript', () => {
  it('finds function declarations and functions assigned to names, exported or not, but not methods or inner functions', async () => {
    const source = [
      "import { x } from './x.js';",
      'export function first(a) {',
      '  function inner() { return a; }',
      '  return inner();',
      '}',
      'const second = (b) => b * 2;',
      'export const third = function (c) { return c; };',
      'let notAFunction = 3;',
      'class Shape { area() { return 0; } }',
      'async function fourth() {}',
      '',
    ].join('\n');
    const index = new FunctionIndex('javascript');
    const functions = await index.functions('a.mjs', 1, source);
    assert.deepEqual(functions.map((f) => [f.name, f.defLine]), [['first', 1], ['second', 5], ['third', 6], ['fourth', 9]]);
    index.dispose();
    const ts = new FunctionIndex('typescript');
    const typed = await ts.functions('a.ts', 1, 'export function sum(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\nconst half = (n: number): number => n / 2;\n');
    assert.deepEqual(typed.map((f) => f.name), ['sum', 'half']);
    ts.dispose();
  });
});
