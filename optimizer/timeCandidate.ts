/**
 * The timing verdict with adaptive sample counts: one batch of interleaved pairs at the configured count, then more
 * batches (each a fresh sandboxed process, pooled with the earlier pairs) only while the interval straddles a threshold
 * boundary — where more data can still change the verdict. Clear cases cost one batch, as before; borderline ones get up
 * to MAX_TIMING_BATCHES times the pairs, which is what lets a real 8% gain be told from noise.
 */
import type { LanguageRunner, PairedTimingSamples, Program, RunOptions, WorkloadSource } from '../profilers/runner.js';
import { estimatePairedSpeedup } from '../profilers/stats/speedup.js';
import type { SpeedupEstimate } from '../profilers/stats/types.js';
import type { OptimizeSettings } from './types.js';

/** Batches at most, the first included. `npm run bench` (A/A and sensitivity figures) measures this choice. */
export const MAX_TIMING_BATCHES = 3;

export interface TimedSpeedup {
  estimate: SpeedupEstimate;
  /** All pairs, batches concatenated in order. */
  samples: PairedTimingSamples;
  /** The first batch alone: what a fixed sample count would have judged (the bench's baselines read it). */
  firstBatch: PairedTimingSamples;
  batches: number;
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

export async function measureSpeedup(
  runner: LanguageRunner,
  original: Program,
  candidate: Program,
  workload: WorkloadSource,
  mutatesArguments: boolean,
  opts: RunOptions,
  settings: Pick<OptimizeSettings, 'timingSamples' | 'sampleSeconds' | 'noiseThreshold'>,
): Promise<TimedSpeedup> {
  const timing = { ...opts, samples: settings.timingSamples, sampleSeconds: settings.sampleSeconds };
  const firstBatch = believed(await runner.measureTime(original, candidate, workload, mutatesArguments, timing));
  const samples: PairedTimingSamples = { ...firstBatch, original: [...firstBatch.original], candidate: [...firstBatch.candidate] };
  const estimateNow = () => estimatePairedSpeedup(samples.original, samples.candidate, { noiseThreshold: settings.noiseThreshold });
  let estimate = estimateNow();
  let batches = 1;
  while (batches < MAX_TIMING_BATCHES && straddlesThreshold(estimate) && !opts.signal?.aborted) {
    const more = believed(await runner.measureTime(original, candidate, workload, mutatesArguments, timing));
    samples.original.push(...more.original);
    samples.candidate.push(...more.candidate);
    batches++;
    estimate = estimateNow();
  }
  if (batches > 1) estimate = { ...estimate, method: `${estimate.method}; ${batches} batches (the interval straddled the threshold)` };
  return { estimate, samples, firstBatch, batches };
}
