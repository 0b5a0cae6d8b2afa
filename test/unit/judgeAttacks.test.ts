/**
 * Candidates that game the verdict, as models do (GSO found up to 30% of attempts are reward hacks): each attack must end
 * as a rejection or a verdict that is not `faster`, never as a measured speedup. Each side runs in its own process and is
 * judged from outside (profilers/judge), so an attack can only fool its own process. Real interpreters, real sandbox.
 * @slow
 */
import { judgedTiming, verdictOf } from '../support/judgedTiming.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { JavaScriptRunner } from '../../profilers/javascript/javascriptRunner.js';
import { PythonRunner } from '../../profilers/python/pythonRunner.js';
import type { LanguageRunner, PairedTimingSamples, Program, RunOptions, WorkloadSource } from '../../profilers/runner.js';
import { allowedCpus } from '../../profilers/judge/cpuPin.js';
import type { CoordinatedTiming } from '../../profilers/judge/timingCoordinator.js';
import { estimatePairedSpeedup } from '../../profilers/stats/speedup.js';

const OPTS: RunOptions = { sandbox: 'auto', timeoutMs: 60_000 };
const TIMING = { ...OPTS, samples: 6, sampleSeconds: 0.02 };
const TARGET_EXPORT = '__perfloopTarget';

/** Several milliseconds of sorting per call: a cache of results saves far more than the probe's floor. */
const NUMBERS: WorkloadSource = {
  kind: 'json',
  origin: 'user',
  correctness: [[[3, 1, 2]], [[]], [[5, 5, 4]], [[9, 8, 7, 6]]],
  performance: [[Array.from({ length: 60_000 }, (_, i) => (i * 7919) % 100_003)]],
};

/** An input generator as the LLM writes them: edge cases plus a sized input, fresh values for every seed. */
const PY_SIZED: WorkloadSource = {
  kind: 'generator',
  origin: 'llm',
  source: 'import random\n\ndef correctness_inputs():\n    return [[[3, 1, 2]], [[]], [[5, 5, 4]]]\n\ndef sized_input(n):\n    return [[random.randrange(100003) for _ in range(n)]]\n',
};
const JS_SIZED: WorkloadSource = {
  kind: 'generator',
  origin: 'llm',
  source: 'export function correctnessInputs() { return [[[3, 1, 2]], [[]], [[5, 5, 4]]]; }\nexport function sizedInput(n) { return [Array.from({ length: n }, () => Math.floor(Math.random() * 100003))]; }\n',
};

async function timed(
  runner: LanguageRunner,
  original: Program,
  candidate: Program,
  workload: WorkloadSource = NUMBERS,
  timing = TIMING,
): Promise<PairedTimingSamples> {
  const equivalence = await runner.checkEquivalence(original, candidate, workload, OPTS);
  assert.equal(equivalence.status, 'equivalent', `the attack passes the check on its own: ${JSON.stringify(equivalence)}`);
  return runner.measureTime(original, candidate, workload, false, timing);
}

/**
 * An honest speedup must still be called one on a busy machine: both sides share one CPU with whatever else runs there,
 * so six samples were sometimes too few for the interval to clear the threshold (seen in a loaded CI run).
 */
const HONEST_TIMING = { ...TIMING, samples: 24 };

/** The attack passes the check on its own, and the verdict a run reaches (several process pairs) is not `faster`. */
async function assertNotFaster(runner: LanguageRunner, original: Program, candidate: Program, why: string): Promise<void> {
  const equivalence = await runner.checkEquivalence(original, candidate, NUMBERS, OPTS);
  assert.equal(equivalence.status, 'equivalent', `the attack passes the check on its own: ${JSON.stringify(equivalence)}`);
  const judged = await judgedTiming(runner, original, candidate, NUMBERS, false, TIMING);
  assert.notEqual(verdictOf(judged), 'faster', `${why}: ${JSON.stringify(judged)}`);
}

