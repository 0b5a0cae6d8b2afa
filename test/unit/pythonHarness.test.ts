/**
 * The Python harness at its protocol: job in, result out, through the real sandbox and the real interpreter. These pin
 * down what "behaves the same" means, and that user code cannot corrupt or escape the measuring process.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { candidateLimits, judgeOutcomes, outcomesData } from '../../profilers/judge/outcomes.js';
import { runHarness, type HarnessRun, type HarnessRunRequest, type ProgramWithOrigin } from '../../profilers/python/harnessProcess.js';
import { countData, workloadData, type HarnessJob, type HarnessMode } from '../../profilers/python/harnessProtocol.js';
import { resolvePythonInterpreter } from '../../profilers/python/pythonInterpreter.js';
import type { EquivalenceResult, WorkloadSource } from '../../profilers/runner.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixture = (relative: string): string => path.join(repoRoot, 'test/fixtures/python', relative);

const LISTS: WorkloadSource = {
  kind: 'json',
  origin: 'user',
  correctness: [[[3, 1, 2, 9, 9, 9]], [[]], [[5, 4]], [[7]]],
  performance: [[Array.from({ length: 300 }, (_, i) => (i * 37) % 101)]],
};

const withSource = (source: string, functionName = 'f') => ({ program: { id: 'p', source, functionName } });

let python = '';

async function harness(
  mode: HarnessMode,
  programs: HarnessRunRequest['programs'],
  workload: WorkloadSource = LISTS,
  job: Partial<HarnessJob> = {},
  timeoutMs = 30_000,
): Promise<HarnessRun> {
  return runHarness({ python, mode, programs, workload, job, sandbox: 'auto', timeoutMs });
}

function okData(run: HarnessRun): unknown {
  assert.ok(run.result, `no result; stderr: ${run.sandbox.stderr.slice(-500)}`);
  assert.ok(run.result.ok, `harness error: ${JSON.stringify(run.result)}`);
  return run.result.data;
}

/** Each side in its own harness process (outcomes mode), judged here as the runner does. */
async function verify(original: string, candidate: string, workload: WorkloadSource = LISTS): Promise<EquivalenceResult> {
  return verifyPrograms(withSource(original), withSource(candidate), workload);
}

async function verifyPrograms(original: ProgramWithOrigin, candidate: ProgramWithOrigin, workload: WorkloadSource): Promise<EquivalenceResult> {
  const expected = outcomesData.parse(okData(await harness('outcomes', { original }, workload, { side: 'original' })));
  const run = await harness('outcomes', { candidate }, workload, { side: 'candidate', limits: candidateLimits(expected, 15) });
  return judgeOutcomes(expected, outcomesData.parse(okData(run)), 1e-7);
}

const floats = (...rows: unknown[][]): WorkloadSource => ({ kind: 'json', origin: 'user', correctness: rows.map((r) => [r]), performance: [] });

