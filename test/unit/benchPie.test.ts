import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveHostPython } from '../../profilers/sandbox/hostPython.js';
import { estimateUnpairedSpeedup } from '../../profilers/stats/speedup.js';
import { averageRanks, spearmanRho } from '../../bench/benchStats.js';
import { naiveEstimate } from '../../bench/pie/measurePie.js';
import { compareOutputs, tokensMatch } from '../../bench/pie/outputMatch.js';
import { heaviestTestIndex, loadPiePairs, parsePieRow, selectPairs, type PiePair } from '../../bench/pie/pieData.js';
import { mostTelling, publishedDirection, rankAgreement, ratioSummary, startupAdjustedRatio, type MeasuredPair } from '../../bench/pie/pieResults.js';
import { buildPieOutcome, type PieRunRecord } from '../../bench/pie/pieOutcome.js';
import { pieWholeProgramSection } from '../../bench/pie/pieWholeProgramSection.js';
import { verifyPair } from '../../bench/pie/verifyPrograms.js';
import { BENCH_DATA_DIR, HAVE_FULL_BENCH_DATA } from '../support/benchData.js';
import type { BenchContext } from '../../bench/types.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = BENCH_DATA_DIR;
const dataFile = path.join(dataDir, 'pie_python.dev.jsonl');

function row(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'pie/p1/s1-s2',
    problem_id: 'p1',
    problem_name: 'Sum',
    slow_reference: { program: 'print(sum(map(int, input().split())))', judge_cpu_time_ms: 40, pie_measured_runtime_s: 0.4 },
    fast_references: [{ program: 'a, b = map(int, input().split())\nprint(a + b)', judge_cpu_time_ms: 20, pie_measured_runtime_s: 0.2, pie_runtime_lift: 2 }],
    tests: [{ input: '1 2\n', expected_output: '3\n' }, { input: '10 20\n', expected_output: '30\n' }],
    verification_here: { both_pass_all: true },
    ...overrides,
  };
}

function pair(id: string, lift: number, passesHere = true): PiePair {
  return { ...parsePieRow(row({ id })), publishedLift: lift, passesHere };
}

