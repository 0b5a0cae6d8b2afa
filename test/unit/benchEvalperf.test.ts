import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drawsRandomly, checkAgainstDataset, failsDataset, oracleJob, passesBaseTests } from '../../bench/evalperf/datasetOracle.js';
import { evalperfEquivalenceSection } from '../../bench/evalperf/equivalenceSection.js';
import { judge } from '../../bench/evalperf/equivalenceCheck.js';
import { loadEvalperfTasks, loadLlmSolutions, referencesOf, type EvalperfTask } from '../../bench/evalperf/evalperfData.js';
import { chanceAgreement, evalperfRuleLevel, levelAgreement, nearestLevel } from '../../bench/evalperf/levels.js';
import { generateMutants } from '../../bench/evalperf/mutantCheck.js';
import { pairCounts, taskAgreement } from '../../bench/evalperf/rankAgreement.js';
import { evalperfRankingSection } from '../../bench/evalperf/rankingSection.js';
import { seededSample } from '../../bench/evalperf/seededSample.js';
import { performanceInputsOf, workloadModuleSource, writeTaskWorkload } from '../../bench/evalperf/workloadModule.js';
import { BENCH_DATA_DIR, HAVE_FULL_BENCH_DATA } from '../support/benchData.js';
import type { BenchContext, SectionOutcome } from '../../bench/types.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = BENCH_DATA_DIR;

function task(overrides: Partial<EvalperfTask> = {}): EvalperfTask {
  const ref = (level: number, solution: string) => ({ rank: level, efficiency_level: level, n_levels: 2, evalperf_score: 50, all_tests_passed_here: true, solution });
  return {
    task_id: 'Mbpp/1',
    dataset: 'mbpp',
    entry_point: 'f',
    canonical_solution: 'def f(x):\n    return sorted(x)\n',
    slow_reference: ref(0, 'def f(x):\n    return sorted(x)\n'),
    fast_references: [ref(1, 'def f(x):\n    return sorted(x)\n')],
    comparison: { atol: 0, special_oracle: false },
    tests: [
      { kind: 'base', args_repr: '[[3, 1, 2]]', expected_output_repr: '[1, 2, 3]' },
      { kind: 'base', args_repr: '[[inf, 1.0]]', expected_output_repr: '[1.0, inf]' },
      { kind: 'plus', args_repr: "[[frozenset({1}), set()]]", expected_output_repr: '[]' },
    ],
    perf_inputs: [{ source: 'COFFE', args_expr: '[list(range(5, 0, -1))]', expected_output_repr: '[1, 2, 3, 4, 5]' }],
    ...overrides,
  };
}

function context(scratchDir: string): BenchContext {
  return { tier: 'tiny', root, dataDir, scratchDir, log: () => undefined };
}

function assertWellFormed(outcome: SectionOutcome): void {
  assert.ok(outcome.figures.length > 0);
  for (const figure of outcome.figures) {
    assert.ok(figure.name.length > 0);
    assert.ok(figure.perfloop.display.length > 0);
    for (const baseline of figure.baselines ?? []) assert.ok(baseline.method.length > 0 && baseline.display.length > 0);
  }
  for (const table of outcome.tables ?? []) {
    for (const row of table.rows) assert.equal(row.length, table.columns.length, `${table.title}: row width`);
  }
  assert.ok((outcome.notes ?? []).length > 0);
}

