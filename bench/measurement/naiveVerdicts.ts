/**
 * The naive decision rules peer tools use, as baselines for Perfloop's interval verdict. Each reads the same interleaved
 * samples Perfloop's first process pair got (so the comparison isolates the decision rule; a naive tool timing each side in its own process
 * would see more noise, not less) and calls a difference when its point estimate clears the same 5% threshold.
 */
import { classifySpeedup, estimatePairedSpeedup } from '../../profilers/stats/speedup.js';
import type { SpeedupEstimate } from '../../profilers/stats/types.js';
import type { TimedSpeedup } from '../../optimizer/timeCandidate.js';

export type TimingVerdict = SpeedupEstimate['verdict'];

export interface NaiveMethod {
  id: string;
  name: string;
  /** original / candidate from the samples; above 1 means the candidate looks faster. */
  ratio(original: readonly number[], candidate: readonly number[]): number;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

export const NAIVE_METHODS: readonly NaiveMethod[] = [
  { id: 'single-run', name: 'single run', ratio: (o, c) => (o[0] as number) / (c[0] as number) },
  { id: 'mean-of-5', name: 'mean of 5 runs', ratio: (o, c) => mean(o.slice(0, 5)) / mean(c.slice(0, 5)) },
  { id: 'best-of-n', name: 'best of N (Codeflash-like)', ratio: (o, c) => Math.min(...o) / Math.min(...c) },
];

/** A point estimate judged against the threshold alone, the way the naive rules do. */
export function thresholdVerdict(ratio: number, noiseThreshold: number): TimingVerdict {
  return classifySpeedup(ratio, ratio, noiseThreshold);
}

export interface VerdictSet {
  /** Perfloop's verdict as a run makes it (several process pairs). */
  perfloop: SpeedupEstimate;
  /** Perfloop's estimate from the first process pair alone: one process per side, as before several pairs. */
  fixed: SpeedupEstimate;
  processPairs: number;
  /** Verdict of each naive method on the first process pair's samples, by id. */
  naive: Record<string, TimingVerdict>;
  /** Whether Perfloop's interval excludes 1 at all (the statistical resolution, before the practical threshold). */
  intervalExcludesOne: boolean;
}

export function judgeTiming(timed: TimedSpeedup, noiseThreshold: number): VerdictSet {
  const { original, candidate } = timed.firstBatch;
  const fixed = estimatePairedSpeedup(original, candidate, { noiseThreshold });
  const naive: Record<string, TimingVerdict> = {};
  for (const method of NAIVE_METHODS) naive[method.id] = thresholdVerdict(method.ratio(original, candidate), noiseThreshold);
  const perfloop = timed.estimate;
  return { perfloop, fixed, processPairs: timed.processPairs, naive, intervalExcludesOne: perfloop.low > 1 || perfloop.high < 1 };
}
