import assert from 'node:assert/strict';
import { MAX_TIMING_BATCHES, measureSpeedup, straddlesThreshold } from '../../optimizer/timeCandidate.js';
import { estimatePairedSpeedup } from '../../profilers/stats/speedup.js';
import type { LanguageRunner, PairedTimingSamples, Program, WorkloadSource } from '../../profilers/runner.js';

const PROGRAM: Program = { id: 'original', source: '', functionName: 'f' };
const WORKLOAD: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[1]], performance: [[1]] };
const SETTINGS = { timingSamples: 10, sampleSeconds: 0.01, noiseThreshold: 0.05 };

/** Batches of pairs whose candidate/original ratio is `ratio` with ±`spread` alternating noise: no process involved. */
function scriptedRunner(batches: { ratio: number; spread: number }[]): { runner: LanguageRunner; calls: () => number } {
  let calls = 0;
  const measureTime = async (): Promise<PairedTimingSamples> => {
    const batch = batches[Math.min(calls, batches.length - 1)] as { ratio: number; spread: number };
    calls++;
    const original = Array.from({ length: SETTINGS.timingSamples }, (_, i) => 1 + (i % 2 ? batch.spread : -batch.spread) * ((i % 5) / 4));
    return { original, candidate: original.map((o, i) => o / batch.ratio * (1 + (i % 3 - 1) * batch.spread)), loopsPerSample: 1, timer: 'scripted' };
  };
  return { runner: { measureTime } as unknown as LanguageRunner, calls: () => calls };
}

describe('adaptive timing batches', () => {
  it('call an interval straddling either threshold boundary undecided', () => {
    assert.equal(straddlesThreshold({ low: 1.02, high: 1.08, noiseThreshold: 0.05 }), true);
    assert.equal(straddlesThreshold({ low: 0.93, high: 0.97, noiseThreshold: 0.05 }), true);
    assert.equal(straddlesThreshold({ low: 0.97, high: 1.03, noiseThreshold: 0.05 }), false);
    assert.equal(straddlesThreshold({ low: 1.06, high: 1.2, noiseThreshold: 0.05 }), false);
    assert.equal(straddlesThreshold({ low: 0.5, high: 0.9, noiseThreshold: 0.05 }), false);
    // Wide enough to hold both boundaries: still undecided.
    assert.equal(straddlesThreshold({ low: 0.8, high: 1.3, noiseThreshold: 0.05 }), true);
  });

  it('stop after one batch when the verdict is clear', async () => {
    const { runner, calls } = scriptedRunner([{ ratio: 3, spread: 0.01 }]);
    const timed = await measureSpeedup(runner, PROGRAM, PROGRAM, WORKLOAD, false, { sandbox: 'none', timeoutMs: 1000 }, SETTINGS);
    assert.equal(calls(), 1);
    assert.equal(timed.batches, 1);
    assert.equal(timed.estimate.verdict, 'faster');
    assert.equal(timed.estimate.samples, SETTINGS.timingSamples);
    assert.doesNotMatch(timed.estimate.method, /batches/);
  });

  it('pool more batches while the interval straddles the threshold, up to the limit, and say so', async () => {
    const { runner, calls } = scriptedRunner([{ ratio: 1.05, spread: 0.03 }]);
    const timed = await measureSpeedup(runner, PROGRAM, PROGRAM, WORKLOAD, false, { sandbox: 'none', timeoutMs: 1000 }, SETTINGS);
    assert.equal(calls(), MAX_TIMING_BATCHES);
    assert.equal(timed.samples.original.length, MAX_TIMING_BATCHES * SETTINGS.timingSamples);
    assert.equal(timed.firstBatch.original.length, SETTINGS.timingSamples);
    assert.equal(timed.estimate.samples, MAX_TIMING_BATCHES * SETTINGS.timingSamples);
    assert.match(timed.estimate.method, new RegExp(`${MAX_TIMING_BATCHES} batches`));
  });

  it('stop as soon as the pooled interval clears the threshold', async () => {
    const { runner, calls } = scriptedRunner([{ ratio: 1.09, spread: 0.06 }, { ratio: 1.09, spread: 0.005 }]);
    const timed = await measureSpeedup(runner, PROGRAM, PROGRAM, WORKLOAD, false, { sandbox: 'none', timeoutMs: 1000 }, SETTINGS);
    assert.equal(straddlesThreshold(estimatePairedSpeedup(timed.firstBatch.original, timed.firstBatch.candidate)), true);
    assert.equal(calls(), 2);
    assert.equal(timed.estimate.verdict, 'faster');
  });
});
