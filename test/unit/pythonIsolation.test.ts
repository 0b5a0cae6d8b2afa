/**
 * Verification and interleaved timing run the original and the candidate each in a process of its own: what a candidate
 * does to the interpreter it runs in (builtins, the original's module, trace hooks) never reaches the original, and
 * results it keeps between calls are found.
 */
import { judgedTiming, verdictOf } from '../support/judgedTiming.js';
import assert from 'node:assert/strict';
import { estimatePairedSpeedup } from '../../profilers/stats/speedup.js';
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

describe('Python sides in processes of their own', function () {
  this.timeout(60_000);
  const runner = new PythonRunner();

  it('accepts an honest candidate', async () => {
    const result = await runner.checkEquivalence(ORIGINAL, candidate('import heapq\n\ndef f(xs):\n    return heapq.nsmallest(3, xs)\n'), WORKLOAD, OPTS);
    assert.equal(result.status, 'equivalent');
  });

  it('cannot slow the original down by rebinding a builtin it uses', async () => {
    const rigged = candidate(
      'import builtins\n_real = builtins.sorted\n\ndef _slow(xs, **kw):\n    for _ in range(50):\n        _real(xs, **kw)\n    return _real(xs, **kw)\n\nbuiltins.sorted = _slow\n\ndef f(xs):\n    return _real(xs)[:3]\n',
    );
    assert.equal((await runner.checkEquivalence(ORIGINAL, rigged, WORKLOAD, OPTS)).status, 'equivalent');
    const samples = await runner.measureTime(ORIGINAL, rigged, WORKLOAD, false, { ...OPTS, samples: 8, sampleSeconds: 0.01 });
    assert.equal(samples.rejection, undefined);
    // Had the rebinding reached the original, its calls would sort 51 times: a speedup near 50.
    const estimate = estimatePairedSpeedup(samples.original, samples.candidate);
    assert.ok(estimate.ratio < 3, `the original was slowed down: ${JSON.stringify(estimate)}`);
  });

  it("cannot reach the original's code, namespace or interpreter", async () => {
    const patching = candidate(
      'import sys\n\ndef f(xs):\n    original = sys.modules.get("__perfloop_original__")\n    if original is not None:\n        original.f.__code__ = (lambda xs: []).__code__\n    return sorted(xs)[:3]\n',
    );
    assert.equal((await runner.checkEquivalence(ORIGINAL, patching, WORKLOAD, OPTS)).status, 'equivalent');
    const tracing = candidate('import sys\n\ndef f(xs):\n    sys.settrace(lambda *a: None)\n    return sorted(xs)[:3]\n');
    const judged = await judgedTiming(runner, ORIGINAL, tracing, WORKLOAD, false, { ...OPTS, samples: 6, sampleSeconds: 0.005 });
    assert.equal(judged.rejection, undefined);
    assert.notEqual(verdictOf(judged), 'faster', `a trace hook slows only its own process: ${JSON.stringify(judged)}`);
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
