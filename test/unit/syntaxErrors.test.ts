/**
 * A syntax error in the user's file is named by file and line, as a compiler names it, before anything runs. C and C++
 * helpers are left to the compiler: tree-sitter misreads some valid C++ (templates of operators), and a false error
 * would stop a run that works.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runnerForFile } from '../../profilers/registry.js';
import { RunnerError } from '../../profilers/runner.js';

const cases: { what: string; file: string; functionName: string; text: string; says: string }[] = [
  {
    what: 'Python, in the function',
    file: 'x.py',
    functionName: 'slow',
    text: 'import os\n\n\ndef helper(x):\n    return x * 2\n\n\ndef slow(xs):\n    out = []\n    for x in xs:\n        out.append(helper(x)\n    return out\n',
    says: 'x.py:11: syntax error in `slow`: ',
  },
  {
    what: 'Python, in a helper the function uses',
    file: 'y.py',
    functionName: 'slow',
    text: 'def helper(x):\n    return x * 2 +\n\n\ndef slow(xs):\n    return [helper(x) for x in xs]\n',
    says: 'y.py:2: syntax error in `helper`, which `slow` uses: ',
  },
  {
    what: 'JavaScript, in the function',
    file: 'x.mjs',
    functionName: 'slow',
    text: 'function helper(x) {\n  return x * 2;\n}\n\nexport function slow(xs) {\n  const out = [];\n  for (const x of xs) {\n    out.push(helper(x);\n  }\n  return out;\n}\n',
    says: 'x.mjs:8: syntax error in `slow`: expected `)`',
  },
  {
    what: 'JavaScript, in a helper the function uses',
    file: 'y.mjs',
    functionName: 'slow',
    text: 'function helper(x) {\n  return x * 2 +;\n}\n\nexport function slow(xs) {\n  return xs.map(helper);\n}\n',
    says: 'y.mjs:2: syntax error in `helper`, which `slow` uses: ',
  },
  {
    what: 'TypeScript, in the function',
    file: 'z.ts',
    functionName: 'total',
    text: 'export function total(xs: number[]): number {\n  let s = 0;\n  for (const x of xs) s += x\n  return s +* 1;\n}\n',
    says: 'z.ts:4: syntax error in `total`: ',
  },
  {
    what: 'C, in the function',
    file: 'y.c',
    functionName: 'slow',
    text: '#include <stddef.h>\n\nlong slow(const int *xs, size_t n) {\n    long s = 0;\n    for (size_t i = 0; i < n; i++) s += xs[i]\n    return s;\n}\n',
    says: 'y.c:5: syntax error in `slow`: expected `;`',
  },
  {
    what: 'C++, in the function',
    file: 'w.cpp',
    functionName: 'join_all',
    text: '#include <string>\n#include <vector>\n\nstd::string join_all(const std::vector<std::string>& words) {\n    std::string out;\n    for (const auto& w : words) out += w\n    return out;\n}\n',
    // tree-sitter notices at the next statement, as some compilers do.
    says: 'w.cpp:7: syntax error in `join_all`: unexpected `return out`',
  },
];

describe('syntax errors in the user\'s file', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'perfloop-syntax-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of cases) {
    it(`${c.what}: "${c.says}…"`, async () => {
      const path = join(dir, c.file);
      const error = await runnerForFile(path)
        .extractTarget(c.text, path, { functionName: c.functionName })
        .then(() => assert.fail('expected a syntax error'), (e: unknown) => e);
      assert.ok(error instanceof RunnerError, String(error));
      assert.ok(error.message.startsWith(`${path}:`), error.message);
      assert.ok(error.message.includes(c.says.replace(/^\S+?:/, ':')), `${error.message}\n  does not say\n${c.says}`);
      assert.match(error.message, /fix it first/);
    });
  }

  it('a syntax error in a part of the file the function does not use does not stop it', async () => {
    const path = join(dir, 'unrelated.py');
    const target = await runnerForFile(path).extractTarget('def other(:\n    pass\n\n\ndef fast(xs):\n    return sorted(xs)\n', path, { functionName: 'fast' });
    assert.equal(target.functionName, 'fast');
  });
});
