import assert from 'node:assert/strict';
import { FunctionIndex, lensTarget, type FunctionLocation, type TextChange } from '../../extension/codeLens/functionIndex.js';

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
  it('lists module-level functions and methods with their def lines, but not properties or nested functions', async () => {
    const index = new FunctionIndex();
    const functions = await index.functions('a.py', 1, SOURCE);
    assert.deepEqual(
      functions.map((f) => [f.qualifiedName, f.kind, f.startLine, f.defLine]),
      [
        ['first', 'function', 3, 4],
        ['Shape.area', 'method', 9, 9],
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
  it('finds function declarations and functions assigned to names, exported or not, and class methods, but not inner functions', async () => {
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
    assert.deepEqual(functions.map((f) => [f.qualifiedName, f.kind, f.defLine]), [
      ['first', 'function', 1],
      ['second', 'function', 5],
      ['third', 'function', 6],
      ['Shape.area', 'method', 8],
      ['fourth', 'function', 9],
    ]);
    index.dispose();
    const ts = new FunctionIndex('typescript');
    const typed = await ts.functions('a.ts', 1, 'export function sum(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\nconst half = (n: number): number => n / 2;\n');
    assert.deepEqual(typed.map((f) => f.name), ['sum', 'half']);
    ts.dispose();
  });

  it('offers the methods the runner can call: static and async ones, not constructors, accessors, #private or abstract ones', async () => {
    const source = [
      'export class Cart {', //                                   0
      '  #secret = 1;',
      '  private items: number[] = [];',
      '  constructor(items: number[]) { this.items = items; }',
      '  get size(): number { return this.items.length; }',
      '  set size(n: number) {}', //                              5
      '  #hidden(): number { return 1; }',
      '  total(): number {',
      '    return this.items.reduce((a, b) => a + b, 0);',
      '  }',
      '  static of(xs: number[]): Cart { return new Cart(xs); }', // 10
      '  async load(): Promise<void> {}',
      '}',
      'abstract class Shape {',
      '  abstract area(): number;',
      '  describe(): string { return `${this.area()}`; }', //      15
      '}',
      '',
    ].join('\n');
    const index = new FunctionIndex('typescript');
    const functions = await index.functions('cart.ts', 1, source);
    assert.deepEqual(functions.map((f) => [f.qualifiedName, f.startLine, f.endLine]), [
      ['Cart.total', 7, 9],
      ['Cart.of', 10, 10],
      ['Cart.load', 11, 11],
      ['Shape.describe', 15, 15],
    ]);
    index.dispose();
  });
});

describe('function index for C and C++', () => {
  /** `[qualifiedName, defLine]` of the functions that get a lens, and the lens target of each. */
  const lensed = (functions: readonly FunctionLocation[]) => functions.filter((f) => f.kind === 'function').map((f) => [f.qualifiedName, f.defLine]);

  it('finds C functions at file scope, static and pointer-returning ones, in an include-guarded header with extern "C"', async () => {
    const source = [
      '#ifndef STATS_H', //                                   0
      '#define STATS_H',
      '#include <stddef.h>',
      '#ifdef __cplusplus',
      'extern "C" {',
      '#endif', //                                            5
      'static inline int square(int x) { return x * x; }',
      'int *find(int *xs, size_t n, int key) {',
      '  for (size_t i = 0; i < n; i++) if (xs[i] == key) return xs + i;',
      '  return NULL;',
      '}', //                                                 10
      'char **split(const char *s);',
      'static long',
      'sum(const int *xs, size_t n)',
      '{',
      '  long total = 0;', //                                 15
      '  for (size_t i = 0; i < n; i++) total += xs[i];',
      '  return total;',
      '}',
      'struct point { int x, y; };',
      'int main(void) { return 0; }', //                      20
      'int knr(a) int a; { return a; }', //                     K&R: the runner wants typed parameters
      '#ifdef __cplusplus',
      '}',
      '#endif',
      '#endif',
      '',
    ].join('\n');
    const index = new FunctionIndex('c');
    const functions = await index.functions('stats.h', 1, source);
    assert.deepEqual(lensed(functions), [['square', 6], ['find', 7], ['sum', 12]], 'no prototype, no main, no K&R definition');
    assert.deepEqual(functions.find((f) => f.name === 'sum')?.endLine, 18);
    assert.ok(functions.every((f) => f.kind === 'function' && !f.overloaded && lensTarget(f).lines === undefined));
    assert.deepEqual(lensTarget(functions[1]!), { functionName: 'find' });
    index.dispose();
  });

  it('finds C++ free functions, namespaced (qualified) and extern "C" ones, but no methods, templates, prototypes or main', async () => {
    const source = [
      '#pragma once', //                                                            0
      '#include <vector>',
      'static int clamp(int x) { return x < 0 ? 0 : x; }',
      'std::vector<int>& sorted(std::vector<int>& v) { return v; }',
      'const char *name_of(int code) { return "x"; }',
      'int prototype(int);', //                                                     5
      'namespace geo {',
      'namespace detail { double dot(const double* a, const double* b) { return a[0] * b[0]; } }',
      'double norm(const std::vector<double>& v) { return 0; }',
      'double area(double r);',
      'class Shape {', //                                                           10
      ' public:',
      '  double area() const { return 0; }',
      '  double perimeter() const;',
      '};',
      '}', //                                                                       15
      'namespace a::b { int deep() { return 1; } }',
      'namespace { int hidden(int x) { return x; } }',
      'extern "C" int c_entry(int x) { return x; }',
      'extern "C" { long c_block(long x) { return x; } }',
      'double geo::Shape::perimeter() const { return 1; }', //                      20
      'double geo::area(double r) { return r * r; }',
      'template <typename T> T biggest(const std::vector<T>& v) { return v[0]; }',
      'template <> int biggest<int>(const std::vector<int>& v) { return v[0]; }',
      'struct Counter { int n = 0; void bump() { ++n; } };',
      'void Counter_reset(Counter& c) { c.n = 0; }', //                             25
      'int Widget::size() const { return 0; }',
      'bool operator==(const Counter& a, const Counter& b) { return a.n == b.n; }',
      'auto deduced(int x) { return x; }', // the runner wants the return type written
      'auto trailing(int x) -> int { return x; }',
      'int main(int argc, char** argv) { return 0; }', //                         30
      '',
    ].join('\n');
    const index = new FunctionIndex('cpp');
    const functions = await index.functions('geo.cpp', 1, source);
    assert.deepEqual(lensed(functions), [
      ['clamp', 2],
      ['sorted', 3],
      ['name_of', 4],
      ['geo::detail::dot', 7],
      ['geo::norm', 8],
      ['a::b::deep', 16],
      ['hidden', 17],
      ['c_entry', 18],
      ['c_block', 19],
      ['geo::area', 21],
      ['Counter_reset', 25],
      ['trailing', 29],
    ]);
    // Methods, in the class or out of it (a class of this file, or a scope that is no namespace of this file).
    assert.deepEqual(
      functions.filter((f) => f.kind === 'method').map((f) => [f.qualifiedName, f.defLine]),
      [['geo::Shape::area', 12], ['geo::Shape::perimeter', 20], ['Counter::bump', 24], ['Widget::size', 26]],
    );
    const norm = functions.find((f) => f.qualifiedName === 'geo::norm');
    assert.equal(norm?.name, 'norm', 'the plain name stays available');
    assert.deepEqual(norm && lensTarget(norm), { functionName: 'geo::norm' });
    index.dispose();
  });

  it('targets overloads by their lines, since the name alone is ambiguous', async () => {
    const source = [
      'int twice(int x) { return 2 * x; }',
      'double twice(double x) {',
      '  return 2 * x;',
      '}',
      'namespace n { int twice(int x) { return x + x; } }',
      '#if FAST',
      'int pick(int x) { return x; }',
      '#else',
      'int pick(int x) { return x + 0; }',
      '#endif',
      'int solo() { return 1; }', // the runner would also take `solo` to mean m::solo
      'namespace m { int solo() { return 2; } }',
      'struct W { int only() { return 0; } };',
      'int only() { return 3; }', // a method of the same name is no rival
      '',
    ].join('\n');
    const index = new FunctionIndex('cpp');
    const functions = await index.functions('o.cpp', 1, source);
    assert.deepEqual(
      functions.map((f) => [f.qualifiedName, lensTarget(f)]),
      [
        ['twice', { functionName: 'twice', lines: { start: 1, end: 1 } }],
        ['twice', { functionName: 'twice', lines: { start: 2, end: 4 } }],
        ['n::twice', { functionName: 'n::twice' }],
        ['pick', { functionName: 'pick', lines: { start: 7, end: 7 } }],
        ['pick', { functionName: 'pick', lines: { start: 9, end: 9 } }],
        ['solo', { functionName: 'solo', lines: { start: 11, end: 11 } }],
        ['m::solo', { functionName: 'm::solo' }],
        ['W::only', { functionName: 'W::only' }],
        ['only', { functionName: 'only' }],
      ],
    );
    index.dispose();
  });

  it('follows edits to a C++ file incrementally', async () => {
    let text = 'namespace k {\nint one() { return 1; }\n}\n';
    const index = new FunctionIndex('cpp');
    assert.deepEqual((await index.functions('k.cpp', 1, text)).map((f) => f.qualifiedName), ['k::one']);
    const offset = text.indexOf('}\n', text.indexOf('return 1')) + 2;
    const inserted = 'int two(int x) { return x; }\n';
    index.applyChanges('k.cpp', [change(text, offset, 0, inserted)], 1, 2);
    text = text.slice(0, offset) + inserted + text.slice(offset);
    const functions = await index.functions('k.cpp', 2, text);
    assert.deepEqual(functions.map((f) => [f.qualifiedName, f.defLine]), [['k::one', 1], ['k::two', 2]]);
    index.dispose();
  });
});
