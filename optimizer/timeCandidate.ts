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

/** Process pairs of one verdict whose timing raised a suspicion (PairedTimingSamples.suspicion), at least, to reject it. */
export const SUSPICIONS_TO_REJECT = 2;

/**
 * The process pairs of one verdict as they come in. A conclusive rejection (results that differ when timed, a worker
 * that died) rejects the candidate at once. A suspicion rests on CPU-time readings of single passes, which a page-fault
 * storm, a compaction stall or a busy sibling hyperthread can fake (an identical copy of a function was "caching": its
 * first fresh pass cost 135 ms of CPU, its second 34 ms, on a loaded machine; another time 175 ms and 73 ms, in 2 of 10
 * pairs): that pair's samples are set aside and another pair is timed in its place. The candidate is rejected once at
 * least SUSPICIONS_TO_REJECT pairs were suspicious and they outnumber the believed ones: a candidate that really caches
 * or special-cases does so in every process, and one that does so in only some processes gets its verdict from the
 * others, where it did not.
 */
class ProcessPairs {
  readonly believed: PairedTimingSamples[] = [];
  private readonly suspicious: PairedTimingSamples[] = [];

  get timed(): number {
    return this.believed.length + this.suspicious.length;
  }

  get setAside(): number {
    return this.suspicious.length;
  }

  add(samples: PairedTimingSamples): void {
    if (!samples.rejection) {
      this.believed.push(samples);
      return;
    }
    if (!samples.suspicion) throw new TimingRejected(samples.rejection);
    this.suspicious.push(samples);
    if (this.suspicious.length >= SUSPICIONS_TO_REJECT && this.suspicious.length > this.believed.length) {
      throw new TimingRejected(`${samples.rejection} (seen in ${this.suspicious.length} of ${this.timed} fresh process pairs)`);
    }
  }
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
        if (samples.rejection && !samples.suspicion) stop.abort();
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
    // A conclusive rejection is the answer even when the pairs it stopped then failed; else the first error, not those it
    // caused.
    const rejected = settled.find((r): r is PromiseFulfilledResult<PairedTimingSamples> => r.status === 'fulfilled' && r.value.rejection !== undefined && !r.value.suspicion);
    if (rejected) throw new TimingRejected(rejected.value.rejection ?? '');
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
  const pairs = new ProcessPairs();
  for (const samples of await firstProcessPairs(runner, original, candidate, workload, mutatesArguments, timing)) pairs.add(samples);
  const timeAnother = async () => pairs.add(await runner.measureTime(original, candidate, workload, mutatesArguments, timing));
  // A pair set aside stands in for none: the minimum is of believed pairs, the limit grows by the pairs set aside.
  while (pairs.believed.length < MIN_PROCESS_PAIRS) await timeAnother();
  const estimateNow = () => estimateProcessPairsSpeedup(pairs.believed, { noiseThreshold: settings.noiseThreshold });
  let estimate = estimateNow();
  while (pairs.timed < MAX_PROCESS_PAIRS + pairs.setAside && straddlesThreshold(estimate) && !opts.signal?.aborted) {
    await timeAnother();
    estimate = estimateNow();
  }
  const believedPairs = pairs.believed;
  const first = believedPairs[0] as PairedTimingSamples;
  const samples: PairedTimingSamples = { ...first, original: believedPairs.flatMap((p) => p.original), candidate: believedPairs.flatMap((p) => p.candidate) };
  if (believedPairs.length > MIN_PROCESS_PAIRS) estimate = { ...estimate, method: `${estimate.method}; pairs added while the interval straddled the threshold` };
  if (pairs.setAside > 0) {
    const which = pairs.setAside === 1 ? '1 process pair set aside (a suspicious pass' : `${pairs.setAside} process pairs set aside (a suspicious pass each`;
    estimate = { ...estimate, method: `${estimate.method}; ${which}, in fewer pairs than those without one)` };
  }
  return { estimate, samples, firstBatch: first, processPairs: believedPairs.length };
}
