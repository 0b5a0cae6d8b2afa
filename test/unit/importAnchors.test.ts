import assert from 'node:assert/strict';
import { anchoredSpecifier, anchorImports } from '../../profilers/javascript/importAnchors.js';

const USER_FILE = '/home/me/project/src/orders.mjs';
const USER_URL = 'file:///home/me/project/src/orders.mjs';

describe('import anchors (count runs load program copies without resolution hooks)', () => {
  it('resolves path-like specifiers from the user file, as Node does', () => {
    assert.equal(anchoredSpecifier('./util.js', USER_URL), 'file:///home/me/project/src/util.js');
    assert.equal(anchoredSpecifier('../lib/a b.mjs', USER_URL), 'file:///home/me/project/lib/a%20b.mjs');
    assert.equal(anchoredSpecifier('/opt/shared.mjs', USER_URL), 'file:///opt/shared.mjs');
    assert.equal(anchoredSpecifier('..', USER_URL), 'file:///home/me/project/');
  });

  it('keeps builtins and absolute URLs, which resolve alike from anywhere', () => {
    for (const specifier of ['node:fs', 'fs', 'fs/promises', 'file:///x/y.mjs', 'data:text/javascript,export default 1']) {
      assert.equal(anchoredSpecifier(specifier, USER_URL), specifier);
    }
  });

  it('leaves packages and #imports to Node: they depend on package.json files above the user file', () => {
    for (const specifier of ['lodash', '@scope/pkg/sub', '#internal', '.hidden', '']) assert.equal(anchoredSpecifier(specifier, USER_URL), undefined);
  });

  it('rewrites static imports, re-exports and literal dynamic imports, and nothing else', async () => {
    const source = [
      "// héllo: ./util.js in a comment stays",
      "import { weight } from './weights.mjs';",
      'import * as fs from "node:fs";',
      "import data from './data.json' with { type: 'json' };",
      "import './side-effect.js';",
      "export { helper } from '../lib/helper.mjs';",
      'export * from "./all.mjs";',
      'export const here = import.meta.url;',
      "export function f(x) { return import('./lazy.mjs').then((m) => m.g(x, './not-a-specifier.js')); }",
      '',
    ].join('\n');
    assert.equal(
      await anchorImports(source, USER_FILE),
      [
        "// héllo: ./util.js in a comment stays",
        'import { weight } from "file:///home/me/project/src/weights.mjs";',
        'import * as fs from "node:fs";',
        'import data from "file:///home/me/project/src/data.json" with { type: \'json\' };',
        'import "file:///home/me/project/src/side-effect.js";',
        'export { helper } from "file:///home/me/project/lib/helper.mjs";',
        'export * from "file:///home/me/project/src/all.mjs";',
        'export const here = import.meta.url;',
        "export function f(x) { return import(\"file:///home/me/project/src/lazy.mjs\").then((m) => m.g(x, './not-a-specifier.js')); }",
        '',
      ].join('\n'),
    );
  });

  it('gives up on any import only Node can resolve: then the hooks serve the whole run', async () => {
    for (const source of [
      "import _ from 'lodash';\nimport { a } from './a.js';",
      'export const load = (name) => import(name);',
      'export const load = () => import(`./a.js`);',
      "export const where = import.meta.resolve('./a.js');",
      "import { a } from './\\u0061.js';",
    ]) {
      assert.equal(await anchorImports(source, USER_FILE), undefined, source);
    }
    assert.equal(await anchorImports('export function f() { return 1; }\n', USER_FILE), 'export function f() { return 1; }\n');
  });
});