describe('bench: PIE whole-program section', () => {
  describe('output comparison', () => {
    it('compares tokens, ignoring how whitespace lays them out', () => {
      assert.deepEqual(compareOutputs('1 2\n3\n', '1\n2 3'), { equal: true });
      assert.deepEqual(compareOutputs('Yes\n', 'Yes'), { equal: true });
      assert.equal(compareOutputs('Yes\n', 'yes\n').equal, false);
    });
    it('accepts decimals within 1e-6, absolute or relative, and keeps integers exact', () => {
      assert.ok(tokensMatch('0.3333333333', '0.333333'));
      assert.ok(tokensMatch('1e9', '1000000000.5'));
      assert.ok(tokensMatch('123456789.0', '123456789.1'));
      assert.ok(!tokensMatch('2.5', '2.6'));
      assert.ok(!tokensMatch('100000000000000000000', '100000000000000000001'));
      assert.ok(tokensMatch('3', '3.0000000'));
      assert.ok(!tokensMatch('inf', '1e999'));
    });
    it('names the first differing token and a missing or extra one', () => {
      assert.deepEqual(compareOutputs('1 2 3', '1 5 3'), { equal: false, reason: 'token 2: expected 2, got 5' });
      assert.deepEqual(compareOutputs('1 2', '1 2 3'), { equal: false, reason: 'expected 2 token(s), got 3' });
      assert.deepEqual(compareOutputs('4\n', ''), { equal: false, reason: 'expected 1 token(s), got 0' });
    });
  });

  describe('pair data and selection', () => {
    it('reads a row, with the judge ratio and the first fast reference', () => {
      const p = parsePieRow(row());
      assert.equal(p.publishedLift, 2);
      assert.equal(p.judgeRatio, 2);
      assert.equal(p.tests.length, 2);
      assert.equal(parsePieRow(row({ fast_references: [{ program: 'x', judge_cpu_time_ms: 0, pie_measured_runtime_s: 1, pie_runtime_lift: 1.3 }] })).judgeRatio, undefined);
      assert.throws(() => parsePieRow(row({ tests: 'none' })));
    });
    it('times the test with the longest input; recorded run times break ties', () => {
      assert.equal(heaviestTestIndex(parsePieRow(row())), 1);
      const tied = row({
        tests: [{ input: '1 2\n', expected_output: '3\n' }, { input: '3 4\n', expected_output: '7\n' }],
        verification_here: { both_pass_all: true, slow: [{ seconds_here: 0.5 }, { seconds_here: 0.1 }], fast: [{ seconds_here: 0.1 }, { seconds_here: 0.1 }] },
      });
      assert.equal(heaviestTestIndex(parsePieRow(tied)), 0);
      const longerButQuick = row({ verification_here: { both_pass_all: true, slow: [{ seconds_here: 0.9 }, { seconds_here: 0.1 }], fast: [{ seconds_here: 0.1 }, { seconds_here: 0.1 }] } });
      assert.equal(heaviestTestIndex(parsePieRow(longerButQuick)), 1);
    });
    it('selects only pairs that pass here, one stratum of the published lift per slot, reproducibly', () => {
      const pairs = Array.from({ length: 40 }, (_, i) => pair(`p${i}`, 1 + i / 10, i % 10 !== 3));
      const selection = selectPairs(pairs, { count: 6, seed: 7 });
      assert.equal(selection.eligible, 36);
      assert.equal(selection.strata.length, 6);
      const ranges = selection.strata.map((s) => [Math.min(...s.map((p) => p.publishedLift)), Math.max(...s.map((p) => p.publishedLift))] as const).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < ranges.length; i++) assert.ok((ranges[i] as readonly number[])[0] as number > ((ranges[i - 1] as readonly number[])[1] as number));
      assert.ok(selection.strata.flat().every((p) => p.passesHere));
      assert.deepEqual(selectPairs(pairs, { count: 6, seed: 7 }).strata.map((s) => s.map((p) => p.id)), selection.strata.map((s) => s.map((p) => p.id)));
      const all = selectPairs(pairs, { count: Number.MAX_SAFE_INTEGER, seed: 7 });
      assert.equal(all.strata.length, 36);
      assert.ok(all.strata.every((s) => s.length === 1));
    });
    it('loads the real data set', function () {
      if (!HAVE_FULL_BENCH_DATA) this.skip(); // only the committed slice is here
      const pairs = loadPiePairs(dataFile);
      assert.equal(pairs.length, 250);
      assert.ok(pairs.filter((p) => p.passesHere).length > 100);
      assert.ok(pairs.every((p) => p.publishedLift > 0 && p.slowProgram.length > 0));
    });
  });

  describe('statistics', () => {
    it('Spearman ρ uses average ranks for ties', () => {
      assert.deepEqual(averageRanks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
      assert.equal(spearmanRho([1, 2, 3, 4], [10, 20, 30, 40]), 1);
      assert.equal(spearmanRho([1, 2, 3, 4], [4, 3, 2, 1]), -1);
      assert.equal(spearmanRho([1, 1, 1], [1, 2, 3]), undefined);
      assert.ok(Math.abs((spearmanRho([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) as number) - 0.8) < 1e-12);
    });
    it('the naive baseline is one ratio against the threshold', () => {
      assert.deepEqual(naiveEstimate(0.2, 0.1, 0.05), { ratio: 2, verdict: 'faster' });
      assert.equal(naiveEstimate(0.104, 0.1, 0.05).verdict, 'no-difference');
      assert.equal(naiveEstimate(0.1, 0.2, 0.05).verdict, 'slower');
      assert.equal(publishedDirection(1.25, 0.05), 'faster');
      assert.equal(publishedDirection(1.02, 0.05), 'no-difference');
    });
    it('rank agreement skips pairs without a published value and bootstraps τ', () => {
      const agreement = rankAgreement([1, 2, 3, 4, 5, 6], [1.5, 2.5, undefined, 3, 6, 5]);
      assert.equal(agreement.n, 5);
      assert.ok((agreement.tau as number) > 0.5);
      const [low, high] = agreement.tauInterval as [number, number];
      assert.ok(low <= (agreement.tau as number) && (agreement.tau as number) <= high);
      assert.equal(rankAgreement([1, 2], [1, 2]).tauInterval, undefined);
    });
    it('summarises measured/published and takes start-up out of both sides', () => {
      assert.deepEqual(ratioSummary([1, 2, 3], [2, 2, undefined]), { median: 0.75, q1: 0.625, q3: 0.875, n: 2 });
      assert.ok(Math.abs((startupAdjustedRatio(0.3, 0.15, 0.1) as number) - 4) < 1e-9);
      assert.equal(startupAdjustedRatio(0.3, 0.1, 0.1), undefined);
    });
    it('puts pairs where the methods disagree first', () => {
      const measured = (id: string, ratio: number, naiveRatio: number): MeasuredPair => ({
        id, problemId: id, publishedLift: 2, judgeRatio: 2, pieSlowSeconds: 1, test: 1, inputBytes: 3,
        slowTimes: [], fastTimes: [],
        estimate: estimateUnpairedSpeedup([1, 1.1, 1, 1.05, 1], [1 / ratio, 1.1 / ratio, 1 / ratio, 1.05 / ratio, 1 / ratio]),
        naive: naiveEstimate(naiveRatio, 1, 0.05),
      });
      const order = mostTelling([measured('close', 1.9, 1.9), measured('far', 0.8, 0.8), measured('split', 1.5, 1.0)], 2).map((p) => p.id);
      assert.deepEqual(order, ['split', 'far']);
    });
  });

  describe('figures from the records', () => {
    const measuredPair = (id: string, lift: number, speedup: number): MeasuredPair => {
      const slow = [0.2, 0.21, 0.2, 0.22, 0.2, 0.2];
      return {
        id, problemId: id, publishedLift: lift, judgeRatio: lift * 0.9, pieSlowSeconds: 1, test: 1, inputBytes: 4,
        slowTimes: slow, fastTimes: slow.map((t) => t / speedup),
        estimate: estimateUnpairedSpeedup(slow, slow.map((t) => t / speedup)),
        naive: naiveEstimate(slow[0] as number, (slow[0] as number) / speedup, 0.05),
      };
    };
    const record = (measured: MeasuredPair[], aaSpeedup: number): PieRunRecord => ({
      tier: 'tiny', seed: 1, settings: { runs: 6, warmup: 1, timeoutMs: 1000, noiseThreshold: 0.05 },
      pairsInFile: 10, eligible: 8, slots: measured.length, slotsLeft: 0, budgetSeconds: 60,
      measured, excluded: [{ id: 'pie/x', reason: 'fails here' }],
      aa: [{ id: 'pie/a', slowTimes: [], fastTimes: [], estimate: measuredPair('a', 1, aaSpeedup).estimate, naive: naiveEstimate(1, 1, 0.05) }],
      startupFloor: { seconds: 0.05, before: 0.05, after: 0.05, times: [0.05] },
    });

    it('meets the rank target when measured speedups follow the published ones', () => {
      const outcome = buildPieOutcome(record([measuredPair('a', 1.5, 1.2), measuredPair('b', 3, 2), measuredPair('c', 8, 4)], 1));
      const rank = outcome.figures.find((f) => f.name.startsWith('Rank agreement of measured speedups with PIE'));
      assert.equal(rank?.perfloop.value, 1);
      assert.equal(rank?.target?.met, true);
      assert.equal(outcome.figures.find((f) => f.name.startsWith('A/A'))?.target?.met, true);
      assert.ok(!outcome.figures.some((f) => f.name.includes('published lift is ≤')), 'no low-lift pairs, no such figure');
      assert.deepEqual(outcome.tables?.map((t) => t.rows.length), [3, 1, 1]);
    });
    it('fails the targets on a false A/A verdict and on `faster` where PIE saw no gain', () => {
      const outcome = buildPieOutcome(record([measuredPair('a', 1.02, 1.5), measuredPair('b', 3, 2)], 0.5));
      const lowLift = outcome.figures.find((f) => f.name.includes('published lift is ≤'));
      assert.equal(lowLift?.perfloop.value, 1);
      assert.equal(lowLift?.target?.met, false);
      assert.equal(outcome.figures.find((f) => f.name.startsWith('A/A'))?.target?.met, false);
    });
  });

  describe('verification in the sandbox', function () {
    this.timeout(60_000);
    let workRoot: string;
    before(() => { workRoot = mkdtempSync(path.join(tmpdir(), 'perfloop-pie-test-')); });
    after(() => rmSync(workRoot, { recursive: true, force: true }));

    it('passes a correct pair and names the failing program and test of a wrong one', async () => {
      const python = await resolveHostPython();
      assert.ok(python);
      const good = await verifyPair(parsePieRow(row()), { python, workRoot, timeoutMs: 20_000 });
      assert.equal(good.passed, true, good.reason);
      assert.equal(good.slow.length, 2);
      const wrong = parsePieRow(row({ id: 'pie/p1/wrong', fast_references: [{ program: 'a, b = map(int, input().split())\nprint(a + b + (a == 10))', judge_cpu_time_ms: 1, pie_measured_runtime_s: 1, pie_runtime_lift: 1.5 }] }));
      const result = await verifyPair(wrong, { python, workRoot, timeoutMs: 20_000 });
      assert.equal(result.passed, false);
      assert.equal(result.reason, 'fast, test 2: wrong answer, token 1: expected 30, got 31');
    });
  });

  describe('the section at tier tiny (real data, real sandbox)', function () {
    this.timeout(300_000);
    it('returns well-formed figures, tables, notes and details', async function () {
      const scratchDir = mkdtempSync(path.join(tmpdir(), 'perfloop-bench-pie-'));
      const ctx: BenchContext = { tier: 'tiny', root, dataDir, scratchDir, log: () => undefined };
      try {
        assert.equal(pieWholeProgramSection.id, 'pie-whole-program');
        const outcome = await pieWholeProgramSection.run(ctx);
        assert.ok(outcome.figures.length >= 5);
        for (const figure of outcome.figures) {
          assert.ok(figure.name.length > 0);
          assert.ok(figure.perfloop.value === null || Number.isFinite(figure.perfloop.value), figure.name);
          assert.ok(figure.perfloop.display.length > 0);
          for (const baseline of figure.baselines ?? []) assert.ok(baseline.method.length > 0 && baseline.display.length > 0);
          if (figure.target) assert.equal(typeof figure.target.met, 'boolean');
        }
        assert.ok(outcome.figures.some((f) => f.target));
        for (const table of outcome.tables ?? []) {
          for (const r of table.rows) assert.equal(r.length, table.columns.length, table.title);
        }
        assert.ok((outcome.notes ?? []).length >= 3);
        const details = outcome.details as { measured: MeasuredPair[]; excluded: unknown[]; slots: number; startupFloor?: { seconds: number } };
        assert.equal(details.measured.length + details.excluded.length >= details.slots, true);
        assert.ok(details.measured.length >= 1, 'at least one pair measured');
        for (const m of details.measured) {
          assert.equal(m.slowTimes.length, 5);
          assert.equal(m.fastTimes.length, 5);
          assert.ok(['faster', 'slower', 'no-difference'].includes(m.estimate.verdict));
        }
        assert.ok((details.startupFloor?.seconds ?? 0) > 0);
        JSON.stringify(outcome);
      } finally {
        rmSync(scratchDir, { recursive: true, force: true });
      }
    });
  });
});