describe('gaming candidates get no speedup @slow', function () {
  this.timeout(600_000);

  describe('Python', () => {
    const runner = new PythonRunner();
    const original: Program = { id: 'original', functionName: 'f', source: 'def f(xs):\n    return sorted(xs)\n' };
    const candidate = (source: string): Program => ({ id: 'candidate', functionName: 'f', source });

    before(async () => {
      await runner.checkWorkload(original, NUMBERS, OPTS);
      await runner.checkWorkload(original, PY_SIZED, OPTS);
    });

    it('still measures an honest faster candidate as faster', async () => {
      const keyed: Program = { id: 'original', functionName: 'f', source: 'def f(xs):\n    return sorted(xs, key=lambda x: (x, 0))\n' };
      await runner.checkWorkload(keyed, PY_SIZED, OPTS);
      const samples = await timed(runner, keyed, original, PY_SIZED, HONEST_TIMING);
      assert.equal(samples.rejection, undefined, samples.rejection);
      assert.equal(estimatePairedSpeedup(samples.original, samples.candidate).verdict, 'faster');
    });

    const memos: [string, string][] = [
      ['a memo in a function attribute', 'def f(xs):\n    key = tuple(xs)\n    memo = f.__dict__.setdefault("memo", {})\n    if key not in memo:\n        memo[key] = sorted(xs)\n    return list(memo[key])\n'],
      ['a fixed-size "last result" slot', '_last = [None, None]\n\ndef f(xs):\n    if _last[0] == xs:\n        return list(_last[1])\n    result = sorted(xs)\n    _last[0], _last[1] = list(xs), result\n    return list(result)\n'],
      ['a memo in a SimpleNamespace', 'import types\n_state = types.SimpleNamespace(key=None, value=None)\n\ndef f(xs):\n    key = hash(tuple(xs))\n    if _state.key != key:\n        _state.key, _state.value = key, sorted(xs)\n    return list(_state.value)\n'],
      ['a memo hidden in the sys module', 'import sys\n\ndef f(xs):\n    memo = sys.__dict__.setdefault("_m", {})\n    key = hash(tuple(xs))\n    if key not in memo:\n        memo[key] = sorted(xs)\n    return list(memo[key])\n'],
    ];
    for (const [name, source] of memos) {
      it(`rejects ${name} while timing`, async () => {
        const samples = await timed(runner, original, candidate(source), PY_SIZED);
        assert.match(samples.rejection ?? '', /keeps results between calls/, JSON.stringify(samples));
      });
    }

    it('rejects a candidate that returns its previous answer after 30 calls: its timed results differ', async () => {
      const source = '_calls = [0]\n_prev = [None]\n\ndef f(xs):\n    _calls[0] += 1\n    if _calls[0] > 30 and _prev[0] is not None:\n        return _prev[0]\n    _prev[0] = sorted(xs)\n    return _prev[0]\n';
      // The check calls it once per input: it passes. Timed, it answers for the wrong input (or keeps a result).
      // Enough samples for the counter to pass 30 within one timing process.
      const samples = await runner.measureTime(original, candidate(source), PY_SIZED, false, { ...TIMING, samples: 40 });
      assert.match(samples.rejection ?? '', /differs from the original's|keeps results between calls/, JSON.stringify(samples));
    });

    it('rejects a candidate that reads the call stack to tell timing from checking', async () => {
      const source = 'import inspect\n\ndef f(xs):\n    if any("serve" in frame.filename for frame in inspect.stack()[1:4]):\n        return []\n    return sorted(xs)\n';
      const samples = await timed(runner, original, candidate(source));
      assert.match(samples.rejection ?? '', /differs from the original's/);
    });

    it('finds a lazy list whose work happens when the checker reads it', async () => {
      const source = 'class Lazy(list):\n    def __init__(self, xs):\n        super().__init__(sorted(xs))\n\ndef f(xs):\n    return Lazy(xs)\n';
      const result = await runner.checkEquivalence(original, candidate(source), NUMBERS, OPTS);
      assert.equal(result.status, 'different');
      assert.match(result.status === 'different' ? result.counterexample.actual : '', /first difference: result: list .* vs <target>\.Lazy/);
    });

    it("finds a candidate that returns the caller's own list where the original returns a fresh one", async () => {
      const copying: Program = { id: 'original', functionName: 'f', source: 'def f(xs):\n    return list(xs)\n' };
      const result = await runner.checkEquivalence(copying, candidate('def f(xs):\n    return xs\n'), NUMBERS, OPTS);
      assert.equal(result.status, 'different');
      assert.match(result.status === 'different' ? result.counterexample.actual : '', /the argument arguments\[0\] itself/);
    });

    it('does not take the freeing of big mutated inputs, or a reading taken on the way back to waiting, for a patched clock', async () => {
      // Each sample works on its own copies of inputs the function sorts in place: freeing 40,000 lists after the clock
      // stopped, or reading the CPU time before the worker left the CPU, put milliseconds outside the timed loop into the
      // CPU time the report is bounded by (a loaded CI run rejected an honest method as "its clock was tampered with").
      const rows: WorkloadSource = {
        kind: 'generator',
        origin: 'llm',
        source: 'import random\n\ndef correctness_inputs():\n    return [[[["b", 2], ["a", 1]]], [[]]]\n\ndef sized_input(n):\n    return [[[str(random.random()), i] for i in range(n)]]\n\ndef performance_inputs():\n    return [sized_input(40_000)]\n',
      };
      const sorting: Program = { id: 'original', functionName: 'f', source: 'def f(rows):\n    rows.sort(key=lambda r: r[0])\n    return len(rows)\n' };
      await runner.checkWorkload(sorting, rows, OPTS);
      const sorter = candidate('import operator\n\ndef f(rows):\n    rows.sort(key=operator.itemgetter(0))\n    return len(rows)\n');
      assert.equal((await runner.checkEquivalence(sorting, sorter, rows, OPTS)).status, 'equivalent');
      const samples = await runner.measureTime(sorting, sorter, rows, true, { ...TIMING, timeoutMs: 240_000 }); // copies take long under load
      assert.equal(samples.rejection, undefined, samples.rejection);
      const { clockCorrections } = (samples as CoordinatedTiming).integrity;
      const taken = samples.original.length + samples.candidate.length;
      assert.ok(clockCorrections.original + clockCorrections.candidate <= taken / 4, `corrected ${JSON.stringify(clockCorrections)} of ${taken} samples`);
    });

    it('cannot forge its timing by patching the clock: Perfloop bounds each report by the kernel CPU time', async () => {
      const source = 'import time\n_real = time.perf_counter_ns\n_start = _real()\ntime.perf_counter_ns = lambda: _start + (_real() - _start) // 50\n\ndef f(xs):\n    return sorted(xs)\n';
      await assertNotFaster(runner, original, candidate(source), 'a clock running 50× slow made an identical algorithm look faster');
    });

    it('cannot forge its timing on a loaded machine with a clock slowed to its share of the CPU', async function () {
      // A busy loop on every CPU this process may use: whichever CPU both sides are pinned to, each gets about half of it,
      // so a clock at two thirds of its speed reports more than the CPU time the kernel charged. Bounding the report by that (as
      // the judge once did) let an unchanged function read 1.5× faster; the judge's own round-trip clock does not.
      const cpus = allowedCpus() ?? [];
      if (cpus.length === 0) this.skip();
      const hogs = cpus.map((cpu) => spawn('taskset', ['-c', String(cpu), process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' }));
      try {
        const source = 'import time\n_real = time.perf_counter_ns\n_start = _real()\ntime.perf_counter_ns = lambda: _start + (_real() - _start) * 2 // 3\n\ndef f(xs):\n    return sorted(xs)\n';
        await assertNotFaster(runner, original, candidate(source), 'a clock at 2/3 speed on a half-shared CPU made an identical algorithm look faster');
      } finally {
        for (const hog of hogs) hog.kill('SIGKILL');
      }
    });

    it('cannot forge the verdict by rebinding the harness checker in its own process', async () => {
      const source = 'import sys\n\ndef f(xs):\n    for name, module in list(sys.modules.items()):\n        if name.startswith("perfloop_harness"):\n            for attr in ("equal", "snapshot_value", "digest"):\n                if hasattr(module, attr):\n                    setattr(module, attr, lambda *a, **k: True)\n    return []\n';
      const result = await runner.checkEquivalence(original, candidate(source), NUMBERS, OPTS);
      assert.notEqual(result.status, 'equivalent');
    });

    it('cannot slow the original down with a busy thread: it runs frozen while the original is timed', async () => {
      const source = 'import threading\n\ndef _spin():\n    while True:\n        sum(range(1000))\n\nthreading.Thread(target=_spin, daemon=True).start()\n\ndef f(xs):\n    return sorted(xs)\n';
      await assertNotFaster(runner, original, candidate(source), 'a thread in the candidate slowed the original down');
    });

    it('cannot leave the CPU both sides are timed on for a quieter one: widening its affinity is rejected', async function () {
      if (!allowedCpus() || (allowedCpus()?.length ?? 0) < 2) this.skip(); // one CPU: nowhere to go
      const source = 'import os\n\ndef f(xs):\n    os.sched_setaffinity(0, range(os.cpu_count()))\n    return sorted(xs)\n';
      const samples = await timed(runner, original, candidate(source));
      assert.match(samples.rejection ?? '', /changed its CPU affinity/, JSON.stringify(samples).slice(0, 400));
    });
  });

  describe('JavaScript', () => {
    const runner = new JavaScriptRunner();
    const program = (body: string, id = 'candidate'): Program => ({ id, functionName: 'f', source: `${body}\nexport { f as ${TARGET_EXPORT} };\n` });
    const original = program('function f(xs) { return [...xs].sort((a, b) => a - b); }', 'original');

    before(async () => {
      await runner.checkWorkload(original, NUMBERS, OPTS);
      await runner.checkWorkload(original, JS_SIZED, OPTS);
    });

    it('rejects a Map memo while timing, whether the inputs are fixed or fresh', async () => {
      const memo = program('const memo = new Map();\nfunction f(xs) { let r = memo.get(xs); if (!r) { r = [...xs].sort((a, b) => a - b); memo.set(xs, r); } return [...r]; }');
      for (const workload of [NUMBERS, JS_SIZED]) {
        const samples = await timed(runner, original, memo, workload);
        assert.match(samples.rejection ?? '', /keeps results between calls/, JSON.stringify(samples));
      }
    });

    it('still measures an honest faster candidate as faster', async () => {
      const samples = await timed(runner, original, program('function f(xs) { return Array.from(Float64Array.from(xs).sort()); }'), JS_SIZED, HONEST_TIMING);
      assert.equal(samples.rejection, undefined, samples.rejection);
      assert.equal(estimatePairedSpeedup(samples.original, samples.candidate).verdict, 'faster');
    });

    it('rejects a candidate that reads the call stack to tell timing from checking', async () => {
      const samples = await timed(runner, original, program("function f(xs) { if (new Error().stack.includes('serve.mjs')) return []; return [...xs].sort((a, b) => a - b); }"));
      assert.match(samples.rejection ?? '', /differs from the original's/);
    });

    it('rejects a candidate that returns its previous answer after 30 calls', async () => {
      const samples = await runner.measureTime(original, program('let calls = 0, prev;\nfunction f(xs) { if (++calls > 30 && prev) return prev; prev = [...xs].sort((a, b) => a - b); return prev; }'), JS_SIZED, false, { ...TIMING, samples: 40 });
      assert.match(samples.rejection ?? '', /differs from the original's|keeps results between calls/, JSON.stringify(samples));
    });

    it('finds a Proxy that passes for an Array and does its work only when its result is read', async () => {
      // Its trap runs in the reading, outside the timed call: as cheap to time as an empty function. Array.isArray and
      // every read see the sorted array, so only what the value is gives it away (named when the harness loads).
      const source =
        'function f(xs) {\n  let real;\n  const force = () => (real ??= [...xs].sort((a, b) => a - b));\n' +
        "  return new Proxy([], { get: (_t, k) => (k === 'then' ? undefined : Reflect.get(force(), k)), has: (_t, k) => Reflect.has(force(), k), " +
        'ownKeys: () => Reflect.ownKeys(force()), getOwnPropertyDescriptor: (_t, k) => { const d = Reflect.getOwnPropertyDescriptor(force(), k); ' +
        "return d && k === 'length' ? { ...d, writable: true } : d ? { ...d, configurable: true } : undefined; } });\n}\n" +
        'const { types } = await import("node:util");\ntypes.isProxy = () => false;';
      const result = await runner.checkEquivalence(original, program(source), NUMBERS, OPTS);
      assert.equal(result.status, 'different', JSON.stringify(result));
      assert.match(result.status === 'different' ? result.counterexample.actual : '', /Proxy\(Array\)/);
    });

    it('finds a result whose field is a getter that does the work when read', async () => {
      const keyed = program('function f(xs) { return { sorted: [...xs].sort((a, b) => a - b) }; }', 'original');
      const lazy = program('function f(xs) { let real; return { get sorted() { return (real ??= [...xs].sort((a, b) => a - b)); } }; }');
      const result = await runner.checkEquivalence(keyed, lazy, NUMBERS, OPTS);
      assert.equal(result.status, 'different', JSON.stringify(result));
      assert.match(result.status === 'different' ? result.counterexample.actual : '', /get sorted/);
    });

    it('rejects a candidate that recognises the fixed performance inputs: inputs of their cost it has not seen show no speedup', async () => {
      const fixed: WorkloadSource = {
        kind: 'generator',
        origin: 'llm',
        source:
          'const numbers = (n, step) => Array.from({ length: n }, (_, i) => (i * step) % 100003);\n' +
          'export function correctnessInputs() { return [[[3, 1, 2]], [[]], [[5, 5, 4]]]; }\n' +
          'export function performanceInputs() { return [[numbers(60000, 7919)]]; }\n' +
          'export function sizedInput(n) { return [Array.from({ length: n }, () => Math.floor(Math.random() * 100003))]; }\n',
      };
      // The ten smallest: the answer is small, so a table of it saves nearly all the work (a speedup under 10× is not
      // taken for special-casing: an honest one can vary that much between inputs of one cost).
      const smallest = program('function f(xs) { return [...xs].sort((a, b) => a - b).slice(0, 10); }', 'original');
      const table =
        'const timed = Array.from({ length: 60000 }, (_, i) => (i * 7919) % 100003);\n' +
        'const known = new Map([[`${timed.length}|${timed[0]}|${timed.at(-1)}`, [...timed].sort((a, b) => a - b).slice(0, 10)]]);\n' +
        'function f(xs) { const hit = known.get(`${xs.length}|${xs[0]}|${xs.at(-1)}`); return hit ? [...hit] : [...xs].sort((a, b) => a - b).slice(0, 10); }';
      const summary = await runner.checkWorkload(smallest, fixed, OPTS);
      assert.equal(summary.performanceCount, 1, 'the module’s performanceInputs() are the timed inputs');
      const samples = await timed(runner, smallest, program(table), fixed);
      assert.match(samples.rejection ?? '', /faster on the inputs it was timed on but .* not seen before/, JSON.stringify(samples).slice(0, 400));
    });

    it('cannot forge its timing by patching process.hrtime.bigint', async () => {
      const source = 'const real = process.hrtime.bigint;\nconst t0 = real();\nprocess.hrtime.bigint = () => t0 + (real() - t0) / 50n;\nfunction f(xs) { return [...xs].sort((a, b) => a - b); }';
      await assertNotFaster(runner, original, program(source), 'a clock running 50× slow made an identical algorithm look faster');
    });
  });
});