describe('bench: EvalPerf sections', function () {
  this.timeout(300_000);

  describe('level assignment', () => {
    const refs = [{ level: 0, cost: 1000 }, { level: 1, cost: 100 }, { level: 2, cost: 10 }];
    it('gives the level of the nearest reference in log cost', () => {
      assert.equal(nearestLevel(900, refs), 0);
      assert.equal(nearestLevel(40, refs), 1); // log-nearer to 100 than to 10
      assert.equal(nearestLevel(1, refs), 2);
      assert.equal(nearestLevel(5, [{ level: 0, cost: null }, { level: 1, cost: Infinity }]), null);
    });
    it('never picks a capped reference for a measured solution', () => {
      assert.equal(nearestLevel(1e12, [{ level: 0, cost: Infinity }, { level: 1, cost: 10 }]), 1);
    });
    it("applies EvalPerf's rule: the fastest level whose reference costs at least as much, else -1", () => {
      assert.equal(evalperfRuleLevel(50, refs), 1);
      assert.equal(evalperfRuleLevel(10, refs), 2);
      assert.equal(evalperfRuleLevel(5000, refs), -1);
    });
    it('agrees exactly or within one with any published index, and knows the chance rate', () => {
      assert.deepEqual(levelAgreement(2, [3]), { exact: false, withinOne: true });
      assert.deepEqual(levelAgreement(2, [0, 2]), { exact: true, withinOne: true });
      assert.deepEqual(levelAgreement(0, [-1]), { exact: false, withinOne: true });
      assert.deepEqual(chanceAgreement(4, [0]), { exact: 0.25, withinOne: 0.5 });
    });
  });

  describe('rank agreement', () => {
    it('is 1 when costs fall as levels rise, and ties capped items', () => {
      assert.equal(taskAgreement([{ level: 0, cost: 30 }, { level: 1, cost: 20 }, { level: 2, cost: 10 }]).tau, 1);
      const capped = taskAgreement([{ level: 0, cost: Infinity }, { level: 1, cost: Infinity }, { level: 2, cost: 5 }]);
      assert.deepEqual(capped.pairs, { concordant: 2, discordant: 0, tied: 1 });
      assert.ok((capped.tau as number) > 0.8 && (capped.tau as number) < 1);
    });
    it('leaves unmeasured items out', () => {
      assert.deepEqual(pairCounts([{ level: 0, cost: null }, { level: 1, cost: 1 }, { level: 2, cost: 2 }]), { concordant: 0, discordant: 1, tied: 0 });
    });
  });

  describe('inputs', () => {
    it('decodes test reprs with inf, set and frozenset and builds stress inputs from expressions', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'evalperf-workload-'));
      try {
        const workload = writeTaskWorkload(task(), dir, { correctness: 'all', performance: true });
        assert.equal(workload.kind, 'module');
        // The module is generated from the data file alone (no solution code): safe to import directly.
        const script = 'import importlib.util, sys\nspec = importlib.util.spec_from_file_location("w", sys.argv[1])\nm = importlib.util.module_from_spec(spec)\n'
          + 'spec.loader.exec_module(m)\nprint(repr(m.correctness_inputs()))\nprint(repr(m.performance_inputs()))';
        const out = execFileSync('python3', ['-c', script, workload.kind === 'module' ? workload.path : ''], { encoding: 'utf8' }).trim().split('\n');
        assert.equal(out[0], '[[[3, 1, 2]], [[inf, 1.0]], [[frozenset({1}), set()]]]');
        assert.equal(out[1], '[[[5, 4, 3, 2, 1]]]');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    it('falls back to the largest tests when a task has no stress inputs', () => {
      const chosen = performanceInputsOf(task({ perf_inputs: [] }));
      assert.equal(chosen.source, 'largest-tests');
      assert.equal(chosen.inputs[0]?.text, '[[frozenset({1}), set()]]');
      assert.ok(!workloadModuleSource(task({ perf_inputs: [] }), { correctness: 'few', performance: false }).includes('def performance_inputs'));
    });
    it('does not compare outputs of stress inputs drawn from unseeded random', () => {
      assert.ok(drawsRandomly('[[random.randint(-1000, 1000) for _ in range(10000)]]'));
      const job = oracleJob(task({ perf_inputs: [{ source: 'COFFE', args_expr: '[[random.random()]]', expected_output_sha256_of_repr: 'ab' }] }), '', true);
      assert.deepEqual(job.stress, [{ expr: '[[random.random()]]' }]);
    });
  });

  describe("the dataset's oracle and the mutant filter", () => {
    let scratch: string;
    beforeEach(() => { scratch = mkdtempSync(path.join(tmpdir(), 'evalperf-oracle-')); });
    afterEach(() => rmSync(scratch, { recursive: true, force: true }));

    it('passes a correct solution and names where a wrong one fails, in the sandbox', async () => {
      const t = task({ tests: task().tests.slice(0, 2) });
      const ok = await checkAgainstDataset(t, t.canonical_solution, { root, scratchDir: scratch, includeStress: true });
      assert.equal(ok.status, 'pass');
      const wrong = await checkAgainstDataset(t, 'def f(x):\n    return x\n', { root, scratchDir: scratch, includeStress: true });
      assert.equal(wrong.status, 'wrong-output');
      assert.equal(wrong.failedKind, 'test');
      assert.equal(wrong.failedIndex, 0);
      assert.ok(failsDataset(wrong));
      assert.equal(judge(wrong), 'justified');
      assert.equal(judge(ok), 'wrong');
      assert.equal(judge({ status: 'timeout', checked: 0 }), 'undecided');
    });
    it('counts a failure first seen in a plus test as one the base tests would accept', () => {
      const t = task();
      assert.ok(passesBaseTests(t, { status: 'wrong-output', checked: 2, failedKind: 'test', failedIndex: 2 }));
      assert.ok(!passesBaseTests(t, { status: 'exception', checked: 0, failedKind: 'test', failedIndex: 0 }));
      assert.ok(passesBaseTests(t, { status: 'wrong-output', checked: 3, failedKind: 'stress', failedIndex: 0 }));
    });
    it('generates compiling, distinct mutants by ast transforms only', async () => {
      const source = 'def f(xs):\n    total = 0\n    for i in range(len(xs)):\n        if xs[i] > 0:\n            total += xs[i]\n    return total\n';
      const mutants = await generateMutants([{ task_id: 'x', solution: source, matching_cluster_idx_values: [0], observations: [], index: 7 }], {
        root, scratchDir: scratch, seed: 1, perSolution: 3,
      });
      assert.equal(mutants.length, 9);
      assert.equal(new Set(mutants.map((m) => m.source)).size, 9);
      assert.ok(mutants.every((m) => m.itemId === '7' && m.source.includes('def f(xs)') && m.source !== source));
      assert.ok(new Set(mutants.map((m) => m.operator)).size >= 5, 'spread over operators');
    });
  });

  describe('data and sampling', () => {
    it('loads every task and solution, references ordered by level', function () {
      if (!HAVE_FULL_BENCH_DATA) this.skip(); // only the committed slice is here
      const tasks = loadEvalperfTasks(dataDir);
      assert.equal(tasks.length, 66);
      for (const t of tasks) assert.deepEqual(referencesOf(t).map((r) => r.efficiency_level), referencesOf(t).map((_, i) => i));
      assert.equal(loadLlmSolutions(dataDir).length, 2640);
    });
    it('draws the same sample for the same seed', () => {
      const items = Array.from({ length: 100 }, (_, i) => i);
      assert.deepEqual(seededSample(items, 10, 3), seededSample(items, 10, 3));
      assert.notDeepEqual(seededSample(items, 10, 3), seededSample(items, 10, 4));
      assert.equal(seededSample(items, 200, 3).length, 100);
    });
  });

  describe('sections at tier tiny, on the real data', () => {
    let scratch: string;
    beforeEach(() => { scratch = mkdtempSync(path.join(tmpdir(), 'evalperf-section-')); });
    afterEach(() => rmSync(scratch, { recursive: true, force: true }));

    it('evalperf-ranking reports τ per task and overall', async () => {
      const outcome = await evalperfRankingSection.run(context(scratch));
      assertWellFormed(outcome);
      const tau = outcome.figures[0]?.perfloop.value;
      assert.ok(tau === null || (tau !== undefined && tau >= -1 && tau <= 1));
      const share = outcome.figures.find((f) => f.name.startsWith('Reference pairs'))?.perfloop.value;
      assert.ok(share === null || (share !== undefined && share >= 0 && share <= 1));
      const perTask = outcome.tables?.[0];
      assert.equal(perTask?.rows.length, 2);
      for (const row of perTask?.rows ?? []) {
        const value = row[3] as string;
        assert.ok(value === '–' || (Number(value) >= -1 && Number(value) <= 1), `τ ${value}`);
      }
    });

    it('evalperf-equivalence reports rejections, levels and mutants', async () => {
      const outcome = await evalperfEquivalenceSection.run(context(scratch));
      assertWellFormed(outcome);
      assert.equal(outcome.figures.length, 5);
      for (const figure of outcome.figures) {
        const value = figure.perfloop.value;
        assert.ok(value === null || (value >= 0 && value <= 1), `${figure.name}: ${value}`);
      }
      const details = outcome.details as { equivalence: unknown[]; levels: unknown[]; mutants: { items: { kept: boolean }[] } };
      assert.ok(details.equivalence.length > 0);
      assert.ok(details.levels.length > 0);
      assert.ok(details.mutants.items.some((m) => m.kept));
      const byCause = outcome.tables?.[0];
      const rejected = details.equivalence.filter((i) => (i as { cause?: string }).cause !== undefined).length;
      assert.equal(byCause?.rows.reduce((s, row) => s + Number(row[1]), 0), rejected);
    });
  });
});
