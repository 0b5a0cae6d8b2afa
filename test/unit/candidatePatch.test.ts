/**
 * Apply writes exactly the diff the report shows. One function turns a candidate into the patched file; the report's diff
 * is that file against the original, and Apply writes that file in the original's encoding, BOM and line endings. These
 * tests go through the real runners and the real reader/writer, as the CLI and the extension do, without measuring.
 */
import assert from 'node:assert/strict';
import { applyPatch } from 'diff';
import { patchCandidate } from '../../optimizer/candidatePatch.js';
import { runnerForFile } from '../../profilers/registry.js';
import { decodeSource, encodeSource } from '../../profilers/sourceFile.js';

interface Applied {
  /** What the file holds after Apply. */
  written: Buffer;
  writtenText: string;
  originalText: string;
  diff: string;
}

/** The user's file as bytes → the report's diff and the bytes Apply writes, as the CLI computes them. */
async function apply(path: string, bytes: Buffer, functionName: string, code: string): Promise<Applied> {
  const file = decodeSource(bytes, path);
  const runner = runnerForFile(path, {}, file.text);
  const target = await runner.extractTarget(file.text, path, { functionName });
  const patch = await patchCandidate(runner, target, code, 'r1c1');
  const written = encodeSource(patch.patchedFileText, file.format);
  const writtenText = decodeSource(written, path).text;
  // The specification itself: the diff the user reviews, applied to the file they had, is the file Apply writes.
  assert.equal(applyPatch(file.text, patch.diff), writtenText, 'the report’s diff is the change Apply makes');
  return { written, writtenText, originalText: file.text, diff: patch.diff };
}

/** Asserts `after` has `before`'s bytes up to the first `startMarker` and from the first `endMarker` on. */
function sameBytesOutside(before: Buffer, after: Buffer, startMarker: string, endMarker: string, encoding: BufferEncoding = 'utf8'): void {
  const start = before.indexOf(Buffer.from(startMarker, encoding));
  const endBefore = before.indexOf(Buffer.from(endMarker, encoding));
  const endAfter = after.indexOf(Buffer.from(endMarker, encoding));
  assert.ok(start >= 0 && endBefore > start && endAfter > 0, 'markers found');
  assert.deepEqual(after.subarray(0, start), before.subarray(0, start), 'bytes before the function are unchanged');
  assert.deepEqual(after.subarray(endAfter), before.subarray(endBefore), 'bytes after the function are unchanged');
}

const noBareLf = (text: string): boolean => !/(?<!\r)\n/.test(text);

const PY_FAST_TOTAL = 'def total(prices):\n    return sum(price_of(p) for p in prices)\n';

