import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { javascriptLanguage, typescriptLanguage } from '../../profilers/javascript/javascriptLanguage.js';
import {
  applyJavaScriptCandidate,
  buildJavaScriptCandidate,
  extractJavaScriptTarget,
  originalJavaScriptProgram,
  TARGET_EXPORT,
} from '../../profilers/javascript/javascriptTarget.js';
import { RunnerError, type ExtractedTarget } from '../../profilers/runner.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixturePath = (name: string): string => path.join(repoRoot, 'test/fixtures/javascript', name);
const fixture = (name: string): string => readFileSync(fixturePath(name), 'utf8');

const MODULE = `'use strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import lodash, { chunk as split } from 'lodash';
import './polyfill.js';

const LIMIT = 10;
const UNUSED = 3;
let counter = 0, [first, second] = [1, 2];
const PATTERN = new RegExp(String(LIMIT));

function norm(s) {
  return s.trim().toLowerCase().slice(0, LIMIT);
}

class Box {
  constructor(v) { this.v = norm(v); }
}

export function unrelated() {
  return readFileSync(path.join('a', 'b'));
}

export const findDupes = (items, { limit = LIMIT } = {}, ...rest) => {
  const out = [];
  for (const it of items) {
    const k = new Box(it).v;
    if (items.indexOf(it) !== items.lastIndexOf(it) && !out.includes(k)) out.push(k);
  }
  return out.slice(0, limit + first);
};

const half = function (x) { return x / 2; };

main();
`;