describe('Python harness', function () {
  this.timeout(30_000);

  before(async () => {
    python = (await resolvePythonInterpreter()).executable;
  });

  describe('equality of results', () => {
    const cases: [string, string, string, 'equivalent' | 'different', WorkloadSource?][] = [
      ['a tuple is not a list', 'def f(xs):\n    return list(xs)\n', 'def f(xs):\n    return tuple(xs)\n', 'different'],
      ['a float is not an int', 'def f(xs):\n    return len(xs)\n', 'def f(xs):\n    return float(len(xs))\n', 'different'],
      ['a bool is not an int', 'def f(xs):\n    return int(len(xs) > 1)\n', 'def f(xs):\n    return len(xs) > 1\n', 'different'],
      ['dict order does not matter', 'def f(xs):\n    return {x: 1 for x in xs}\n', 'def f(xs):\n    return {x: 1 for x in reversed(xs)}\n', 'equivalent'],
      ['sets compare as sets', 'def f(xs):\n    return set(xs)\n', 'def f(xs):\n    return {x for x in sorted(xs)}\n', 'equivalent'],
      ['iterators are compared by what they yield', 'def f(xs):\n    return map(abs, xs)\n', 'def f(xs):\n    return (abs(x) for x in xs)\n', 'equivalent'],
      ['a lazy result differs from a list', 'def f(xs):\n    return [x for x in xs]\n', 'def f(xs):\n    return iter(xs)\n', 'different'],
      [
        'copies of a context dataclass compare by fields',
        'from dataclasses import dataclass\n@dataclass\nclass P:\n    n: int\ndef f(xs):\n    return P(len(xs))\n',
        'from dataclasses import dataclass\n@dataclass\nclass P:\n    n: int\ndef f(xs):\n    return P(sum(1 for _ in xs))\n',
        'equivalent',
      ],
      [
        'float sums may differ in the last bits',
        'def f(xs):\n    t = 0.0\n    for x in xs:\n        t += x\n    return t\n',
        'def f(xs):\n    return sum(reversed(xs))\n',
        'equivalent',
        // Both inputs give results that differ in the last bit (0.6000000000000001 vs 0.6).
        floats([0.1, 0.2, 0.3], [1e-3, 0.7, 0.1, 3.3, 1 / 3]),
      ],
      [
        'a float error beyond the tolerance is a difference',
        'def f(xs):\n    t = 0.0\n    for x in xs:\n        t += x\n    return t\n',
        'import math\ndef f(xs):\n    return math.fsum(xs)\n',
        'different',
        floats([1e16, 1.0, -1e16]),
      ],
      ['NaN equals NaN', 'def f(xs):\n    return [float("nan")] + xs\n', 'def f(xs):\n    return [float("nan"), *xs]\n', 'equivalent', floats([1.5])],
      ['NaN is not a number', 'def f(xs):\n    return float("nan")\n', 'def f(xs):\n    return 0.0\n', 'different', floats([1.5])],
    ];
    for (const [name, original, candidate, expected, workload] of cases) {
      it(`${name} → ${expected}`, async () => {
        assert.equal((await verify(original, candidate, workload)).status, expected);
      });
    }

    it('shows where objects differ instead of their addresses', async () => {
      const klass = 'class Box:\n    def __init__(self, n):\n        self.n = n\n';
      const result = await verify(`${klass}def f(xs):\n    return Box(len(xs))\n`, `${klass}def f(xs):\n    return Box(len(xs) % 3)\n`);
      assert.equal(result.status, 'different');
      assert.ok(result.status === 'different');
      assert.equal(result.counterexample.input, '([3, 1, 2, 9, 9, 9])');
      assert.match(result.counterexample.expected, /Box\(n=6\)/);
      assert.match(result.counterexample.actual, /first difference: result\.n: 6 vs 0/);
    });
  });

  it('reports the smallest failing input, not the first, and counts every mismatch', async () => {
    const result = await verify('def f(xs):\n    return sorted(xs)\n', 'def f(xs):\n    return sorted(xs)[:1]\n');
    assert.ok(result.status === 'different', JSON.stringify(result));
    assert.equal(result.mismatches, 3); // the 6-item list, [5, 4] and the 300-item performance input
    assert.equal(result.counterexample.input, '([5, 4])');
    assert.match(result.counterexample.actual, /length 2 vs 1/);
  });

  it('ignores exception messages but not exception types', async () => {
    const raising = (type: string, message: string) => `def f(xs):\n    if len(xs) > 1:\n        raise ${type}("${message}")\n    return 0\n`;
    assert.equal((await verify(raising('ValueError', 'a'), raising('ValueError', 'b'))).status, 'equivalent');
    const different = await verify(raising('ValueError', 'a'), raising('KeyError', 'a'));
    assert.ok(different.status === 'different');
    assert.equal(different.counterexample.kind, 'exception');
    assert.match(different.counterexample.expected, /raised ValueError/);
  });

  it('keeps the protocol intact whatever user code prints, even on file descriptor 1', async () => {
    const noisy = 'import os\nprint("{\\"ok\\": false}")\ndef f(xs):\n    os.write(1, b"garbage")\n    print("hello")\n    return len(xs)\n';
    assert.equal((await verify(noisy, noisy)).status, 'equivalent');
  });

  it('stops a candidate that swallows the time-limit exception and names the input', async () => {
    const stubborn = [
      'def f(xs):',
      '    if len(xs) > 100:',
      '        try:',
      '            while True:',
      '                pass',
      '        except BaseException:',
      '            pass',
      '        while True:',
      '            pass',
      '    return sorted(xs)',
    ].join('\n');
    const started = Date.now();
    const result = await verify('def f(xs):\n    return sorted(xs)\n', stubborn);
    assert.equal(result.status, 'timeout');
    assert.ok(result.status === 'timeout');
    assert.match(result.reason, /performance input 0 \(\[0, 37, 74/);
    assert.ok(Date.now() - started < 10_000, 'the per-call limit, not the sandbox, stopped it');
  });

  it('leaves a progress record naming the input when the process dies', async () => {
    const run = await harness('outcomes', {
      candidate: withSource('import os\ndef f(xs):\n    if len(xs) == 2:\n        os._exit(7)\n    return xs\n'),
    }, LISTS, { side: 'candidate' });
    assert.equal(run.result, undefined);
    assert.equal(run.sandbox.exitCode, 7);
    assert.deepEqual(run.progress && [run.progress.side, run.progress.set, run.progress.input], ['candidate', 'correctness', '([5, 4])']);
  });

  it('reports a syntax error with its line, as a program error of that side', async () => {
    const run = await harness('outcomes', { candidate: withSource('import math\n\ndef f(xs):\n    return [x for x in xs\n') }, LISTS, { side: 'candidate' });
    assert.ok(run.result && !run.result.ok);
    assert.equal(run.result.error.kind, 'program');
    assert.equal(run.result.error.side, 'candidate');
    assert.equal(run.result.error.line, 4);
    assert.match(run.result.error.message, /SyntaxError/);
  });

  describe('workloads', () => {
    it('resolves the user project modules before its own (a user module named like a harness module)', async () => {
      const target = fixture('project/scaled.py');
      const source = 'from compare import twice\n\n\ndef scaled(values):\n    return [twice(v) for v in values]\n';
      const program = { program: { id: 'original', source, functionName: 'scaled' }, filePath: target };
      assert.equal((await verifyPrograms(program, program, { ...LISTS })).status, 'equivalent');
    });

    it('accepts {args, kwargs} items and tuples from a workload module', async () => {
      const workload: WorkloadSource = { kind: 'module', origin: 'user', path: fixture('workloads/keywords.perfloop.py') };
      const original = withSource('def f(xs, reverse=False):\n    return sorted(xs, reverse=reverse)\n');
      const summary = workloadData.parse(okData(await harness('workload', { original }, workload)));
      assert.equal(summary.correctnessCount, 2);
      assert.equal(summary.performanceCount, 1);
      assert.equal(summary.examples[0], '([3, 1, 2], reverse=True)');
    });

    it('generates the same inputs in every process, module-level randomness included', async () => {
      const source = 'import random\nBASE = random.randint(0, 10**9)\ndef correctness_inputs():\n    return [[[BASE, random.random()]] for _ in range(3)]\n';
      const workload: WorkloadSource = { kind: 'generator', origin: 'llm', source };
      const original = withSource('def f(xs):\n    return xs\n');
      const first = workloadData.parse(okData(await harness('workload', { original }, workload)));
      const second = workloadData.parse(okData(await harness('workload', { original }, workload)));
      assert.deepEqual(first.examples, second.examples);
      assert.notEqual(first.examples[0], first.examples[1]);
    });

    it('detects that the original mutates its arguments', async () => {
      const summary = workloadData.parse(okData(await harness('workload', { original: withSource('def f(xs):\n    xs.sort()\n') })));
      assert.equal(summary.originalMutatesArguments, true);
      const pure = workloadData.parse(okData(await harness('workload', { original: withSource('def f(xs):\n    return sorted(xs)\n') })));
      assert.equal(pure.originalMutatesArguments, false);
    });

    it('rejects items that are not argument lists, and inputs that do not fit the signature', async () => {
      const original = withSource('def f(xs):\n    return xs\n');
      const notLists = await harness('workload', { original }, { kind: 'generator', origin: 'llm', source: 'def correctness_inputs():\n    return [5]\n' });
      assert.ok(notLists.result && !notLists.result.ok);
      assert.match(notLists.result.error.message, /item 0 of correctness_inputs\(\) is a int/);
      const arity = await harness('workload', { original }, { kind: 'json', origin: 'user', correctness: [[1, 2]], performance: [] });
      assert.ok(arity.result && !arity.result.ok);
      assert.equal(arity.result.error.kind, 'workload');
      assert.match(arity.result.error.message, /does not fit the signature of `f`: too many positional arguments/);
    });

    it('calibrates a size for sized_input once, and reuses a given size without timing anything', async () => {
      const workload: WorkloadSource = { kind: 'module', origin: 'user', path: fixture('workloads/sorting.perfloop.py') };
      const original = withSource('def f(xs):\n    return sorted(xs)\n');
      const checked = await harness('workload', { original }, workload);
      const summary = workloadData.parse(okData(checked));
      assert.equal(summary.sizeable, true);
      assert.equal(summary.correctnessCount, 7);
      const sizedN = checked.result?.ok ? checked.result.sizedN : null;
      assert.ok(sizedN !== null && sizedN >= 1024, `sizedN ${sizedN}`);
      const counted = await harness('count', { program: original }, workload, { sizedN, calls: 1 });
      assert.equal(counted.result?.ok && counted.result.sizedN, sizedN);
      assert.deepEqual(countData.parse(okData(counted)), { calls: 1, raised: 0, results: [] });
      // Asked for them, the count run also serialises what its calls returned, for the runner to check.
      const withResults = countData.parse(okData(await harness('count', { program: original }, workload, { sizedN, calls: 1, results: true })));
      assert.equal(withResults.results.length, 1);
      assert.match(withResults.results[0]?.value ?? '', /^\{"t":"seq","c":"list","i":\[/);
    });
  });
});
