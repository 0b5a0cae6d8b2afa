/**
 * The whole-program speedup from interleaved command timings: paired when both versions have enough runs (run i of each
 * was taken in the same round, so drift cancels in each ratio), else the unpaired estimate.
 */
import { estimatePairedSpeedup, estimateUnpairedSpeedup, MIN_SAMPLES } from '../stats/speedup.js';
import type { SpeedupEstimate } from '../stats/types.js';
import type { CommandPairTimings } from './measureCommandPair.js';

export function commandPairSpeedup(timings: Pick<CommandPairTimings, 'original' | 'patched'>, noiseThreshold: number): SpeedupEstimate {
  const original = timings.original.times;
  const patched = timings.patched.times;
  if (original.length === patched.length && original.length >= MIN_SAMPLES) {
    return estimatePairedSpeedup(original, patched, { noiseThreshold });
  }
  return estimateUnpairedSpeedup(original, patched, { noiseThreshold });
}