describe('javascriptTarget', () => {
  describe('extractJavaScriptTarget', () => {
    it('finds an exported arrow function by name with the helpers, classes and constants it needs, transitively', async () => {
      const target = await extractJavaScriptTarget(MODULE, '/p/m.mjs', { functionName: 'findDupes' });
      assert.equal(target.functionName, 'findDupes');
      assert.deepEqual(target.range, { start: 24, end: 31 });
      assert.ok(target.functionSource.startsWith('export const findDupes'));
      assert.equal(MODULE.slice(target.startOffset, target.endOffset), target.functionSource);
      assert.deepEqual(target.parameters, ['items', '{limit=LIMIT}', '...rest']);
      // Box → norm → LIMIT; `first` comes with its whole declaration; the bare import stays (it may have effects).
      assert.deepEqual(target.contextNames.sort(), ['Box', 'LIMIT', 'counter', 'first', 'norm', 'second'].sort());
      assert.match(target.contextSource, /^import '\.\/polyfill\.js';/);
      for (const absent of ['UNUSED', 'PATTERN', 'readFileSync', 'lodash', 'unrelated', 'main()', 'use strict']) {
        assert.ok(!target.contextSource.includes(absent), absent);
      }
    });

    it('finds function declarations and function expressions, and a function by a line inside it', async () => {
      assert.equal((await extractJavaScriptTarget(MODULE, '/p/m.js', { functionName: 'half' })).parameters[0], 'x');
      const byLine = await extractJavaScriptTarget(MODULE, '/p/m.js', { lines: { start: 13, end: 13 } });
      assert.equal(byLine.functionName, 'norm');
      assert.deepEqual(byLine.contextNames, ['LIMIT']);
      const withImports = await extractJavaScriptTarget(MODULE, '/p/m.js', { functionName: 'unrelated' });
      assert.equal(withImports.contextSource, "import { readFileSync } from 'node:fs';\n\nimport * as path from 'node:path';\n\nimport './polyfill.js';");
    });

    it('reads TypeScript: types, interfaces and generic helpers come along', async () => {
      const target = await extractJavaScriptTarget(fixture('stats.ts'), fixturePath('stats.ts'), { functionName: 'summarise' });
      assert.deepEqual(target.contextNames.sort(), ['EMPTY', 'Sample', 'Summary', 'sum']);
      assert.deepEqual(target.parameters, ['samples']);
      assert.ok(!target.contextSource.includes('export'));
    });

    it('explains what is wrong with an unknown name or a range outside any function', async () => {
      await assert.rejects(extractJavaScriptTarget(MODULE, '/p/m.js', { functionName: 'nope' }), (e: unknown) =>
        e instanceof RunnerError && /No module-level function named `nope`.*norm, unrelated, findDupes, half/.test(e.message));
      await assert.rejects(extractJavaScriptTarget(MODULE, '/p/m.js', { lines: { start: 7, end: 8 } }), /not inside a module-level function/);
      await assert.rejects(extractJavaScriptTarget(MODULE, '/p/m.js', { lines: { start: 13, end: 21 } }), /span several functions/);
    });
  });

  describe('programs', () => {
    it('builds the original as a module that exports the function under one known name, without `export` inside', async () => {
      const target = await extractJavaScriptTarget(fixture('orders.mjs'), fixturePath('orders.mjs'), { functionName: 'repeatedCustomers' });
      const program = originalJavaScriptProgram(target);
      assert.match(program.source, /^import \{ strict as assert \} from 'node:assert';/);
      assert.match(program.source, /\nfunction repeatedCustomers\(orders\)/);
      assert.ok(program.source.trimEnd().endsWith(`export { repeatedCustomers as ${TARGET_EXPORT} };`));
      assert.ok(!program.source.includes('process.argv'), 'top-level code is left out');
    });

    it('builds a candidate: repeated helpers dropped, new helpers and imports kept, re-exports ignored', async () => {
      const target = await extractJavaScriptTarget(MODULE, '/p/m.mjs', { functionName: 'findDupes' });
      const code = `import { createHash } from 'node:crypto';
const LIMIT = 10;
function norm(s) {
  return s.trim().toLowerCase().slice(0, LIMIT);
}
const key = (s) => createHash('sha1').update(s).digest('hex');
export const findDupes = (items, { limit = LIMIT } = {}, ...rest) => [...new Set(items.map(key))].slice(0, limit);
export default findDupes;`;
      const build = await buildJavaScriptCandidate(target, code, 'c1');
      assert.ok(build.ok);
      const source = build.program.source;
      assert.equal(source.match(/const LIMIT = 10/g)?.length, 1);
      assert.equal(source.match(/function norm/g)?.length, 1);
      assert.match(source, /^import \{ createHash \} from 'node:crypto';/);
      assert.match(source, /\nconst findDupes = /);
      assert.ok(!source.includes('export default'));
      assert.equal(build.program.id, 'c1');
    });

    it('refuses candidates that change the signature, miss the function or do not parse', async () => {
      const target = await extractJavaScriptTarget(MODULE, '/p/m.mjs', { functionName: 'norm' });
      const cases: [string, RegExp][] = [
        ['function norm(s, extra) { return s; }', /changes the signature/],
        ['function other(s) { return s; }', /does not define `norm`.*defines other/],
        ['function norm(s) { return s.; }', /does not parse as JavaScript/],
      ];
      for (const [code, reason] of cases) {
        const build = await buildJavaScriptCandidate(target, code, 'c');
        assert.ok(!build.ok && reason.test(build.reason), code);
      }
    });
  });

  describe('applyJavaScriptCandidate', () => {
    it('replaces the function in the file, keeps its `export`, adds the helpers it uses before it and new imports to the import block', async () => {
      const text = fixture('orders.mjs');
      const target = await extractJavaScriptTarget(text, fixturePath('orders.mjs'), { functionName: 'repeatedCustomers' });
      const fast = fixture('orders.fast.mjs').replace('normaliseId(order.customerId)', 'normaliseId(asId(order))');
      const unused = "import { readFileSync } from 'node:fs';\nconst unusedHelper = () => readFileSync;\n";
      const code = `import { inspect } from 'node:util';\n${unused}const asId = (o) => o.customerId ?? inspect(o);\n${fast}`;
      const applied = await applyJavaScriptCandidate(target, code);
      assert.doesNotMatch(applied, /unusedHelper|readFileSync/, 'what the function does not use stays out');
      assert.match(applied, /import \{ strict as assert \} from 'node:assert';\nimport \{ inspect \} from 'node:util';\n/);
      assert.match(applied, /const asId = \(o\) => o\.customerId \?\? inspect\(o\);\n\nexport function repeatedCustomers\(orders\) \{\n  const repeated = new Set\(\);/);
      assert.ok(applied.includes('export const totalByCustomer'), 'the rest of the file is untouched');
      assert.ok(!applied.includes('seen.includes'));
    });

    it('throws a RunnerError for a candidate that cannot be applied', async () => {
      const target = await extractJavaScriptTarget(MODULE, '/p/m.mjs', { functionName: 'half' });
      await assert.rejects(applyJavaScriptCandidate(target, 'const half = (x, y) => x;'), RunnerError);
    });
  });

  describe('method targets', () => {
    const cart = (): Promise<ExtractedTarget> => extractJavaScriptTarget(fixture('cart.mjs'), fixturePath('cart.mjs'), { functionName: 'Cart.total' });
    const reasonOf = async (target: ExtractedTarget, code: string): Promise<string> => {
      const build = await buildJavaScriptCandidate(target, code, 'c');
      assert.ok(!build.ok, `expected a refusal of:\n${code}`);
      return build.reason;
    };

    it('finds `Class.method` by name: the receiver first among the parameters, the method elided from the context only', async () => {
      const target = await cart();
      assert.equal(target.functionName, 'Cart.total');
      assert.deepEqual(target.method && { ...target.method, programContext: '' }, { className: 'Cart', name: 'total', isStatic: false, programContext: '' });
      assert.deepEqual(target.parameters, ['this']);
      assert.deepEqual(target.range, { start: 36, end: 43 });
      // The method's lines as in the file, its first line's indentation included.
      assert.ok(target.functionSource.startsWith('  total() {\n    let sum = 0;'));
      assert.equal(target.fileText.slice(target.startOffset, target.endOffset), target.functionSource);
      // The class, what it uses (Item, TAX, the assert import) and the classes extending it; the file's top-level code is left out.
      assert.deepEqual(target.contextNames.sort(), ['Cart', 'GiftCart', 'Item', 'TAX', 'assert', 'strict']);
      assert.match(target.contextSource, /\n  discountFor\(sku\) \{[^]*\n  \/\/ total\(\.\.\.\): the method being optimized, shown separately\n\n  checkout\(\) \{/);
      assert.ok(!target.contextSource.includes('let sum = 0'), 'the method is shown on its own, not in the context');
      assert.ok(!target.contextSource.includes('process.argv') && !target.contextSource.includes('export '));
      assert.ok(target.method?.programContext.includes(target.functionSource), 'programs are built from the whole class');
      const program = originalJavaScriptProgram(target);
      assert.match(program.source, /export const __perfloopClasses = \{ Item: [^\n]*, Cart: [^\n]*, GiftCart: [^\n]* \};/);
      assert.ok(program.source.includes(`export const ${TARGET_EXPORT} = (self, ...args) => Cart.prototype.total.apply(self, args);`));
    });

    it('finds a static method, and a method by a line inside its body (the method, not its class)', async () => {
      const merge = await extractJavaScriptTarget(fixture('cart.mjs'), fixturePath('cart.mjs'), { functionName: 'Cart.merge' });
      assert.deepEqual([merge.method?.isStatic, merge.parameters], [true, ['a', 'b']]);
      assert.match(merge.contextSource, /\/\/ static merge\(\.\.\.\): the method being optimized/);
      assert.ok(originalJavaScriptProgram(merge).source.includes(`export const ${TARGET_EXPORT} = (...args) => Cart.merge(...args);`));
      const byLine = await extractJavaScriptTarget(fixture('cart.mjs'), fixturePath('cart.mjs'), { lines: { start: 39, end: 40 } });
      assert.equal(byLine.functionName, 'Cart.total');
    });

    it('reads TypeScript classes: access modifiers, parameter properties, the types the method uses', async () => {
      const target = await extractJavaScriptTarget(fixture('cart.ts'), fixturePath('cart.ts'), { functionName: 'PriceList.totalFor' });
      assert.deepEqual(target.parameters, ['this', 'skus']);
      assert.deepEqual(target.contextNames.sort(), ['Line', 'PriceList']);
      assert.ok(target.functionSource.startsWith('  public totalFor(skus: string[]): number {'));
      assert.match(target.contextSource, /private priceOf\(sku: string\): number \{[^]*\/\/ totalFor\(\.\.\.\): the method being optimized/);
      const byLine = await extractJavaScriptTarget(fixture('cart.ts'), fixturePath('cart.ts'), { lines: { start: 29, end: 29 } });
      assert.deepEqual([byLine.functionName, byLine.method?.isStatic, byLine.parameters], ['PriceList.parse', true, ['text']]);
    });

    it('explains which methods it cannot optimize: constructors, getters, #private methods, receivers with #private fields', async () => {
      await assert.rejects(extractJavaScriptTarget(fixture('cart.mjs'), fixturePath('cart.mjs'), { lines: { start: 16, end: 16 } }), /`Cart.constructor` is a constructor/);
      await assert.rejects(extractJavaScriptTarget(fixture('cart.mjs'), fixturePath('cart.mjs'), { lines: { start: 14, end: 14 } }), /in class `Cart` but not inside one of its methods/);
      const getters = 'class Box {\n  get size() { return 1; }\n  #peek() { return 2; }\n}\n';
      await assert.rejects(extractJavaScriptTarget(getters, '/p/box.js', { functionName: 'Box.size' }), /`Box.size` is a getter/);
      await assert.rejects(extractJavaScriptTarget(getters, '/p/box.js', { functionName: 'Box.#peek' }), /#private method.*`_peek`/);
      await assert.rejects(extractJavaScriptTarget(fixture('secret.mjs'), fixturePath('secret.mjs'), { functionName: 'Counter.bump' }), (e: unknown) =>
        e instanceof RunnerError && /`Counter` has the #private field `#count`.*copies.*`_count`.*TypeScript `private count`/.test(e.message));
      // A static method has no receiver to copy.
      assert.equal((await extractJavaScriptTarget(fixture('secret.mjs'), fixturePath('secret.mjs'), { functionName: 'Counter.describe' })).method?.isStatic, true);
      await assert.rejects(extractJavaScriptTarget(fixture('cart.mjs'), fixturePath('cart.mjs'), { functionName: 'total' }), /`total` is a method: name it `Cart.total`/);
      await assert.rejects(extractJavaScriptTarget(fixture('cart.mjs'), fixturePath('cart.mjs'), { functionName: 'Cart.nope' }), /No method named `Cart.nope`.*Methods there: .*Cart.total/);
    });

    it('builds a candidate from the method in its class: members repeated unchanged ignored, new helper methods and module-level helpers kept', async () => {
      const target = await cart();
      const code = `import { inspect } from 'node:util';\nconst TAX = 0.2;\nconst ZERO = 0;\n${fixture('cart.fast.mjs')}`.replace(
        '    ratesBySku() {',
        '    taxRate() {\n        return TAX;\n    }\n\n    ratesBySku() {',
      );
      const build = await buildJavaScriptCandidate(target, code, 'fast');
      assert.ok(build.ok, build.ok ? '' : build.reason);
      const source = build.program.source;
      assert.match(source, /^import \{ inspect \} from 'node:util';\nimport \{ strict as assert \}/);
      assert.equal(source.match(/const TAX = 0.2/g)?.length, 1);
      assert.equal(source.match(/return TAX;/g)?.length, 1, 'the repeated taxRate is the original one');
      // The class keeps its other members; the method and its new helper take the original method's place, indented as the file is.
      assert.match(source, /const ZERO = 0;\n\nclass Cart \{/);
      assert.match(source, /return found \? found\.rate : 0;\n  \}\n\n  total\(\) \{\n    const rates = this\.ratesBySku\(\);[^]*\n  \}\n\n  ratesBySku\(\) \{\n    const rates = new Map\(\);[^]*\n  checkout\(\) \{/);
      assert.ok(!source.includes('let sum = 0;\n    for (const item of this.items) {\n      const rate'), 'the original method is gone');
    });

    it('builds a candidate from the bare method, as replies often give it', async () => {
      const target = await cart();
      const build = await buildJavaScriptCandidate(target, 'total() {\n  return this.items.length;\n}', 'bare');
      assert.ok(build.ok, build.ok ? '' : build.reason);
      assert.match(build.program.source, /\n  total\(\) \{\n    return this\.items\.length;\n  \}\n\n  checkout\(\)/);
    });

    it('refuses candidates that change another member, the signature or static-ness, add fields, or miss the method', async () => {
      const target = await cart();
      const cases: [string, RegExp][] = [
        ['class Cart {\n  total() { return 0; }\n  add(item) { this.items.push(item); return this; }\n}', /^the candidate changes `Cart.add`; only `Cart.total` may change \(new helper methods may be added\)$/],
        ['class Cart {\n  constructor() { this.items = []; }\n  total() { return 0; }\n}', /changes the constructor of `Cart`/],
        ['class Cart {\n  total(extra) { return 0; }\n}', /changes the signature of `Cart.total` \(extra instead of \)/],
        ['class Cart {\n  static total() { return 0; }\n}', /makes `Cart.total` static/],
        ['class Cart {\n  cache = new Map();\n  total() { return 0; }\n}', /adds the field `cache` to `Cart`/],
        ['class Cart {\n  #sum() { return 0; }\n  total() { return this.#sum(); }\n}', /adds the #private method `#sum`.*`_sum`/],
        ['class Cart {\n  checkout() { return 1; }\n}', /changes `Cart.checkout`/],
        ['class Cart {\n  subtotal() { return 1; }\n}', /does not define `Cart.total`/],
        ['function total(cart) { return 0; }', /defines `total` as a function; it must stay a method of `Cart`/],
        ['class Cart {\n  total() { return 0 +; }\n}', /does not parse as JavaScript/],
        ['class Cart extends Array {\n  total() { return 0; }\n}', /changes what `Cart` extends/],
      ];
      for (const [code, reason] of cases) assert.match(await reasonOf(target, code), reason, code);
      const merge = await extractJavaScriptTarget(fixture('cart.mjs'), fixturePath('cart.mjs'), { functionName: 'Cart.merge' });
      assert.match(await reasonOf(merge, 'merge(a, b) { return a; }'), /makes `Cart.merge` an instance method/);
    });

    it('applies a method: replaced in the file\'s indentation, new helper methods after it, helpers before the class, imports to the import block', async () => {
      const target = await cart();
      const applied = await applyJavaScriptCandidate(target, `import { inspect } from 'node:util';\nconst ZERO = 0;\n${fixture('cart.fast.mjs')}`);
      const expected = fixture('cart.mjs')
        .replace("import { strict as assert } from 'node:assert';\n", "import { strict as assert } from 'node:assert';\nimport { inspect } from 'node:util';\n")
        .replace('export class Cart {', 'const ZERO = 0;\n\nexport class Cart {')
        .replace(
          target.functionSource,
          [
            '  total() {',
            '    const rates = this.ratesBySku();',
            '    let sum = 0;',
            '    for (const item of this.items) {',
            '      sum += item.price * item.quantity * (1 - (rates.get(item.sku) ?? 0));',
            '    }',
            '    return Math.round(sum * (1 + this.taxRate()) * 100) / 100;',
            '  }',
            '',
            '  ratesBySku() {',
            '    const rates = new Map();',
            '    for (const { sku, rate } of this.discounts) if (!rates.has(sku)) rates.set(sku, rate);',
            '    return rates;',
            '  }',
          ].join('\n'),
        );
      assert.equal(applied, expected);
      await assert.rejects(applyJavaScriptCandidate(target, 'class Cart {\n  add() {}\n  total() {}\n}'), /Cannot apply the candidate: the candidate changes `Cart.add`/);
    });

    it('applies a bare TypeScript method in the file\'s indentation (steps of 4 become 2), template literal lines untouched', async () => {
      const target = await extractJavaScriptTarget(fixture('cart.ts'), fixturePath('cart.ts'), { functionName: 'PriceList.totalFor' });
      const code = [
        'public totalFor(skus: string[]): number {',
        '    const prices = new Map(this.lines.map((l): [string, number] => [l.sku, l.price]));',
        '    const note = `unused',
        '  as is`;',
        '    let total = 0;',
        '    for (const sku of skus) total += prices.get(sku) ?? 0;',
        '    return Number(total.toFixed(this.rounding));',
        '}',
      ].join('\n');
      const applied = await applyJavaScriptCandidate(target, code);
      assert.ok(
        applied.includes(
          [
            '  public totalFor(skus: string[]): number {',
            '    const prices = new Map(this.lines.map((l): [string, number] => [l.sku, l.price]));',
            '    const note = `unused',
            '  as is`;',
          ].join('\n'),
        ),
        applied,
      );
      assert.ok(applied.includes('    return Number(total.toFixed(this.rounding));\n  }\n\n  static parse('));
      assert.ok(!applied.includes('total += this.priceOf(sku);'));
    });
  });

  describe('language descriptors', () => {
    it('see top-level functions in every form an LLM writes them', () => {
      const code = 'export function a(x) {}\nconst b = (x) => x;\nexport const c = async function () {};\nlet d = x => 1;\nfunction* e() {}\n  function nested() {}';
      assert.deepEqual(javascriptLanguage.topLevelFunctions(code), ['a', 'b', 'c', 'd', 'e']);
      assert.ok(typescriptLanguage.definesFunction('export const f = <T,>(xs: T[]): T[] => xs;', 'f'));
      assert.ok(typescriptLanguage.definesFunction('function f<T>(xs: T[]) {}', 'f'));
      assert.ok(!javascriptLanguage.definesFunction('const fx = 1; f(2);', 'f'));
      assert.ok(javascriptLanguage.looksLikeUsageExample('function f(x) { return x; }\nconsole.log(f(1));', 'f'));
      assert.ok(!javascriptLanguage.looksLikeUsageExample('function f(x) {\n  return x ? f(x - 1) : 0;\n}', 'f'));
      assert.ok(javascriptLanguage.definesSupport("import { x } from 'y';"));
    });

    it('see a method defined in its class or bare, not a call of it, and word the method rules', () => {
      const defines = javascriptLanguage.definesMethod ?? (() => false);
      assert.ok(defines('class Cart {\n  total() {\n    return 1;\n  }\n}', 'Cart', 'total'));
      assert.ok(defines('total(items, { limit = 2 } = {}) {\n  return 1;\n}', 'Cart', 'total'));
      assert.ok(defines('export class Cart { static async *total(a) { yield a; } }', 'Cart', 'total'));
      assert.ok(typescriptLanguage.definesMethod?.('class Cart {\n  private total<T>(xs: T[]): number {\n    return 1;\n  }\n}', 'Cart', 'total'));
      assert.ok(!defines('const t = cart.total(items);\ntotal(items);', 'Cart', 'total'));
      assert.ok(!defines('class Other {\n  total() {}\n}', 'Cart', 'total'));
      assert.ok(!defines('function total(cart) {}', 'Cart', 'total'));
      assert.ok(javascriptLanguage.looksLikeUsageExample('const cart = new Cart();\nconst t = cart.total();', 'Cart.total'));
      assert.ok(!javascriptLanguage.looksLikeUsageExample('class Cart {\n  helper() {\n    return this.total();\n  }\n}', 'Cart.total'));
      assert.match(javascriptLanguage.methodReplyRule?.('Cart', 'total') ?? '', /`class Cart \{ … \}` block containing only `total` and any new helper methods/);
      assert.match(javascriptLanguage.methodGeneratorNote?.('Cart', 'total', false) ?? '', /starts with the receiver, a `Cart` instance.*`export function correctnessInputs\(\{ Cart \}\)/);
      assert.match(typescriptLanguage.methodGeneratorNote?.('Cart', 'merge', true) ?? '', /static method of `Cart`: each argument array holds its arguments only/);
    });
  });
});