describe('Apply writes the diff the report shows', () => {
  it('Python, latin-1: the “café” line elsewhere keeps its byte, and only the function changes', async () => {
    const text = '# -*- coding: latin-1 -*-\nMENU = "café crème"\n\n\ndef price_of(p):\n    return p * 2\n\n\ndef total(prices):\n    s = 0\n    for p in prices:\n        s += price_of(p)\n    return s\n\n\ndef describe():\n    return "café"\n';
    const bytes = Buffer.from(text, 'latin1');
    const applied = await apply('/p/menu.py', bytes, 'total', PY_FAST_TOTAL);
    sameBytesOutside(bytes, applied.written, 'def total', 'def describe', 'latin1');
    assert.ok(applied.written.includes(Buffer.from('"café crème"', 'latin1')));
    assert.ok(!applied.written.includes(Buffer.from('café', 'utf8')), 'nothing is re-encoded as UTF-8');
    assert.match(applied.writtenText, /def total\(prices\):\n {4}return sum\(price_of\(p\) for p in prices\)\n\n\ndef describe/);
  });

  it('JavaScript with a UTF-8 byte-order mark: the mark stays and the bytes around the function too', async () => {
    const text = 'const café = 1;\n\nexport function total(xs) {\n  let s = 0;\n  for (const x of xs) s += x;\n  return s;\n}\n\nexport const after = café;\n';
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    const applied = await apply('/p/bom.mjs', bytes, 'total', 'export function total(xs) {\n  return xs.reduce((a, b) => a + b, 0);\n}');
    assert.deepEqual(applied.written.subarray(0, 3), Buffer.from([0xef, 0xbb, 0xbf]));
    sameBytesOutside(bytes, applied.written, 'export function total', '\n\nexport const after');
  });

  it('CRLF files keep CRLF: the inserted lines and a new import get the file’s line ending (Python)', async () => {
    const text = 'import os\r\n\r\n\r\ndef price_of(p):\r\n    return p * 2\r\n\r\n\r\ndef total(prices):\r\n    s = 0\r\n    for p in prices:\r\n        s += price_of(p)\r\n    return s\r\n\r\n\r\ndef describe():\r\n    return os.sep\r\n';
    const code = 'import math\n\n\ndef total(prices):\n    return math.fsum(price_of(p) for p in prices)\n';
    const applied = await apply('/p/crlf.py', Buffer.from(text), 'total', code);
    assert.ok(noBareLf(applied.writtenText), JSON.stringify(applied.writtenText));
    assert.match(applied.writtenText, /^import os\r\nimport math\r\n/);
    assert.match(applied.writtenText, /def total\(prices\):\r\n {4}return math\.fsum\(price_of\(p\) for p in prices\)\r\n\r\n\r\ndef describe/);
  });

  it('CRLF files keep CRLF (JavaScript)', async () => {
    const text = 'function helper(x) {\r\n  return x + 1;\r\n}\r\n\r\nexport function total(xs) {\r\n  let s = 0;\r\n  for (const x of xs) s += helper(x);\r\n  return s;\r\n}\r\n\r\nexport const end = 1;\r\n';
    const bytes = Buffer.from(text);
    const applied = await apply('/p/crlf.mjs', bytes, 'total', 'function total(xs) {\n  let s = 0;\n  for (let i = 0; i < xs.length; i++) s += helper(xs[i]);\n  return s;\n}\n');
    assert.ok(noBareLf(applied.writtenText), JSON.stringify(applied.writtenText));
    sameBytesOutside(bytes, applied.written, 'export function total', '\r\n\r\nexport const end');
  });

  it('CRLF files keep CRLF (C++)', async () => {
    const text = '#include <vector>\r\n\r\n// Sum of squares.\r\nlong sum_squares(const std::vector<int>& v) {\r\n  long s = 0;\r\n  for (std::size_t i = 0; i < v.size(); ++i) s += (long)v[i] * v[i];\r\n  return s;\r\n}\r\n\r\nint main() { return 0; }\r\n';
    const bytes = Buffer.from(text);
    const code = 'long sum_squares(const std::vector<int>& v) {\n  long s = 0;\n  for (int x : v) s += (long)x * x;\n  return s;\n}\n';
    const applied = await apply('/p/squares.cpp', bytes, 'sum_squares', code);
    assert.ok(noBareLf(applied.writtenText), JSON.stringify(applied.writtenText));
    assert.match(applied.writtenText, /for \(int x : v\) s \+= \(long\)x \* x;\r\n/);
    sameBytesOutside(bytes, applied.written, 'long sum_squares', '\r\n\r\nint main');
  });

  it('a file without a final newline still has none', async () => {
    const text = 'def total(prices):\n    s = 0\n    for p in prices:\n        s += p\n    return s';
    const applied = await apply('/p/last.py', Buffer.from(text), 'total', 'def total(prices):\n    return sum(prices)\n');
    assert.equal(applied.writtenText, 'def total(prices):\n    return sum(prices)');
  });

  it('a whole-file Python reply is reduced to the function: its module docstring, re-added helpers and demo do not land in the file', async () => {
    const text = '"""Prices."""\nimport os\n\n\ndef price_of(p):\n    return p * 2\n\n\ndef total(prices):\n    """The total price of `prices`."""\n    s = 0\n    for p in prices:\n        s += price_of(p)\n    return s\n\n\ndef describe():\n    return os.sep\n';
    const reply = [
      '"""Prices, faster."""',
      'import os',
      'import math',
      '',
      '',
      'def price_of(p):',
      '    return p * 2',
      '',
      '',
      'def total(prices):',
      '    return sum(price_of(p) for p in prices)',
      '',
      '',
      'def describe():',
      '    return os.sep',
      '',
      '',
      'if __name__ == "__main__":',
      '    print(total([1, 2]))',
      '',
    ].join('\n');
    const applied = await apply('/p/prices.py', Buffer.from(text), 'total', reply);
    assert.equal(
      applied.writtenText,
      text.replace(
        '    s = 0\n    for p in prices:\n        s += price_of(p)\n    return s\n',
        '    return sum(price_of(p) for p in prices)\n',
      ),
      'only the body changed; the docstring the reply left out is kept',
    );
    assert.doesNotMatch(applied.diff, /Prices, faster|__main__|import math/);
  });

  it('a Python reply that drops the decorator and `async` keeps the original’s', async () => {
    const text = 'def traced(f):\n    return f\n\n\n@traced\nasync def total(prices):\n    s = 0\n    for p in prices:\n        s += p\n    return s\n';
    const applied = await apply('/p/aio.py', Buffer.from(text), 'total', 'def total(prices):\n    return sum(prices)\n');
    assert.equal(applied.writtenText, 'def traced(f):\n    return f\n\n\n@traced\nasync def total(prices):\n    return sum(prices)\n');
  });

  it('a Python method reply that drops `@staticmethod` and the docstring keeps both, in the class’s indentation', async () => {
    const text = 'class Prices:\n    @staticmethod\n    def total(prices):\n        """Sum of prices."""\n        s = 0\n        for p in prices:\n            s += p\n        return s\n\n    def other(self):\n        return 1\n';
    const applied = await apply('/p/cls.py', Buffer.from(text), 'Prices.total', 'class Prices:\n    def total(prices):\n        return sum(prices)\n');
    assert.equal(applied.writtenText, text.replace('        s = 0\n        for p in prices:\n            s += p\n        return s\n', '        return sum(prices)\n'));
  });

  it('a reply that changes the docstring on purpose changes it', async () => {
    const text = 'def total(prices):\n    """Old words."""\n    return sum(p for p in prices)\n';
    const applied = await apply('/p/doc.py', Buffer.from(text), 'total', 'def total(prices):\n    """New words."""\n    return sum(prices)\n');
    assert.equal(applied.writtenText, 'def total(prices):\n    """New words."""\n    return sum(prices)\n');
  });

  it('a whole-file JavaScript reply that drops `export` and `async`: the file keeps both, and no function is declared twice', async () => {
    const text = 'import fs from "node:fs";\n\nfunction helper(x) {\n  return x + 1;\n}\n\n/** Sum of helper(x). */\nexport async function total(xs) {\n  let s = 0;\n  for (const x of xs) s += helper(x);\n  return s;\n}\n\nexport function other() {\n  return fs.existsSync("/");\n}\n';
    const reply = 'import fs from "node:fs";\n\nfunction helper(x) {\n  return x + 1;\n}\n\n/** Faster. */\nfunction total(xs) {\n  return xs.reduce((a, x) => a + helper(x), 0);\n}\n\nexport function other() {\n  return fs.existsSync("/");\n}\n\nconsole.log(total([1]));\n';
    const applied = await apply('/p/sum.mjs', Buffer.from(text), 'total', reply);
    assert.equal(
      applied.writtenText,
      text.replace(
        'export async function total(xs) {\n  let s = 0;\n  for (const x of xs) s += helper(x);\n  return s;\n}',
        'export async function total(xs) {\n  return xs.reduce((a, x) => a + helper(x), 0);\n}',
      ),
    );
  });

  it('a new helper the candidate needs is added once, before the function; one it does not need is not', async () => {
    const text = 'export function total(xs) {\n  let s = 0;\n  for (const x of xs) s += x * x;\n  return s;\n}\n';
    const reply = 'const square = (x) => x * x;\n\nfunction unused() {\n  return 0;\n}\n\nfunction total(xs) {\n  return xs.reduce((a, x) => a + square(x), 0);\n}\n';
    const applied = await apply('/p/sq.mjs', Buffer.from(text), 'total', reply);
    assert.equal(applied.writtenText, 'const square = (x) => x * x;\n\nexport function total(xs) {\n  return xs.reduce((a, x) => a + square(x), 0);\n}\n');
  });
});
