/**
 * The timing verdict from several fresh process pairs: identical code differs by a few percent from one process to the
 * next, the same for all of a process's samples, so one process pair (however many samples) cannot tell that from a
 * speedup. The configured sample count is split over MIN_PROCESS_PAIRS pairs of worker processes (each a fresh sandboxed
 * process per side, pinned to a CPU of its own drawing); the interval is Student's t across the pairs
 * (estimateProcessPairsSpeedup). While it straddles a threshold boundary — where more data can still change the verdict
 * — one more process pair at a time is timed, up to MAX_PROCESS_PAIRS. Clear cases cost the minimum; borderline ones get
 * the pairs that let a real 10% gain be told from process-to-process variation.
 */
import { TimingTurns } from '../profilers/judge/timingTurns.js';
import type { LanguageRunner, PairedTimingSamples, Program, RunOptions, TimingOptions, WorkloadSource } from '../profilers/runner.js';
import { MIN_SAMPLES, estimateProcessPairsSpeedup } from '../profilers/stats/speedup.js';
import type { SpeedupEstimate } from '../profilers/stats/types.js';
import type { OptimizeSettings } from './types.js';

/** Process pairs at least and at most. `npm run bench` (A/A and sensitivity figures) measures this choice. */
export const MIN_PROCESS_PAIRS = 4;
export const MAX_PROCESS_PAIRS = 10;

/** Interleaved pairs each process pair takes: the configured count split over the first process pairs. */
export function samplesPerProcessPair(timingSamples: number): number {
  return Math.max(MIN_SAMPLES, Math.ceil(timingSamples / MIN_PROCESS_PAIRS));
}

export interface TimedSpeedup {
  estimate: SpeedupEstimate;
  /** All pairs, process pairs concatenated in order. */
  samples: PairedTimingSamples;
  /** The first process pair alone: what timing in one pair of processes would have judged (the bench's baselines read it). */
  firstBatch: PairedTimingSamples;
  processPairs: number;
}

/** The candidate's timing could not be believed (see PairedTimingSamples.rejection): it is judged incorrect. */
export class TimingRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TimingRejected';
  }
}

function believed(samples: PairedTimingSamples): PairedTimingSamples {
  if (samples.rejection) throw new TimingRejected(samples.rejection);
  return samples;
}

/** True when the interval contains a threshold boundary, so more pairs could still change the verdict. */
export function straddlesThreshold(estimate: Pick<SpeedupEstimate, 'low' | 'high' | 'noiseThreshold'>): boolean {
  const up = 1 + estimate.noiseThreshold;
  const down = 1 / up;
  return (estimate.low <= up && estimate.high > up) || (estimate.low < down && estimate.high >= down);
}

/**
 * The first MIN_PROCESS_PAIRS process pairs, started together and timed in turn (judge/timingTurns.ts). A rejection in one
 * stops the others (their timing would be thrown away) and is what the caller gets.
 */
async function firstProcessPairs(
  runner: LanguageRunner,
  original: Program,
  candidate: Program,
  workload: WorkloadSource,
  mutatesArguments: boolean,
  timing: TimingOptions,
): Promise<PairedTimingSamples[]> {
  const turns = new TimingTurns(MIN_PROCESS_PAIRS);
  const stop = new AbortController();
  let firstFailure: { error: unknown } | undefined;
  const stopAll = () => stop.abort(timing.signal?.reason);
  if (timing.signal?.aborted) stopAll();
  timing.signal?.addEventListener('abort', stopAll, { once: true });
  try {
    const runs = Array.from({ length: MIN_PROCESS_PAIRS }, async () => {
      const turn = turns.ticket();
      try {
        const samples = await runner.measureTime(original, candidate, workload, mutatesArguments, { ...timing, signal: stop.signal, turn });
        if (samples.rejection) stop.abort();
        return samples;
      } catch (error) {
        if (!stop.signal.aborted) firstFailure ??= { error };
        stop.abort();
        throw error;
      } finally {
        turn.started();
      }
    });
    const settled = await Promise.allSettled(runs);
    // A rejection is the answer even when the pairs it stopped then failed; else the first error, not those it caused.
    const rejected = settled.find((r): r is PromiseFulfilledResult<PairedTimingSamples> => r.status === 'fulfilled' && r.value.rejection !== undefined);
    if (rejected) believed(rejected.value);
    if (firstFailure) throw firstFailure.error;
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<PairedTimingSamples>).value);
  } finally {
    timing.signal?.removeEventListener('abort', stopAll);
  }
}

export async function measureSpeedup(
  runner: LanguageRunner,
  original: Program,
  candidate: Program,
  workload: WorkloadSource,
  mutatesArguments: boolean,
  opts: RunOptions,
  settings: Pick<OptimizeSettings, 'timingSamples' | 'sampleSeconds' | 'noiseThreshold'>,
): Promise<TimedSpeedup> {
  const timing = { ...opts, samples: samplesPerProcessPair(settings.timingSamples), sampleSeconds: settings.sampleSeconds };
  const pairs: PairedTimingSamples[] = await firstProcessPairs(runner, original, candidate, workload, mutatesArguments, timing);
  const estimateNow = () => estimateProcessPairsSpeedup(pairs, { noiseThreshold: settings.noiseThreshold });
  let estimate = estimateNow();
  while (pairs.length < MAX_PROCESS_PAIRS && straddlesThreshold(estimate) && !opts.signal?.aborted) {
    pairs.push(believed(await runner.measureTime(original, candidate, workload, mutatesArguments, timing)));
    estimate = estimateNow();
  }
  const first = pairs[0] as PairedTimingSamples;
  const samples: PairedTimingSamples = { ...first, original: pairs.flatMap((p) => p.original), candidate: pairs.flatMap((p) => p.candidate) };
  if (pairs.length > MIN_PROCESS_PAIRS) estimate = { ...estimate, method: `${estimate.method}; pairs added while the interval straddled the threshold` };
  return { estimate, samples, firstBatch: first, processPairs: pairs.length };
}
