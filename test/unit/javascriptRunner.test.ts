/**
 * JavaScriptRunner end to end: real Node, real sandbox. Programs come from real extraction where a fixture exists,
 * else are built directly (extraction itself is specified in javascriptTarget.test.ts).
 */
import { judgedTiming, verdictOf } from '../support/judgedTiming.js';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJavaScriptHarness } from '../../profilers/javascript/harnessProcess.js';
import { JavaScriptRunner } from '../../profilers/javascript/javascriptRunner.js';
import { TARGET_EXPORT } from '../../profilers/javascript/javascriptTarget.js';
import type { EquivalenceResult, ExtractedTarget, Program, RunOptions, WorkloadSource } from '../../profilers/runner.js';
import { RunnerError } from '../../profilers/runner.js';
import { decodeVlq, generatedToOriginalLines, typeScriptLineMap } from '../../profilers/javascript/sourceMap.js';
import { estimatePairedSpeedup } from '../../profilers/stats/speedup.js';
import { fitPowerLaw } from '../../profilers/stats/complexity.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixturePath = (name: string): string => path.join(repoRoot, 'test/fixtures/javascript', name);
const fixture = (name: string): string => readFileSync(fixturePath(name), 'utf8');

const OPTS: RunOptions = { sandbox: 'auto', timeoutMs: 20_000 };
/** A module defining `f`, as the runner's programs look. */
const program = (body: string, id = 'candidate'): Program => ({ id, source: `${body}\nexport { f as ${TARGET_EXPORT} };\n`, functionName: 'f' });

const NUMBERS: WorkloadSource = {
  kind: 'json',
  origin: 'user',
  correctness: [[[3, 1, 2, 9]], [[]], [[7]], [[5, 4, 5]]],
  performance: [[Array.from({ length: 2000 }, (_, i) => (i * 7919) % 1009)]],
};
const ORDERS: WorkloadSource = { kind: 'module', origin: 'user', path: fixturePath('orders.workload.mjs') };

function assertDifferent(result: EquivalenceResult): asserts result is Extract<EquivalenceResult, { status: 'different' }> {
  assert.equal(result.status, 'different', JSON.stringify(result));
}

