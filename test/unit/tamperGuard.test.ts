/**
 * Verification and interleaved timing run the original and the candidate in one process: a candidate that reaches into
 * shared state to rig the comparison is reported as an error, not measured.
 */
import assert from 'node:assert/strict';
import { PythonRunner } from '../../profilers/python/pythonRunner.js';
import type { Program, RunOptions, WorkloadSource } from '../../profilers/runner.js';

const OPTS: RunOptions = { sandbox: 'auto', timeoutMs: 20_000 };
const WORKLOAD: WorkloadSource = {
  kind: 'json',
  origin: 'user',
  correctness: [[[3, 1, 2]], [[]]],
  performance: [[Array.from({ length: 2000 }, (_, i) => (i * 7919) % 1000)]],
};
const ORIGINAL: Program = { id: 'original', functionName: 'f', source: 'def f(xs):\n    return sorted(xs)[:3]\n' };
const candidate = (source: string): Program => ({ id: 'candidate', functionName: 'f', source });

describe('shared-state tamper guard', function () {
  this.timeout(60_000);
  const runner = new PythonRunner();

  it('accepts an honest candidate', async () => {
    const result = await runner.checkEquivalence(ORIGINAL, candidate('import heapq\n\ndef f(xs):\n    return heapq.nsmallest(3, xs)\n'), WORKLOAD, OPTS);
    assert.equal(result.status, 'equivalent');
  });

  it('rejects a candidate that rebinds a builtin the original uses', async () => {
    const rigged = candidate(
      'import builtins\n_real = builtins.sorted\n\ndef _slow(xs, **kw):\n    for _ in range(50):\n        _real(xs, **kw)\n    return _real(xs, **kw)\n\nbuiltins.sorted = _slow\n\ndef f(xs):\n    return _real(xs)[:3]\n',
    );
    const result = await runner.checkEquivalence(ORIGINAL, rigged, WORKLOAD, OPTS);
    assert.equal(result.status, 'error');
    assert.match(result.status === 'error' ? result.reason : '', /builtins\.sorted/);
  });

  it("rejects a candidate that patches the original's namespace or installs a trace hook while running", async () => {
    const patching = candidate(
      'import sys\n\ndef f(xs):\n    original = sys.modules.get("__perfloop_original__")\n    if original is not None:\n        original.f.__code__ = (lambda xs: sorted(xs)[:3]).__code__\n    return sorted(xs)[:3]\n',
    );
    const patched = await runner.checkEquivalence(ORIGINAL, patching, WORKLOAD, OPTS);
    assert.equal(patched.status, 'error');
    assert.match(patched.status === 'error' ? patched.reason : '', /original function's code/);

    const tracing = candidate('import sys\n\ndef f(xs):\n    sys.settrace(lambda *a: None)\n    return sorted(xs)[:3]\n');
    await assert.rejects(
      runner.measureTime(ORIGINAL, tracing, WORKLOAD, false, { ...OPTS, samples: 6, sampleSeconds: 0.005 }),
      /trace\/profile hook/,
    );
  });

  it('rejects a candidate that keeps results between calls, however the cache is wired', async () => {
    const viaLruCache = candidate(
      'import functools\n\n@functools.lru_cache(maxsize=None)\ndef _impl(xs):\n    return sorted(xs)[:3]\n\ndef f(xs):\n    return _impl(tuple(xs))\n',
    );
    const viaDefault = candidate('def f(xs, _seen=None):\n    return sorted(xs)[:3]\n'.replace('_seen=None', '_seen={}').replace('    return', '    _seen[len(_seen)] = 1\n    return'));
    const lru = await runner.checkEquivalence(ORIGINAL, viaLruCache, WORKLOAD, OPTS);
    assert.equal(lru.status, 'error');
    assert.match(lru.status === 'error' ? lru.reason : '', /keeps state across calls \(`_impl` cache grew/);
    const defaults = await runner.checkEquivalence(ORIGINAL, viaDefault, WORKLOAD, OPTS);
    assert.notEqual(defaults.status, 'equivalent');
  });

  it('accepts tables built once at import, and state the original keeps too', async () => {
    const table = candidate('_SMALL = {i: i for i in range(10)}\n\ndef f(xs):\n    return sorted(xs)[:3]\n');
    assert.equal((await runner.checkEquivalence(ORIGINAL, table, WORKLOAD, OPTS)).status, 'equivalent');
    const countingOriginal: Program = { id: 'original', functionName: 'f', source: 'CALLS = []\n\ndef f(xs):\n    CALLS.append(1)\n    return sorted(xs)[:3]\n' };
    const countingCandidate = candidate('CALLS = []\n\ndef f(xs):\n    CALLS.append(1)\n    return sorted(xs)[:3]\n');
    assert.equal((await runner.checkEquivalence(countingOriginal, countingCandidate, WORKLOAD, OPTS)).status, 'equivalent');
  });
});
