import assert from 'node:assert/strict';
import {
  applyPythonCandidate,
  buildPythonCandidate,
  extractPythonTarget,
  originalPythonProgram,
} from '../../profilers/python/pythonTarget.js';
import { RunnerError } from '../../profilers/runner.js';

const MODULE = `"""Inventory helpers."""
from __future__ import annotations
import os
import re as regex
from collections import Counter, defaultdict as dd

LIMIT = 10
UNUSED = 3
PATTERN = regex.compile(r"\\d+")

def _norm(s):
    return s.strip().lower()

class Box:
    def __init__(self, v):
        self.v = v

    def twice(self):
        return self.v * 2

@staticmethod
def unrelated():
    return os.getcwd()

def find_dupes(items, limit=LIMIT):
    seen = []
    out = []
    for it in items:
        k = _norm(it)
        if k in seen and k not in out:
            out.append(k)
        seen.append(k)
    return out[:limit]

print("module side effect")

if __name__ == "__main__":
    find_dupes(["a"])
`;

describe('Python target extraction', () => {
  it('finds a function by name with the imports, helpers and constants it uses, and nothing else', async () => {
    const target = await extractPythonTarget(MODULE, 'inv.py', { functionName: 'find_dupes' });
    assert.equal(target.functionName, 'find_dupes');
    assert.deepEqual(target.range, { start: 25, end: 33 });
    assert.deepEqual(target.parameters, ['items', 'limit']);
    assert.ok(target.functionSource.startsWith('def find_dupes(items, limit=LIMIT):'));
    assert.equal(MODULE.slice(target.startOffset, target.endOffset), target.functionSource);
    assert.match(target.contextSource, /from __future__ import annotations/);
    assert.match(target.contextSource, /LIMIT = 10/);
    assert.match(target.contextSource, /def _norm/);
    assert.doesNotMatch(target.contextSource, /UNUSED|PATTERN|class Box|unrelated|side effect|__main__/);
    assert.deepEqual(new Set(target.contextNames), new Set(['LIMIT', '_norm']));
  });

  it('follows dependencies transitively (a constant built with an imported module)', async () => {
    const text = `import re as regex\nPATTERN = regex.compile("x")\nOTHER = 1\ndef f(s):\n    return PATTERN.findall(s)\n`;
    const target = await extractPythonTarget(text, 'f.py', { functionName: 'f' });
    assert.match(target.contextSource, /import re as regex/);
    assert.match(target.contextSource, /PATTERN = regex.compile/);
    assert.doesNotMatch(target.contextSource, /OTHER/);
  });

  it('keeps a decorated function with its decorators and includes a guarded import block it needs', async () => {
    const text = `try:\n    import ujson as json\nexcept ImportError:\n    import json\n\nimport functools\n\n@functools.lru_cache(maxsize=None)\ndef dump(x):\n    return json.dumps(x)\n`;
    const target = await extractPythonTarget(text, 'd.py', { functionName: 'dump' });
    assert.ok(target.functionSource.startsWith('@functools.lru_cache'));
    assert.equal(target.range.start, 8);
    assert.match(target.contextSource, /try:\n {4}import ujson as json/);
    assert.match(target.contextSource, /import functools/);
  });

  it('resolves a line range to the innermost enclosing function', async () => {
    const target = await extractPythonTarget(MODULE, 'inv.py', { lines: { start: 29, end: 31 } });
    assert.equal(target.functionName, 'find_dupes');
  });

  it('explains why a range outside any function or spanning two functions cannot be optimized', async () => {
    await assert.rejects(extractPythonTarget(MODULE, 'inv.py', { lines: { start: 7, end: 8 } }), (e: unknown) => {
      return e instanceof RunnerError && /not inside a function/.test(e.message);
    });
    await assert.rejects(extractPythonTarget(MODULE, 'inv.py', { lines: { start: 11, end: 27 } }), /span several functions/);
    assert.equal((await extractPythonTarget(MODULE, 'inv.py', { functionName: 'Box.twice' })).method?.className, 'Box');
    await assert.rejects(extractPythonTarget(MODULE, 'inv.py', { functionName: 'nope' }), /No function named `nope`.*find_dupes/);
  });

  it('builds the original program as a self-contained module', async () => {
    const target = await extractPythonTarget(MODULE, 'inv.py', { functionName: 'find_dupes' });
    const program = originalPythonProgram(target);
    assert.equal(program.functionName, 'find_dupes');
    assert.ok(program.source.indexOf('def _norm') < program.source.indexOf('def find_dupes'));
  });
});

describe('Python candidates', () => {
  const candidate = `import itertools
from collections import Counter

def _norm(s):
    return s.strip().lower()

def find_dupes(items, limit=LIMIT):
    counts = Counter(_norm(it) for it in items)
    return list(itertools.islice((k for k, n in counts.items() if n > 1), limit))
`;

  it('builds a candidate module with its new imports and without re-stated helpers', async () => {
    const target = await extractPythonTarget(MODULE, 'inv.py', { functionName: 'find_dupes' });
    const build = await buildPythonCandidate(target, candidate, 'r1c1');
    assert.ok(build.ok);
    if (!build.ok) return;
    assert.equal(build.program.id, 'r1c1');
    assert.match(build.program.source, /^import itertools$/m);
    assert.equal(build.program.source.match(/def _norm/g)?.length, 1);
    assert.match(build.program.source, /Counter\(_norm/);
  });

  it('rejects code that does not parse, lacks the function, or changes its signature, with a reason', async () => {
    const target = await extractPythonTarget(MODULE, 'inv.py', { functionName: 'find_dupes' });
    const broken = await buildPythonCandidate(target, 'def find_dupes(items, limit=LIMIT):\n    return [x for x in items if\n', 'c');
    assert.ok(!broken.ok && /does not parse/.test(broken.reason));
    const renamed = await buildPythonCandidate(target, 'def find_duplicates(items, limit=10):\n    return []\n', 'c');
    assert.ok(!renamed.ok && /does not define `find_dupes`.*find_duplicates/.test(renamed.reason));
    const resigned = await buildPythonCandidate(target, 'def find_dupes(items, limit=LIMIT, _cache={}):\n    return []\n', 'c');
    assert.ok(!resigned.ok && /changes the signature/.test(resigned.reason));
    const memoized = await buildPythonCandidate(target, 'import functools\n\n@functools.lru_cache(maxsize=None)\ndef find_dupes(items, limit=LIMIT):\n    return []\n', 'c');
    assert.ok(!memoized.ok && /memoizes `find_dupes` across calls/.test(memoized.reason));
  });

  it('applies a candidate in place and puts new imports with the existing ones', async () => {
    const target = await extractPythonTarget(MODULE, 'inv.py', { functionName: 'find_dupes' });
    const patched = await applyPythonCandidate(target, candidate);
    assert.match(patched, /from collections import Counter, defaultdict as dd\nimport itertools\n/);
    assert.equal(patched.match(/def _norm/g)?.length, 1, 'the helper the LLM repeated is not duplicated');
    assert.match(patched, /counts = Counter/);
    assert.doesNotMatch(patched, /seen = \[\]/);
    assert.match(patched, /print\("module side effect"\)/);
    assert.ok(patched.endsWith('find_dupes(["a"])\n'));
  });
});
