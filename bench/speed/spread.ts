/** Repeated timings as the speed figures print them: median with p90 and min–max, in a unit that suits the size. */
import { median, quantile } from '../../profilers/stats/descriptive.js';
import { formatSeconds } from '../benchStats.js';

export interface Spread {
  runs: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}

export function spreadOf(seconds: readonly number[]): Spread {
  return {
    runs: seconds.length,
    median: median(seconds),
    p90: quantile(seconds, 0.9),
    min: Math.min(...seconds),
    max: Math.max(...seconds),
  };
}

/** Like formatSeconds, but keeps sub-millisecond and few-millisecond figures readable ("0.42 ms", "4.7 ms"). */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const ms = seconds * 1000;
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return formatSeconds(seconds);
}

/** "p90 1.4 s, min–max 1.1–1.5 s, 5 runs" — the noise column of a figure whose value is the median. */
export function describeSpread(spread: Spread): string {
  if (spread.runs === 1) return '1 run';
  return `p90 ${formatDuration(spread.p90)}, min–max ${formatDuration(spread.min)}–${formatDuration(spread.max)}, ${spread.runs} runs`;
}

/** "1.2 s (p90 1.4 s, min–max …)" for table cells. */
export function spreadCell(spread: Spread): string {
  return spread.runs === 1 ? formatDuration(spread.median) : `${formatDuration(spread.median)} (${describeSpread(spread)})`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}
