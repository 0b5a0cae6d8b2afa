import assert from 'node:assert/strict';
import { MAX_PROCESS_PAIRS, MIN_PROCESS_PAIRS, measureSpeedup, samplesPerProcessPair, straddlesThreshold, TimingRejected } from '../../optimizer/timeCandidate.js';
import { estimatePairedSpeedup } from '../../profilers/stats/speedup.js';
import type { LanguageRunner, PairedTimingSamples, Program, WorkloadSource } from '../../profilers/runner.js';

const PROGRAM: Program = { id: 'original', source: '', functionName: 'f' };
const WORKLOAD: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[1]], performance: [[1]] };
const SETTINGS = { timingSamples: 10, sampleSeconds: 0.01, noiseThreshold: 0.05 };

/** Batches of pairs whose candidate/original ratio is `ratio` with ±`spread` alternating noise: no process involved. */
interface ScriptedPair {
  ratio: number;
  spread: number;
  rejection?: string;
  suspicion?: boolean;
}

function scriptedRunner(batches: ScriptedPair[]): { runner: LanguageRunner; calls: () => number } {
  let calls = 0;
  const measureTime = async (): Promise<PairedTimingSamples> => {
    const batch = batches[Math.min(calls, batches.length - 1)] as ScriptedPair;
    calls++;
    if (batch.rejection) return { original: [], candidate: [], loopsPerSample: 1, timer: 'scripted', rejection: batch.rejection, ...(batch.suspicion ? { suspicion: true } : {}) };
    const original = Array.from({ length: samplesPerProcessPair(SETTINGS.timingSamples) }, (_, i) => 1 + (i % 2 ? batch.spread : -batch.spread) * ((i % 5) / 4));
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

  it('take the minimum of process pairs when the verdict is clear, the configured samples split over them', async () => {
    const { runner, calls } = scriptedRunner([{ ratio: 3, spread: 0.01 }]);
    const timed = await measureSpeedup(runner, PROGRAM, PROGRAM, WORKLOAD, false, { sandbox: 'none', timeoutMs: 1000 }, SETTINGS);
    assert.equal(calls(), MIN_PROCESS_PAIRS);
    assert.equal(timed.processPairs, MIN_PROCESS_PAIRS);
    assert.equal(timed.estimate.verdict, 'faster');
    assert.equal(timed.estimate.processPairs, MIN_PROCESS_PAIRS);
    assert.equal(timed.estimate.samples, MIN_PROCESS_PAIRS * samplesPerProcessPair(SETTINGS.timingSamples));
    assert.equal(timed.firstBatch.original.length, samplesPerProcessPair(SETTINGS.timingSamples));
    assert.equal(samplesPerProcessPair(30), Math.ceil(30 / MIN_PROCESS_PAIRS));
    assert.equal(samplesPerProcessPair(5), 5);
    assert.doesNotMatch(timed.estimate.method, /added/);
  });

  it('add process pairs while the interval straddles the threshold, up to the limit, and say so', async () => {
    const { runner, calls } = scriptedRunner([{ ratio: 1.05, spread: 0.03 }]);
    const timed = await measureSpeedup(runner, PROGRAM, PROGRAM, WORKLOAD, false, { sandbox: 'none', timeoutMs: 1000 }, SETTINGS);
    assert.equal(calls(), MAX_PROCESS_PAIRS);
    assert.equal(timed.samples.original.length, MAX_PROCESS_PAIRS * samplesPerProcessPair(SETTINGS.timingSamples));
    assert.match(timed.estimate.method, /pairs added while the interval straddled the threshold/);
  });

  it('stop as soon as the interval across process pairs clears the threshold', async () => {
    const { runner, calls } = scriptedRunner([
      { ratio: 1.3, spread: 0.01 },
      { ratio: 1.12, spread: 0.01 },
      { ratio: 1.22, spread: 0.01 },
      { ratio: 1.2, spread: 0.01 },
    ]);
    const timed = await measureSpeedup(runner, PROGRAM, PROGRAM, WORKLOAD, false, { sandbox: 'none', timeoutMs: 1000 }, SETTINGS);
    assert.equal(calls(), 4);
    assert.equal(timed.estimate.verdict, 'faster');
  });

  it('do not call a difference that only one process pair shows, however tight its own samples', async () => {
    // Each process pair is tight (±0.2%), but they disagree: 1.12, 0.99, 1.01 — a process-level difference, not a speedup.
    const { runner } = scriptedRunner([
      { ratio: 1.12, spread: 0.002 },
      { ratio: 0.99, spread: 0.002 },
      { ratio: 1.01, spread: 0.002 },
    ]);
    const timed = await measureSpeedup(runner, PROGRAM, PROGRAM, WORKLOAD, false, { sandbox: 'none', timeoutMs: 1000 }, SETTINGS);
    assert.equal(timed.estimate.verdict, 'no-difference', JSON.stringify(timed.estimate));
    assert.equal(estimatePairedSpeedup(timed.firstBatch.original, timed.firstBatch.candidate).verdict, 'faster');
  });

  it('set aside suspicious process pairs and time others in their place; suspicions outnumbering the believed pairs reject', async () => {
    const clear = { ratio: 3, spread: 0.01 };
    const suspicious = { ratio: 3, spread: 0.01, rejection: 'its next pass cost far less than its first', suspicion: true };
    const once = scriptedRunner([clear, suspicious, clear, clear, clear]);
    const timed = await measureSpeedup(once.runner, PROGRAM, PROGRAM, WORKLOAD, false, { sandbox: 'none', timeoutMs: 1000 }, SETTINGS);
    assert.equal(once.calls(), MIN_PROCESS_PAIRS + 1);
    assert.equal(timed.processPairs, MIN_PROCESS_PAIRS);
    assert.equal(timed.estimate.verdict, 'faster');
    assert.match(timed.estimate.method, /1 process pair set aside/);

    // Two suspicious pairs among believed ones: what a loaded machine did to an identical copy (2 of 10 pairs).
    const twice = scriptedRunner([clear, suspicious, clear, suspicious, clear]);
    const kept = await measureSpeedup(twice.runner, PROGRAM, PROGRAM, WORKLOAD, false, { sandbox: 'none', timeoutMs: 1000 }, SETTINGS);
    assert.equal(kept.processPairs, MIN_PROCESS_PAIRS);
    assert.match(kept.estimate.method, /2 process pairs set aside/);

    // A cache shows in every process: the first two pairs reject it.
    const always = scriptedRunner([suspicious]);
    await assert.rejects(
      measureSpeedup(always.runner, PROGRAM, PROGRAM, WORKLOAD, false, { sandbox: 'none', timeoutMs: 1000 }, SETTINGS),
      (error: unknown) => error instanceof TimingRejected && /far less than its first \(seen in 2 of 2 fresh process pairs\)/.test(error.reason),
    );
    const mostly = scriptedRunner([clear, suspicious, suspicious, clear]);
    await assert.rejects(
      measureSpeedup(mostly.runner, PROGRAM, PROGRAM, WORKLOAD, false, { sandbox: 'none', timeoutMs: 1000 }, SETTINGS),
      (error: unknown) => error instanceof TimingRejected && /\(seen in 2 of 3 fresh process pairs\)/.test(error.reason),
    );
  });

  it('reject at once on a conclusive rejection (results that differ when timed)', async () => {
    const { runner } = scriptedRunner([{ ratio: 3, spread: 0.01, rejection: 'when timed, its result differs' }]);
    await assert.rejects(
      measureSpeedup(runner, PROGRAM, PROGRAM, WORKLOAD, false, { sandbox: 'none', timeoutMs: 1000 }, SETTINGS),
      (error: unknown) => error instanceof TimingRejected && error.reason === 'when timed, its result differs',
    );
  });
});
