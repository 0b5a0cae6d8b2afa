/**
 * The timing verdict exactly as a run reaches it (measureSpeedup: several fresh process pairs), for tests that assert a
 * verdict. One `measureTime` call is one process pair, whose interval cannot see how much identical code differs from one
 * process to the next: a test asserting "no difference" on it fails now and then on a perfectly honest machine.
 */
import { measureSpeedup, TimingRejected } from '../../optimizer/timeCandidate.js';
import { DEFAULT_SETTINGS } from '../../optimizer/types.js';
import type { LanguageRunner, Program, RunOptions, WorkloadSource } from '../../profilers/runner.js';
import type { SpeedupEstimate } from '../../profilers/stats/types.js';

export type Judged = { estimate: SpeedupEstimate; rejection?: undefined } | { rejection: string; estimate?: undefined };

export async function judgedTiming(
  runner: LanguageRunner,
  original: Program,
  candidate: Program,
  workload: WorkloadSource,
  mutatesArguments: boolean,
  timing: RunOptions & { samples: number; sampleSeconds: number },
): Promise<Judged> {
  try {
    const settings = { timingSamples: timing.samples, sampleSeconds: timing.sampleSeconds, noiseThreshold: DEFAULT_SETTINGS.noiseThreshold };
    return { estimate: (await measureSpeedup(runner, original, candidate, workload, mutatesArguments, timing, settings)).estimate };
  } catch (error) {
    if (error instanceof TimingRejected) return { rejection: error.reason };
    throw error;
  }
}

/** The verdict, or `rejected`. */
export function verdictOf(judged: Judged): string {
  return judged.estimate?.verdict ?? 'rejected';
}