describe('JavaScriptRunner', function () {
  this.timeout(120_000);
  const runner = new JavaScriptRunner();

  async function ordersPrograms(): Promise<{ original: Program; fast: Program; runner: JavaScriptRunner }> {
    const own = new JavaScriptRunner();
    const target = await own.extractTarget(fixture('orders.mjs'), fixturePath('orders.mjs'), { functionName: 'repeatedCustomers' });
    const build = await own.buildCandidate(target, fixture('orders.fast.mjs'), 'fast');
    assert.ok(build.ok);
    return { original: own.originalProgram(target), fast: build.program, runner: own };
  }

  it('describes the Node it runs', async () => {
    assert.match(await runner.describe(), /^Node v\d+\./);
  });

  it('checks a generator workload: sizes, examples, mutation of arguments', async () => {
    const { original, runner: own } = await ordersPrograms();
    const summary = await own.checkWorkload(original, ORDERS, OPTS);
    assert.equal(summary.correctnessCount, 5);
    assert.equal(summary.performanceCount, 1);
    assert.ok(summary.sizeable);
    assert.equal(summary.originalMutatesArguments, false);
    assert.match(summary.examples[0] ?? '', /^\[ \[\] \]$/);
    const sorting = await runner.checkWorkload(program('function f(xs) { return xs.sort(); }', 'original'), NUMBERS, OPTS);
    assert.ok(sorting.originalMutatesArguments);
  });

  it('measures a correct faster rewrite (Array.includes → Set) as equivalent and faster', async () => {
    const { original, fast, runner: own } = await ordersPrograms();
    assert.deepEqual(await own.checkEquivalence(original, fast, ORDERS, OPTS), { status: 'equivalent', inputsChecked: 6 });
    const samples = await own.measureTime(original, fast, ORDERS, false, { ...OPTS, samples: 12, sampleSeconds: 0.03 });
    assert.equal(samples.original.length, 12);
    const estimate = estimatePairedSpeedup(samples.original, samples.candidate);
    assert.equal(estimate.verdict, 'faster', JSON.stringify(estimate));
    assert.ok(estimate.ratio > 3, `ratio ${estimate.ratio}`);
  });

  it('times the same code as no difference', async () => {
    const { original, runner: own } = await ordersPrograms();
    const again = { ...original, id: 'same' };
    const judged = await judgedTiming(own, original, again, ORDERS, false, { ...OPTS, samples: 15, sampleSeconds: 0.03 });
    assert.equal(verdictOf(judged), 'no-difference', JSON.stringify(judged));
  });

  it('finds a changed output order and reports the smallest input that shows it', async () => {
    const { original, runner: own } = await ordersPrograms();
    const target = await own.extractTarget(fixture('orders.mjs'), fixturePath('orders.mjs'), { functionName: 'repeatedCustomers' });
    const sorted = await own.buildCandidate(target, fixture('orders.fast.mjs').replace('return [...repeated];', 'return [...repeated].sort((a, b) => a - b);'), 'sorted');
    assert.ok(sorted.ok);
    const result = await own.checkEquivalence(original, sorted.program, ORDERS, OPTS);
    assertDifferent(result);
    assert.equal(result.counterexample.kind, 'return');
    // [5, 4, 5, 4, 4] (5 orders) rather than [3, 1, 3, 2, 1, 3] (6): the smaller of the two failing inputs.
    assert.match(result.counterexample.input, /^\[ \[ \{ customerId: 5, amount: 0.5 \}/);
    assert.equal(result.counterexample.expected, 'returned [ 5, 4 ]');
    assert.match(result.counterexample.actual, /^returned \[ 4, 5 \]; first difference: result\[0\]: 5 vs 4$/);
    assert.equal(result.mismatches, 3); // two correctness inputs and the performance input
  });

  it('finds an off-by-one', async () => {
    const original = program('function f(xs) { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]; return s; }', 'original');
    const result = await runner.checkEquivalence(original, program('function f(xs) { let s = 0; for (let i = 1; i < xs.length; i++) s += xs[i]; return s; }'), NUMBERS, OPTS);
    assertDifferent(result);
    assert.deepEqual([result.counterexample.input, result.counterexample.expected, result.counterexample.actual], ['[ [ 7 ] ]', 'returned 7', 'returned 0; first difference: result: 7 vs 0']);
  });

  it('compares in JavaScript terms: -0, NaN, Maps, Sets, typed arrays, thrown errors, console output, mutation', async () => {
    const check = (original: string, candidate: string): Promise<EquivalenceResult> =>
      runner.checkEquivalence(program(original, 'original'), program(candidate), NUMBERS, OPTS);
    assert.equal((await check('function f(xs) { return -0 * xs.length; }', 'function f(xs) { return 0; }')).status, 'different');
    assert.equal((await check('function f(xs) { return [NaN, new Set(xs), new Map([[1, [...xs]]])]; }', 'function f(xs) { return [0 / 0, new Set([...xs].reverse()), new Map([[1, [...xs]]])]; }')).status, 'equivalent');
    // Handing back the caller's own array where the original returns a copy is a difference: the caller may change it.
    const aliased = await check('function f(xs) { return [...xs]; }', 'function f(xs) { return xs; }');
    assertDifferent(aliased);
    assert.match(aliased.counterexample.actual, /first difference: result: Array .* vs the argument arguments\[0\] itself/);
    assert.equal((await check('function f(xs) { return Float64Array.from(xs, (x) => x / 10); }', 'function f(xs) { return Float64Array.from(xs, (x) => x * 0.1); }')).status, 'equivalent');
    assert.equal((await check('function f(xs) { return Int32Array.from(xs); }', 'function f(xs) { return Array.from(xs); }')).status, 'different');
    const thrown = await check('function f(xs) { if (!xs.length) throw new RangeError("empty"); return xs[0]; }', 'function f(xs) { if (!xs.length) throw new TypeError("empty"); return xs[0]; }');
    assertDifferent(thrown);
    assert.equal(thrown.counterexample.kind, 'exception');
    assert.match(thrown.counterexample.expected, /raised RangeError: empty/);
    const printed = await check('function f(xs) { console.log("n =", xs.length); return 1; }', 'function f(xs) { return 1; }');
    assertDifferent(printed);
    assert.deepEqual([printed.counterexample.kind, printed.counterexample.expected], ['stdout', 'printed "n = 0\\n"']);
    const mutated = await check('function f(xs) { return [...xs].sort()[0]; }', 'function f(xs) { return xs.sort()[0]; }');
    assertDifferent(mutated);
    assert.equal(mutated.counterexample.kind, 'mutation');
    assert.equal((await check('async function f(xs) { return xs.length; }', 'async function f(xs) { await null; return xs.length; }')).status, 'equivalent');
  });

  it('runs TypeScript (types stripped by esbuild) and resolves imports from the user file', async () => {
    const ts = await runner.extractTarget(fixture('stats.ts'), fixturePath('stats.ts'), { functionName: 'summarise' });
    const samples: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[[]], [[{ label: 'a', value: 2 }, { label: 'b', value: 4 }]]], performance: [] };
    const typed = await runner.buildCandidate(ts, 'export const summarise = (samples: Sample[]): Summary => samples.length ? { mean: samples.reduce((t, s) => t + s.value, 0) / samples.length, count: samples.length } : EMPTY;', 'ts');
    assert.ok(typed.ok);
    assert.deepEqual(await runner.checkEquivalence(runner.originalProgram(ts), typed.program, samples, OPTS), { status: 'equivalent', inputsChecked: 2 });
    const imported = await runner.extractTarget(fixture('withImport.mjs'), fixturePath('withImport.mjs'), { functionName: 'heaviest' });
    const words: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[['a', 'ccc', 'bb']]], performance: [] };
    const summary = await runner.checkWorkload(runner.originalProgram(imported), words, OPTS);
    assert.equal(summary.originalRaisedOn, 0);
  });

  it('runs CommonJS-style files: `require` resolves from the user file', async () => {
    const target = await runner.extractTarget(fixture('legacy.js'), fixturePath('legacy.js'), { functionName: 'longestPath' });
    const parts: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[['a', 'bbb', 'cc']]], performance: [] };
    const candidate = await runner.buildCandidate(target, "function longestPath(parts) { return path.join('root', parts.reduce((a, b) => (weight(b) > weight(a) ? b : a))); }", 'c');
    assert.ok(candidate.ok);
    assert.deepEqual(await runner.checkEquivalence(runner.originalProgram(target), candidate.program, parts, OPTS), { status: 'equivalent', inputsChecked: 1 });
  });

  it('reports a candidate that throws on load as an error, and one that hangs as a timeout', async () => {
    const original = program('function f(xs) { return xs.length; }', 'original');
    const broken = await runner.checkEquivalence(original, program('throw new Error("boom");\nfunction f(xs) { return 0; }'), NUMBERS, OPTS);
    assert.equal(broken.status, 'error');
    assert.match(broken.status === 'error' ? broken.reason : '', /candidate cannot run: it does not load: boom/);
    const hang = await runner.checkEquivalence(original, program('function f(xs) { for (;;) {} }'), NUMBERS, { ...OPTS, timeoutMs: 4000 });
    assert.equal(hang.status, 'timeout');
    assert.match(hang.status === 'timeout' ? hang.reason : '', /the candidate was running on correctness input 0/);
  });

  it('names the workload as the problem when the generator is broken', async () => {
    const generator: WorkloadSource = { kind: 'generator', origin: 'llm', source: 'export function correctnessInputs() { return [1, 2]; }' };
    await assert.rejects(runner.checkWorkload(program('function f(x) { return x; }', 'original'), generator, OPTS), (e: unknown) =>
      e instanceof RunnerError && /workload is unusable: correctnessInputs\(\)\[0\] must be an array of arguments/.test(e.message));
  });

  it('reads performanceInputs() as the timed inputs, and takes a module with no correctnessInputs()', async () => {
    const original = program('function f(xs) { return [...xs].sort((a, b) => a - b); }', 'original');
    const both: WorkloadSource = {
      kind: 'generator',
      origin: 'llm',
      source: 'export function correctnessInputs() { return [[[2, 1]], [[]]]; }\nexport function performanceInputs() { return [[[5, 4, 3]], [[9, 8]], [[7]]]; }\n',
    };
    const summary = await runner.checkWorkload(original, both, OPTS);
    assert.deepEqual([summary.correctnessCount, summary.performanceCount, summary.sizeable], [2, 3, false]);
    const timedOnly: WorkloadSource = { kind: 'generator', origin: 'llm', source: 'export function performanceInputs() { return [[[5, 4, 3]], [[9, 8]]]; }\n' };
    assert.deepEqual(((s) => [s.correctnessCount, s.performanceCount])(await runner.checkWorkload(original, timedOnly, OPTS)), [2, 2]);
    const sizedOnly: WorkloadSource = { kind: 'generator', origin: 'llm', source: 'export function sizedInput(n) { return [Array.from({ length: n }, (_, i) => n - i)]; }\n' };
    const sized = await runner.checkWorkload(original, sizedOnly, OPTS);
    assert.ok(sized.sizeable && sized.correctnessCount === 7 && sized.performanceCount === 1, JSON.stringify(sized));
    const empty: WorkloadSource = { kind: 'generator', origin: 'llm', source: 'export const inputs = [];\n' };
    await assert.rejects(runner.checkWorkload(original, empty, OPTS), /must export a function correctnessInputs\(\)/);
  });

  it('measures memory and complexity of the original', async () => {
    const { original, runner: own } = await ordersPrograms();
    await own.checkWorkload(original, ORDERS, OPTS);
    const memory = await own.measureMemory(original, ORDERS, OPTS);
    assert.ok(memory.peakBytes > 0 && (memory.maxRssBytes ?? 0) > 10e6, JSON.stringify(memory));
    const points = await own.measureComplexity(original, ORDERS, { ...OPTS, maxPoints: 6, maxSecondsPerCall: 0.5 });
    assert.ok(points.length >= 4, JSON.stringify(points));
    // Doubling sizes, overhead-only ones (calls under 50 µs) left out: the quadratic function reads as quadratic.
    for (let i = 1; i < points.length; i++) assert.equal(points[i]?.size, (points[i - 1]?.size ?? 0) * 2);
    assert.ok(points.every((p) => p.seconds >= 50e-6), JSON.stringify(points));
    const fit = fitPowerLaw(points);
    assert.ok(fit && fit.exponent > 1.5, JSON.stringify(fit));
    assert.deepEqual(await own.measureComplexity(original, NUMBERS, { ...OPTS, maxPoints: 6, maxSecondsPerCall: 0.5 }), []);
  });

  it('reads heap growth alike in every process, and says when a call allocates less than it resolves', async () => {
    // Read after warm calls, from collected heaps, node started with --no-lazy-feedback-allocation, the harness's own
    // allocations subtracted: before, a call allocating one small object read 10 KB–270 KB, and identical code 0.16×–6.1×.
    const runner = new JavaScriptRunner();
    const tiny = program('class P { constructor(x, y) { this.x = x; this.y = y; } }\nfunction f(a, b) { return new P(a.x + b.x, a.y + b.y); }', 'original');
    const points: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[{ x: 1, y: 2 }, { x: 3, y: 4 }]], performance: [[{ x: 1, y: 2 }, { x: 3, y: 4 }]] };
    const array = program('function f(n) { const out = []; for (let i = 0; i < n; i++) out.push(i * 2); return out; }', 'original');
    const size: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[3]], performance: [[20_000]] };
    const tinyReadings = await Promise.all([1, 2, 3].map(() => runner.measureMemory(tiny, points, OPTS)));
    for (const reading of tinyReadings) {
      assert.ok(reading.peakBytes < (reading.resolutionBytes ?? 0), `a call allocating one small object: ${JSON.stringify(reading)}`);
    }
    const arrayReadings: number[] = [];
    for (let batch = 0; batch < 2; batch++) {
      arrayReadings.push(...(await Promise.all([1, 2, 3].map(() => runner.measureMemory(array, size, OPTS)))).map((r) => r.peakBytes));
    }
    // 20,000 small integers, the backing store grown 1.5× at a time: half a megabyte, the same in each process (with V8's
    // collector threads, 446 KB–708 KB: when a collection ran inside the call depended on the machine's load; then 392 KB–
    // 656 KB: the size of the free block old space took inside the call; now 556,440 bytes in every process, loaded or not).
    assert.ok(arrayReadings.every((b) => b > 200_000 && b < 2_000_000), arrayReadings.join(' '));
    assert.ok(Math.max(...arrayReadings) / Math.min(...arrayReadings) < 1.05, arrayReadings.join(' '));
  });

  it('profiles the original line by line with V8\'s CPU profiler: the Array.includes line dominates', async () => {
    const { original, runner: own } = await ordersPrograms();
    const profile = await own.profileLines(original, ORDERS, { ...OPTS, timeoutMs: 6000 });
    const hottest = [...profile.entries].sort((a, b) => b.timeSeconds - a.timeSeconds)[0];
    assert.ok(hottest, 'no line was sampled');
    assert.deepEqual([hottest.line, hottest.text.trim()], [6, 'if (seen.includes(id)) {']);
    assert.ok(hottest.timeShare > 0.5 && profile.totalSeconds > 0.1, JSON.stringify(profile));
  });

  it('profiles TypeScript on its own lines (esbuild drops type-only lines; the source map maps them back)', async () => {
    const file = path.join(repoRoot, 'examples/typescript/tags.ts');
    const own = new JavaScriptRunner({ dialect: 'typescript' });
    const target = await own.extractTarget(readFileSync(file, 'utf8'), file, { functionName: 'postsByTag' });
    const workload: WorkloadSource = { kind: 'module', origin: 'user', path: path.join(repoRoot, 'examples/typescript/tags.perfloop.ts') };
    const original = own.originalProgram(target);
    await own.checkWorkload(original, workload, OPTS);
    const profile = await own.profileLines(original, workload, { ...OPTS, timeoutMs: 6000 });
    const hottest = [...profile.entries].sort((a, b) => b.timeSeconds - a.timeSeconds)[0];
    assert.ok(hottest, 'no line was sampled');
    const lines = target.functionSource.split('\n');
    for (const entry of profile.entries) assert.equal(entry.text, lines[entry.line - 1]);
    assert.match(hottest.text, /index\.find|\[\.\.\.(?:entry|index)/, JSON.stringify(profile.entries));
  });

  it('maps generated lines to TypeScript lines through a source map', async () => {
    assert.deepEqual(decodeVlq('AAgBC'), [0, 0, 16, 1]);
    assert.deepEqual([...generatedToOriginalLines('AAAA;AACA;;AAEA').entries()], [[1, 1], [2, 2], [4, 4]]);
    const map = await typeScriptLineMap('interface A {\n  x: number;\n}\n\nexport function f(a: A): number {\n  return a.x;\n}\n');
    assert.equal(map.get(1), 5);
    assert.equal(map.get(2), 6);
  });

  it('counts the instructions of the calls, start-up subtracted, when the machine has a counter', async function () {
    this.timeout(300_000); // each count is three runs of Node under the counter (one measures serialising the results)
    const { original, fast, runner: own } = await ordersPrograms();
    const orders: WorkloadSource = {
      kind: 'json',
      origin: 'user',
      correctness: [],
      performance: [[Array.from({ length: 2000 }, (_, i) => ({ customerId: (i * 7919) % 1009 }))]],
    };
    const slow = await own.countInstructions(original, orders, OPTS);
    if (!slow) this.skip();
    const quick = await own.countInstructions(fast, orders, OPTS);
    assert.ok(quick && slow.startupInstructions > 1e6 && quick.instructions > 0, JSON.stringify({ slow, quick }));
    assert.ok(slow.instructions > 2 * quick.instructions, JSON.stringify({ slow, quick }));
  });

  it('counts the same program alike every time: identical counts agree to 0.05% under valgrind', async function () {
    this.timeout(300_000); // each count is three runs of Node under the counter (one measures serialising the results)
    const { original, runner: own } = await ordersPrograms();
    const first = await own.countInstructions(original, ORDERS, OPTS);
    // perf reads hardware counters, which also see the kernel's interruptions: close, but not repeatable to this.
    if (first?.counter !== 'valgrind') this.skip();
    const second = await own.countInstructions(original, ORDERS, OPTS);
    const counts = JSON.stringify({ first, second });
    assert.ok(second && first.instructions > 10e6, counts);
    // Quiet, counts agreed to about 0.001% (javascriptRunner.ts); a CI run at load 6–9 on 2 cores saw 0.012% (9 K of 76 M
    // instructions): valgrind's thread scheduling still follows timing. Since 2026-12-07 one run in two or three differs
    // by a chunk of ~5.6 M instructions (0.52%) in one of its three processes, quiet or loaded, --no-memory-reducer or
    // not: a regression under investigation (issue 16). Verdicts need 5%; this bound is the regression guard meanwhile.
    assert.ok(Math.abs(first.instructions - second.instructions) <= 1e-2 * first.instructions, counts);
  });

  it('loads programs and workloads as count runs do: imports of the user\'s files anchored, packages through the hooks', async () => {
    const load = async (programs: Parameters<typeof runJavaScriptHarness>[0]['programs'], workload: WorkloadSource) => {
      const request = { node: process.execPath, mode: 'workload', programs, workload, job: {}, timeoutMs: 20_000 } as const;
      const run = await runJavaScriptHarness({ ...request, sandbox: OPTS.sandbox, anchorImports: true });
      assert.equal(run.result?.ok, true, JSON.stringify(run.result ?? run.sandbox.stderr));
    };
    const imported = await runner.extractTarget(fixture('withImport.mjs'), fixturePath('withImport.mjs'), { functionName: 'heaviest' });
    const words: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[['a', 'ccc', 'bb']]], performance: [] };
    await load({ original: { program: runner.originalProgram(imported), filePath: fixturePath('withImport.mjs') } }, words);
    const cart = await runner.extractTarget(fixture('cart.mjs'), fixturePath('cart.mjs'), { functionName: 'Cart.total' });
    const cartWorkload: WorkloadSource = { kind: 'module', origin: 'user', path: fixturePath('cart.imported.workload.mjs') };
    await load({ original: { program: runner.originalProgram(cart), filePath: fixturePath('cart.mjs') } }, cartWorkload);
    // A package resolves from node_modules above the user's file: only Node's resolver, through the hooks, finds it.
    const usesPackage = program("import { z } from 'zod';\nfunction f(xs) { return z.array(z.string()).parse(xs).length; }", 'original');
    await load({ original: { program: usesPackage, filePath: fixturePath('usesPackage.mjs') } }, words);
  });
  it('runs a user file of a project that lives in a hidden area (/tmp): sibling modules, node_modules and "type" visible', async () => {
    // The sandbox replaces /tmp with a private one; a project checked out there must still load as Node would load it.
    const project = mkdtempSync(path.join(tmpdir(), 'perfloop-js-project-'));
    try {
      const write = (relative: string, text: string): void => {
        mkdirSync(path.dirname(path.join(project, relative)), { recursive: true });
        writeFileSync(path.join(project, relative), text);
      };
      write('package.json', JSON.stringify({ name: 'app', type: 'module' }));
      write('node_modules/tally/package.json', JSON.stringify({ name: 'tally', main: 'index.js' }));
      write('node_modules/tally/index.js', 'exports.tally = (xs) => xs.length;\n');
      write('src/lib/double.js', 'export const double = (n) => 2 * n;\n');
      const source = "import { tally } from 'tally';\nimport { double } from '../lib/double.js';\n" +
        'export function measure(xs) {\n  return double(tally(xs));\n}\n';
      write('src/app/measure.js', source);
      const file = path.join(project, 'src/app/measure.js');
      const target = await runner.extractTarget(source, file, { functionName: 'measure' });
      const workload: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[['a', 'b', 'c']]], performance: [] };
      for (const anchorImports of [false, true]) {
        const run = await runJavaScriptHarness({
          node: process.execPath, mode: 'workload', job: {}, timeoutMs: 20_000, sandbox: OPTS.sandbox, anchorImports, workload,
          programs: { original: { program: runner.originalProgram(target), filePath: file } },
        });
        assert.equal(run.result?.ok, true, `anchorImports ${anchorImports}: ${JSON.stringify(run.result ?? run.sandbox.stderr)}`);
      }
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
  describe('method targets', () => {
    const CART_WORKLOAD: WorkloadSource = { kind: 'module', origin: 'user', path: fixturePath('cart.workload.mjs') };

    async function cartTarget(): Promise<{ target: ExtractedTarget; original: Program; runner: JavaScriptRunner }> {
      const own = new JavaScriptRunner();
      const target = await own.extractTarget(fixture('cart.mjs'), fixturePath('cart.mjs'), { functionName: 'Cart.total' });
      return { target, original: own.originalProgram(target), runner: own };
    }

    async function candidate(own: JavaScriptRunner, target: ExtractedTarget, code: string): Promise<Program> {
      const build = await own.buildCandidate(target, code, 'candidate');
      assert.ok(build.ok, build.ok ? '' : build.reason);
      return build.program;
    }

    it('measures a correct faster method (in its class, with a new helper method) as equivalent and faster', async () => {
      const { target, original, runner: own } = await cartTarget();
      const summary = await own.checkWorkload(original, CART_WORKLOAD, OPTS);
      assert.deepEqual([summary.correctnessCount, summary.sizeable, summary.originalMutatesArguments, summary.originalRaisedOn], [4, true, false, 0]);
      assert.match(summary.examples[1] ?? '', /^\[ Cart \{ items: \[ Item \{ sku: 'a'/);
      const fast = await candidate(own, target, fixture('cart.fast.mjs'));
      // The GiftCart input runs GiftCart.taxRate through super: the candidate's class is the one it extends.
      assert.deepEqual(await own.checkEquivalence(original, fast, CART_WORKLOAD, OPTS), { status: 'equivalent', inputsChecked: 5 });
      const samples = await own.measureTime(original, fast, CART_WORKLOAD, false, { ...OPTS, samples: 10, sampleSeconds: 0.03 });
      assert.equal(samples.candidate.length, 10);
      assert.equal(estimatePairedSpeedup(samples.original, samples.candidate).verdict, 'faster');
    });

    it('finds a candidate that changes the receiver (a mutation) or what the method returns', async () => {
      const { target, original, runner: own } = await cartTarget();
      const caching = await candidate(own, target, fixture('cart.fast.mjs').replace('const rates = this.ratesBySku();', 'const rates = (this.rates = this.ratesBySku());'));
      const mutated = await own.checkEquivalence(original, caching, CART_WORKLOAD, OPTS);
      assertDifferent(mutated);
      assert.equal(mutated.counterexample.kind, 'mutation');
      assert.match(mutated.counterexample.actual, /rates: Map/);
      const untaxed = await candidate(own, target, fixture('cart.fast.mjs').replace('(1 + this.taxRate())', '1'));
      const returned = await own.checkEquivalence(original, untaxed, CART_WORKLOAD, OPTS);
      assertDifferent(returned);
      assert.equal(returned.counterexample.kind, 'return');
    });

    it('runs recursion through `this` in the candidate\'s own class: a candidate wrong only below the root is caught', async () => {
      const own = new JavaScriptRunner();
      const target = await own.extractTarget(fixture('tree.mjs'), fixturePath('tree.mjs'), { functionName: 'TreeNode.sum' });
      const trees: WorkloadSource = {
        kind: 'generator',
        origin: 'llm',
        source: `export function correctnessInputs({ TreeNode }) {
  const leaf = (v) => new TreeNode(v);
  return [[new TreeNode(1, [leaf(2), new TreeNode(3, [leaf(-4), leaf(5)])])], [new TreeNode(7, [leaf(-1)])]];
}`,
      };
      // Right at the root (which has children), wrong on negative leaves: only the recursive calls see the bug.
      const wrong = await candidate(own, target, 'sum() {\n  if (this.children.length === 0) return Math.abs(this.value);\n  return this.children.reduce((total, child) => total + child.sum(), this.value);\n}');
      const result = await own.checkEquivalence(own.originalProgram(target), wrong, trees, OPTS);
      assertDifferent(result);
      assert.equal(result.mismatches, 2);
      const right = await candidate(own, target, 'class TreeNode {\n  sum() {\n    return this.children.reduce((total, child) => total + child.sum(), this.value);\n  }\n}');
      assert.deepEqual(await own.checkEquivalence(own.originalProgram(target), right, trees, OPTS), { status: 'equivalent', inputsChecked: 2 });
    });

    it('takes receivers from a workload importing the user\'s file, from JSON, and from a generator given the classes', async () => {
      const { target, original, runner: own } = await cartTarget();
      const fast = await candidate(own, target, fixture('cart.fast.mjs'));
      // The user's own Cart class: each side's copies get its own Cart, so the candidate's new helper method is there.
      const imported: WorkloadSource = { kind: 'module', origin: 'user', path: fixturePath('cart.imported.workload.mjs') };
      assert.deepEqual(await own.checkEquivalence(original, fast, imported, OPTS), { status: 'equivalent', inputsChecked: 2 });
      // JSON receivers are plain objects: they become Carts (fields as given, constructor not run).
      const receiver = { items: [{ sku: 'a', price: 2, quantity: 2 }], discounts: [{ sku: 'a', rate: 0.5 }], checkouts: 0 };
      const json: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[receiver]], performance: [] };
      assert.deepEqual(await own.checkEquivalence(original, fast, json, OPTS), { status: 'equivalent', inputsChecked: 1 });
      const generator: WorkloadSource = {
        kind: 'generator',
        origin: 'llm',
        source: `export function correctnessInputs({ Cart, Item }) {
  return [[new Cart([new Item('x', 10, 2)], [{ sku: 'x', rate: 0.1 }])]];
}
export function sizedInput(n, { Cart, Item }) {
  const skus = Array.from({ length: n }, (_, i) => 's' + i);
  return [new Cart(skus.map((sku, i) => new Item(sku, i)), skus.map((sku) => ({ sku, rate: 0.5 })))];
}`,
      };
      const summary = await own.checkWorkload(original, generator, OPTS);
      assert.deepEqual([summary.correctnessCount, summary.performanceCount, summary.originalRaisedOn], [1, 1, 0]);
      assert.equal((await own.checkEquivalence(original, fast, generator, OPTS)).status, 'equivalent');
    });

    it('runs static methods and TypeScript methods (private modifiers, parameter properties), and profiles a method on its own lines', async () => {
      const { runner: own } = await cartTarget();
      const merge = await own.extractTarget(fixture('cart.mjs'), fixturePath('cart.mjs'), { functionName: 'Cart.merge' });
      const carts: WorkloadSource = {
        kind: 'generator',
        origin: 'llm',
        source: `export function correctnessInputs({ Cart, Item }) {
  return [[new Cart([new Item('a', 1)]), new Cart([new Item('b', 2)], [{ sku: 'b', rate: 0.5 }])], [new Cart(), new Cart()]];
}`,
      };
      const spread = await candidate(own, merge, 'class Cart {\n  static merge(a, b) {\n    const merged = new Cart([...a.items, ...b.items]);\n    merged.discounts = [...a.discounts, ...b.discounts];\n    return merged;\n  }\n}');
      assert.deepEqual(await own.checkEquivalence(own.originalProgram(merge), spread, carts, OPTS), { status: 'equivalent', inputsChecked: 2 });

      const ts = new JavaScriptRunner({ dialect: 'typescript' });
      const target = await ts.extractTarget(fixture('cart.ts'), fixturePath('cart.ts'), { functionName: 'PriceList.totalFor' });
      const lists: WorkloadSource = {
        kind: 'generator',
        origin: 'llm',
        source: `export function correctnessInputs({ PriceList }) {
  return [[new PriceList('EUR').add('a', 1.25).add('b', 2), ['a', 'b', 'c', 'a']], [new PriceList('EUR', 0), ['a']]];
}
export function sizedInput(n: number, { PriceList }) {
  const list = new PriceList('EUR');
  for (let i = 0; i < n; i++) list.add('s' + i, i / 4);
  return [list, Array.from({ length: n }, (_, i) => 's' + ((i * 7919) % n))];
}`,
      };
      const original = ts.originalProgram(target);
      const mapped = await candidate(
        ts,
        target,
        'class PriceList {\n  public totalFor(skus: string[]): number {\n    const prices = new Map<string, number>();\n    for (const l of this.lines) if (!prices.has(l.sku)) prices.set(l.sku, l.price);\n    let total = 0;\n    for (const sku of skus) total += prices.get(sku) ?? 0;\n    return Number(total.toFixed(this.rounding));\n  }\n}',
      );
      await ts.checkWorkload(original, lists, OPTS);
      assert.deepEqual(await ts.checkEquivalence(original, mapped, lists, OPTS), { status: 'equivalent', inputsChecked: 3 });
      const profile = await ts.profileLines(original, lists, { ...OPTS, timeoutMs: 6000 });
      assert.ok(profile.entries.length > 0, 'no line was sampled');
      const lines = target.functionSource.split('\n');
      for (const entry of profile.entries) assert.equal(entry.text, lines[entry.line - 1]);
      assert.ok(profile.entries.some((e) => e.text.includes('this.priceOf(sku)')), JSON.stringify(profile.entries));
    });

    it('measures memory and complexity of a method, and counts its instructions when the machine has a counter', async () => {
      const { original, runner: own } = await cartTarget();
      await own.checkWorkload(original, CART_WORKLOAD, OPTS);
      const memory = await own.measureMemory(original, CART_WORKLOAD, OPTS);
      assert.ok(memory.peakBytes >= 0 && (memory.maxRssBytes ?? 0) > 10e6, JSON.stringify(memory));
      const points = await own.measureComplexity(original, CART_WORKLOAD, { ...OPTS, maxPoints: 4, maxSecondsPerCall: 0.2 });
      assert.ok(points.length >= 3, JSON.stringify(points));
      const count = await own.countInstructions(original, CART_WORKLOAD, OPTS);
      if (count) assert.ok(count.instructions > 0, JSON.stringify(count));
    });
  });
});
