/** Wall-time samples of one benchmark command on one version of the project, as hyperfine reports them. */
import { mean, median, stddev } from '../stats/descriptive.js';

export interface CommandTimings {
  /** Seconds per run, in the order they were taken (warm-ups excluded). */
  times: number[];
  mean: number;
  /** Sample standard deviation; 0 for a single run. */
  stddev: number;
  median: number;
  min: number;
  max: number;
  /** Largest peak resident set size over the runs, when the tool reports it. */
  maxRssBytes?: number;
  exitCodes: number[];
}

/** The summary figures of raw samples (the built-in timer's equivalent of hyperfine's export). */
export function summarizeTimes(times: number[], exitCodes: number[], maxRssBytes?: number): CommandTimings {
  return {
    times,
    mean: mean(times),
    stddev: stddev(times),
    median: median(times),
    min: Math.min(...times),
    max: Math.max(...times),
    ...(maxRssBytes === undefined ? {} : { maxRssBytes }),
    exitCodes,
  };
}

/** Blocks of runs of the same command, in order, as one series. */
export function concatTimings(blocks: readonly CommandTimings[]): CommandTimings {
  const rss = blocks.map((b) => b.maxRssBytes).filter((v): v is number => v !== undefined);
  return summarizeTimes(
    blocks.flatMap((b) => b.times),
    blocks.flatMap((b) => b.exitCodes),
    rss.length > 0 ? Math.max(...rss) : undefined,
  );
}
