/**
 * An LLM-written input generator runs apart from the code under test: its inputs are made once per seed in a process
 * with the original only, and each side's outcomes process and timing worker reads them as data (restricted unpickling,
 * the program's classes becoming that side's own). Inputs that cannot be data make the generator run beside the code, as
 * before, and the workload summary says why. Real interpreter, real sandbox.
 * @slow
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runHarness } from '../../profilers/python/harnessProcess.js';
import { resolvePythonInterpreter } from '../../profilers/python/pythonInterpreter.js';
import { PythonRunner } from '../../profilers/python/pythonRunner.js';
import { buildPythonCandidate } from '../../profilers/python/pythonTarget.js';
import type { Program, RunOptions, WorkloadSource } from '../../profilers/runner.js';
import { judgedTiming, verdictOf } from '../support/judgedTiming.js';

const OPTS: RunOptions = { sandbox: 'auto', timeoutMs: 60_000 };
const TIMING = { ...OPTS, samples: 8, sampleSeconds: 0.02 };

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CART_PATH = path.join(repoRoot, 'test/fixtures/python/methods/cart.py');

const generator = (source: string): WorkloadSource => ({ kind: 'generator', origin: 'llm', source });
const inputsFiles = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('perfloop-py-inputs-'));

describe('inputs an LLM-written generator makes, apart from the code under test @slow', function () {
  this.timeout(600_000);

  it("cannot slow the original's timing worker down: an identical candidate is not faster", async () => {
    // The generator reads the job file of the process it runs in (sys.argv[1]): in the original's timing worker it starts
    // a thread that competes with every timed call for the interpreter lock. Beside the code, that made an unchanged
    // function read about twice as fast.
    const attack = generator(
      'import json, random, sys, threading\n\n' +
        'def _spin():\n    while True:\n        sum(range(1000))\n\n' +
        'try:\n    with open(sys.argv[1]) as _job_file:\n        _job = json.load(_job_file)\n' +
        'except Exception:\n    _job = {}\n' +
        'if _job.get("mode") == "serve" and _job.get("side") == "original":\n' +
        '    threading.Thread(target=_spin, daemon=True).start()\n\n' +
        'def correctness_inputs():\n    return [[[3, 1, 2]], [[]], [[5, 5, 4]]]\n\n' +
        'def sized_input(n):\n    return [[random.randrange(100003) for _ in range(n)]]\n',
    );
    const runner = new PythonRunner();
    try {
      const original: Program = { id: 'original', functionName: 'f', source: 'def f(xs):\n    return sorted(xs)\n' };
      const candidate: Program = { ...original, id: 'candidate' };
      const summary = await runner.checkWorkload(original, attack, OPTS);
      assert.equal(summary.generatorBesideCode, undefined);
      assert.equal((await runner.checkEquivalence(original, candidate, attack, OPTS)).status, 'equivalent');
      const judged = await judgedTiming(runner, original, candidate, attack, false, TIMING);
      assert.notEqual(verdictOf(judged), 'faster', `the generator slowed the original's worker: ${JSON.stringify(judged)}`);
    } finally {
      runner.dispose();
    }
  });

  it("builds receivers of the program's class: each side gets its own, and the inputs files do not outlive their use", async () => {
    const cart =
      'class Cart:\n    def __init__(self, prices):\n        self.prices = prices\n\n' +
      '    def total(self):\n        t = 0\n        for p in self.prices:\n            t += p\n        return t\n';
    // The candidate's method calls a helper only its own class has: a receiver of the original's class would raise.
    const faster =
      'class Cart:\n    def __init__(self, prices):\n        self.prices = prices\n\n' +
      '    def _sum(self):\n        return sum(self.prices)\n\n' +
      '    def total(self):\n        return self._sum()\n';
    const receivers = generator(
      'import random\n\n' +
        'def correctness_inputs():\n    return [[Cart([1, 2, 3])], [Cart([])]]\n\n' +
        'def sized_input(n):\n    return [Cart([random.randrange(100) for _ in range(n)])]\n',
    );
    const before = new Set(inputsFiles());
    const runner = new PythonRunner();
    try {
      const original: Program = { id: 'original', functionName: 'Cart.total', source: cart };
      const candidate: Program = { id: 'candidate', functionName: 'Cart.total', source: faster };
      const summary = await runner.checkWorkload(original, receivers, OPTS);
      assert.equal(summary.generatorBesideCode, undefined);
      const equivalence = await runner.checkEquivalence(original, candidate, receivers, OPTS);
      assert.equal(equivalence.status, 'equivalent', JSON.stringify(equivalence));
      const samples = await runner.measureTime(original, candidate, receivers, false, TIMING);
      assert.equal(samples.rejection, undefined, samples.rejection);
      assert.ok((await runner.measureMemory(candidate, receivers, OPTS)).peakBytes >= 0);
      // The outcomes' inputs stay for the next candidate; the timing pair's went with its workers.
      const [directory] = inputsFiles().filter((name) => !before.has(name));
      assert.ok(directory, 'an inputs directory was made');
      assert.equal(readdirSync(`${tmpdir()}/${directory}`).length, 1);
    } finally {
      runner.dispose();
    }
    assert.deepEqual(inputsFiles().filter((name) => !before.has(name)), []);
  });

  it("passes instances of the user's own module's classes (a generator that imports them) as the side's classes", async () => {
    const runner = new PythonRunner();
    try {
      const target = await runner.extractTarget(readFileSync(CART_PATH, 'utf8'), CART_PATH, { functionName: 'Cart.distinct_skus' });
      const original = runner.originalProgram(target);
      const built = await buildPythonCandidate(
        target,
        'class Cart:\n    def distinct_skus(self):\n        seen = {}\n        for line in self.lines:\n            seen.setdefault(line.sku, None)\n' +
          '        self.scanned += len(self.lines)\n        return list(seen)\n',
        'candidate',
      );
      assert.ok(built.ok);
      const importing = generator(
        'from cart import Cart, Line\n\n' +
          'def correctness_inputs():\n    return [[Cart()], [Cart([Line(s, 1.0, 1) for s in "abcabdd"])], [Cart([Line(s, 1.0, 1) for s in "zz"])]]\n',
      );
      const summary = await runner.checkWorkload(original, importing, OPTS);
      assert.equal(summary.generatorBesideCode, undefined);
      const equivalence = await runner.checkEquivalence(original, built.program, importing, OPTS);
      assert.equal(equivalence.status, 'equivalent', JSON.stringify(equivalence));
    } finally {
      runner.dispose();
    }
  });

  it('runs a generator whose inputs are not data beside the code, says why, and still times', async () => {
    const original: Program = { id: 'original', functionName: 'f', source: 'def f(key, xs):\n    return sorted(xs, key=key)\n' };
    const candidate: Program = { ...original, id: 'candidate' };
    const lambdas = generator(
      'import random\n\n' +
        'def correctness_inputs():\n    return [[lambda x: -x, [3, 1, 2]], [abs, [-2, 1]]]\n\n' +
        'def sized_input(n):\n    return [lambda x: -x, [random.randrange(1000) for _ in range(n)]]\n',
    );
    const runner = new PythonRunner();
    try {
      const summary = await runner.checkWorkload(original, lambdas, OPTS);
      assert.match(summary.generatorBesideCode ?? '', /do not pickle/);
      assert.equal((await runner.checkEquivalence(original, candidate, lambdas, OPTS)).status, 'equivalent');
      const samples = await runner.measureTime(original, candidate, lambdas, false, TIMING);
      assert.equal(samples.rejection, undefined, samples.rejection);
      assert.ok(samples.original.length > 0 && samples.candidate.length > 0);
    } finally {
      runner.dispose();
    }
  });

  it('refuses to unpickle what is not data: a callable smuggled in by __reduce__ keeps the generator beside the code', async () => {
    const original: Program = { id: 'original', functionName: 'f', source: 'def f(x):\n    return x\n' };
    const smuggler = generator(
      'import os\n\nclass Payload:\n    def __reduce__(self):\n        return (os.getpid, ())\n\n' +
        'def correctness_inputs():\n    return [[Payload()]]\n',
    );
    const runner = new PythonRunner();
    try {
      const summary = await runner.checkWorkload(original, smuggler, OPTS);
      assert.match(summary.generatorBesideCode ?? '', /posix\.getpid is neither plain data nor a class/);
    } finally {
      runner.dispose();
    }
  });

  it('a side refuses an inputs file that is not data (as if the inputs process had been subverted), running nothing it names', async () => {
    const python = (await resolvePythonInterpreter()).executable;
    const dir = mkdtempSync(path.join(tmpdir(), 'perfloop-forged-'));
    try {
      const forged = path.join(dir, 'inputs.pickle');
      const marker = path.join(dir, 'ran');
      // Protocol 0: os.system('touch <marker>').
      writeFileSync(forged, `cos\nsystem\n(S'touch ${marker}'\ntR.`);
      const run = await runHarness({
        python,
        mode: 'outcomes',
        programs: { original: { program: { id: 'original', functionName: 'f', source: 'def f(x):\n    return x\n' } } },
        workload: generator('def correctness_inputs():\n    return [[1]]\n'),
        job: { side: 'original' },
        sandbox: 'auto',
        timeoutMs: 30_000,
        inputsFile: forged,
      });
      assert.equal(run.result?.ok, false, JSON.stringify(run.result));
      assert.match(run.result?.ok === false ? run.result.error.message : '', /(os|posix)\.system is neither plain data/);
      assert.equal(existsSync(marker), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
