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
import { RunnerError } from '../../profilers/runner.js';

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
    it('replaces the function in the file, keeps its `export`, adds helpers before it and new imports to the import block', async () => {
      const text = fixture('orders.mjs');
      const target = await extractJavaScriptTarget(text, fixturePath('orders.mjs'), { functionName: 'repeatedCustomers' });
      const code = `import { inspect } from 'node:util';\nconst asId = (o) => o.customerId;\n${fixture('orders.fast.mjs')}`;
      const applied = await applyJavaScriptCandidate(target, code);
      assert.match(applied, /import \{ strict as assert \} from 'node:assert';\nimport \{ inspect \} from 'node:util';\n/);
      assert.match(applied, /const asId = \(o\) => o\.customerId;\n\nexport function repeatedCustomers\(orders\) \{\n  const repeated = new Set\(\);/);
      assert.ok(applied.includes('export const totalByCustomer'), 'the rest of the file is untouched');
      assert.ok(!applied.includes('seen.includes'));
    });

    it('throws a RunnerError for a candidate that cannot be applied', async () => {
      const target = await extractJavaScriptTarget(MODULE, '/p/m.mjs', { functionName: 'half' });
      await assert.rejects(applyJavaScriptCandidate(target, 'const half = (x, y) => x;'), RunnerError);
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
  });
});
