import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kendallTauB, formatRate, wilsonInterval } from '../../bench/benchStats.js';
import { judgeTiming, NAIVE_METHODS, thresholdVerdict } from '../../bench/measurement/naiveVerdicts.js';
import { renderBenchMarkdown } from '../../bench/markdown.js';
import { runBench } from '../../bench/run.js';
import type { BenchResults } from '../../bench/types.js';
import { estimatePairedSpeedup } from '../../profilers/stats/speedup.js';

describe('bench statistics', () => {
  it('gives a Wilson interval that is informative at 0 of n and stays inside [0, 1]', () => {
    const [low, high] = wilsonInterval(0, 100);
    assert.equal(low, 0);
    assert.ok(high > 0.03 && high < 0.04, String(high));
    const [l2, h2] = wilsonInterval(50, 100);
    assert.ok(l2 > 0.39 && l2 < 0.41 && h2 > 0.59 && h2 < 0.61, `${l2} ${h2}`);
    assert.deepEqual(wilsonInterval(5, 5).map((v) => v <= 1), [true, true]);
    assert.match(formatRate(3, 100), /^3 of 100 \(3\.0%, 95% CI 1\.0%–8\.5%\)$/);
  });

  it('computes Kendall τ-b with ties', () => {
    assert.equal(kendallTauB([1, 2, 3, 4], [10, 20, 30, 40]), 1);
    assert.equal(kendallTauB([1, 2, 3, 4], [4, 3, 2, 1]), -1);
    // One tie on each side: (C − D) / sqrt((n0 − n1)(n0 − n2)) = (4 − 0) / sqrt(5 · 5).
    assert.ok(Math.abs((kendallTauB([1, 1, 2, 3], [1, 2, 3, 3]) as number) - 0.8) < 1e-12);
    assert.equal(kendallTauB([1, 1, 1], [1, 2, 3]), undefined);
    assert.throws(() => kendallTauB([1], [1, 2]), /1 values against 2/);
  });
});

describe('naive timing rules (bench baselines)', () => {
  it('judge a point estimate against the threshold alone', () => {
    assert.equal(thresholdVerdict(1.06, 0.05), 'faster');
    assert.equal(thresholdVerdict(1.04, 0.05), 'no-difference');
    assert.equal(thresholdVerdict(1 / 1.06, 0.05), 'slower');
  });

  it('read the same samples as Perfloop: one lucky first pair fools the single run, not the interval', () => {
    const original = [2.0, 1.01, 0.99, 1.0, 1.02, 0.98, 1.0, 1.01, 0.99, 1.0];
    const candidate = [1.0, 1.0, 1.0, 1.01, 0.99, 1.0, 1.02, 0.98, 1.0, 1.0];
    const firstBatch = { original, candidate, loopsPerSample: 1, timer: 'test' };
    const estimate = estimatePairedSpeedup(original, candidate, { noiseThreshold: 0.05 });
    const judged = judgeTiming({ estimate, samples: firstBatch, firstBatch, processPairs: 1 }, 0.05);
    assert.equal(judged.naive['single-run'], 'faster');
    assert.equal(judged.naive['best-of-n'], 'no-difference');
    assert.equal(judged.perfloop.verdict, 'no-difference');
    assert.equal(judged.fixed.verdict, 'no-difference');
    assert.deepEqual(Object.keys(judged.naive), NAIVE_METHODS.map((m) => m.id));
  });
});

describe('npm run bench @slow', function () {
  this.timeout(600_000);
  let out: string;
  before(() => {
    out = mkdtempSync(path.join(os.tmpdir(), 'perfloop-bench-test-'));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('runs the measurement sections on the tiny tier and writes well-formed results', async () => {
    const logged: string[] = [];
    const results = await runBench({
      tier: 'tiny',
      only: ['counter-stability', 'aa-false-positives', 'sensitivity', 'size-stability'],
      outDir: out,
      dataDir: path.join(out, 'no-data-needed'),
      log: (m) => logged.push(m),
    });
    const written = JSON.parse(readFileSync(path.join(out, 'latest.json'), 'utf8')) as BenchResults;
    assert.deepEqual(written, JSON.parse(JSON.stringify(results)));
    assert.equal(written.tier, 'tiny');
    assert.deepEqual(written.sections.map((s) => s.id), ['counter-stability', 'aa-false-positives', 'sensitivity', 'size-stability']);
    for (const section of written.sections) {
      assert.equal(section.error, undefined, section.error);
      assert.ok(section.figures.length > 0, section.id);
      for (const figure of section.figures) {
        assert.ok(figure.perfloop.display.length > 0, figure.name);
        assert.ok(figure.perfloop.value === null || Number.isFinite(figure.perfloop.value), figure.name);
        for (const table of section.tables ?? []) for (const row of table.rows) assert.equal(row.length, table.columns.length, table.title);
      }
    }
    const aa = written.sections[1]?.figures[0];
    assert.match(aa?.perfloop.display ?? '', /^\d+ of 2 /);
    assert.deepEqual(aa?.baselines?.map((b) => b.method), ['Perfloop, first process pair only', ...NAIVE_METHODS.map((m) => m.name)]);
    // The tiny functions' A/A: one figure each for Python and JavaScript, with the time per call they were timed at.
    assert.equal(written.sections[1]?.figures.filter((f) => /A\/A false-positive rate, (Python|JavaScript) `add`.*ns per call/.test(f.name)).length, 2);
    // The size a run timed at is stated, and the table holds the run.
    assert.match(written.sections[3]?.figures[0]?.perfloop.display ?? '', /^1 \(n = \d+\)$/);
    assert.equal(written.sections[3]?.tables?.[0]?.rows.length, 1);
    const markdown = readFileSync(path.join(out, 'latest.md'), 'utf8');
    assert.equal(markdown, renderBenchMarkdown(written));
    assert.match(markdown, /^# Perfloop bench — tiny tier/);
    assert.match(markdown, /\| figure \| Perfloop \| baselines \(same run\) \| target \| section \|/);
    assert.ok(logged.some((m) => m.startsWith('[aa-false-positives]')), logged.join('\n'));
  });

  it('refuses an unknown section before measuring anything', async () => {
    await assert.rejects(runBench({ tier: 'tiny', only: ['nope'], outDir: out, dataDir: out, log: () => {} }), /Unknown section nope; sections: counter-stability/);
  });
});
