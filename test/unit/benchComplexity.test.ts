import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { complexityFitSection } from '../../bench/complexity/complexityFit.js';
import {
  localExponent,
  nearestClassByExponent,
  studentCentralProbability,
  studentCentralQuantile,
  twoPointExponent,
} from '../../bench/complexity/growthStats.js';
import type { RunRecord } from '../../bench/complexity/measureRuns.js';
import { tierPlan } from '../../bench/complexity/subjects.js';
import { BENCH_SECTIONS } from '../../bench/sections.js';
import type { SectionOutcome } from '../../bench/types.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const near = (actual: number, expected: number, tolerance: number) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

describe('complexity-fit bench: the true exponent and the t intervals', () => {
  it('gives the powers their exponent over any sizes', () => {
    near(localExponent('linear', [10, 20, 40]), 1, 1e-12);
    near(localExponent('quadratic', [64, 128, 256, 512]), 2, 1e-12);
    near(localExponent('cubic', [3, 1000]), 3, 1e-12);
  });

  it('gives n log n the local slope 1 + d ln ln n / d ln n over the measured sizes, not 1', () => {
    const sizes = [1024, 2048, 4096, 8192, 16384, 32768];
    const k = localExponent('n log n', sizes);
    // Near the geometric middle (n ≈ 5800) the slope is 1 + 1/ln n ≈ 1.115.
    near(k, 1 + 1 / Math.log(Math.sqrt(1024 * 32768)), 0.002);
    assert.ok(localExponent('n log n', [8, 16, 32]) > localExponent('n log n', [1 << 20, 1 << 21, 1 << 22]), 'the slope falls as n grows');
    assert.throws(() => localExponent('n log n', [1, 2]), /above 1/);
  });

  it('reads a two-point slope and names the nearest class by local exponent', () => {
    near(twoPointExponent({ size: 100, seconds: 1 }, { size: 400, seconds: 16 }), 2, 1e-12);
    assert.equal(nearestClassByExponent(1.12, [1024, 32768]), 'n log n');
    assert.equal(nearestClassByExponent(1.02, [1024, 32768]), 'linear');
    assert.equal(nearestClassByExponent(2.6, [64, 512]), 'cubic');
  });

  it('computes Student t coverage and quantiles (textbook values)', () => {
    near(studentCentralQuantile(0.95, 4), 2.776, 0.001);
    near(studentCentralQuantile(0.95, 1), 12.706, 0.01);
    near(studentCentralProbability(1, 1), 0.5, 1e-6);
    near(studentCentralProbability(1, 4), 0.6261, 0.0005);
    near(studentCentralProbability(1, 1000), 0.6827, 0.0005);
  });

  it('is registered, and its tiers grow: tiny runs one Python function once', () => {
    assert.ok(BENCH_SECTIONS.includes(complexityFitSection));
    assert.equal(complexityFitSection.id, 'complexity-fit');
    const tiny = tierPlan('tiny');
    assert.equal(tiny.subjects.length, 1);
    assert.equal(tiny.subjects[0]?.language, 'python');
    assert.ok(tierPlan('quick').subjects.length * tierPlan('quick').repeats < tierPlan('full').subjects.length * tierPlan('full').repeats);
  });
});

describe('complexity-fit bench section @slow', function () {
  this.timeout(300_000);
  let scratchDir: string;
  let outcome: SectionOutcome;
  before(async () => {
    scratchDir = mkdtempSync(path.join(os.tmpdir(), 'perfloop-bench-complexity-test-'));
    outcome = await complexityFitSection.run({
      tier: 'tiny',
      root: ROOT,
      dataDir: path.join(ROOT, '..', 'shared', 'bench-data'),
      scratchDir,
      log: () => undefined,
    });
  });
  after(() => rmSync(scratchDir, { recursive: true, force: true }));

  it('measures one run through the engine and its naive twin, with a fit and a true exponent', () => {
    const runs = (outcome.details as { runs: RunRecord[] }).runs;
    assert.equal(runs.length, 1);
    const run = runs[0] as RunRecord;
    assert.deepEqual(run.problems, []);
    assert.ok(run.points.length >= 3, JSON.stringify(run.points));
    assert.ok(run.points.every((p, i) => i === 0 || p.size > (run.points[i - 1]?.size ?? 0)), 'sizes grow');
    assert.ok(run.fit && Number.isFinite(run.fit.exponent) && run.fit.stdError >= 0);
    assert.equal(run.fit.expected, 2);
    assert.ok(run.naive && run.naive.smallSize === run.points[0]?.size && run.naive.largeSize === run.points.at(-1)?.size);
    assert.ok(Number.isFinite(run.naive.exponent));
  });

  it('returns well-formed figures, tables and notes', () => {
    assert.ok(outcome.figures.length >= 5);
    for (const figure of outcome.figures) {
      assert.ok(figure.name.length > 0);
      assert.ok(figure.perfloop.value === null || Number.isFinite(figure.perfloop.value), figure.name);
      assert.ok(figure.perfloop.display.length > 0, figure.name);
      for (const baseline of figure.baselines ?? []) assert.ok(baseline.method && baseline.display, figure.name);
      if (figure.target) assert.equal(typeof figure.target.met, 'boolean');
    }
    assert.match(outcome.figures[0]?.name ?? '', /Python quadratic/);
    assert.ok(outcome.figures[0]?.baselines?.some((b) => b.method === 'naive two-point'));
    for (const table of outcome.tables ?? []) {
      assert.ok(table.rows.length > 0, table.title);
      for (const row of table.rows) assert.equal(row.length, table.columns.length, table.title);
    }
    assert.ok(outcome.notes?.some((note) => /Instruction counts are not validated/.test(note)));
  });
});
