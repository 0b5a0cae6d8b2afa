/**
 * What the two charts draw, as plain numbers: the speedup of each timed candidate with its 95% interval against the
 * noise band, and time per call against input size (log–log) for the original and the best candidate. Pure, so the
 * chart code only maps these to chart.js and the tests can check the numbers.
 */
import { formatRatio, formatSeconds } from '../../../optimizer/report/format.js';
import type { ComplexityPoint } from '../../../profilers/runner.js';
import type { PowerLawFit } from '../../../profilers/stats/types.js';
import type { ReportViewState } from '../../protocol.js';
import { noiseThresholdOf, rankedCandidates } from './candidateRows.js';
import { formatInterval, formatThreshold } from './displayFormat.js';
import { VERDICT_STYLES, type Tone } from './verdicts.js';

export interface SpeedupBar {
  id: string;
  ratio: number;
  low: number;
  high: number;
  tone: Tone;
  verdictLabel: string;
}

export interface SpeedupChartModel {
  bars: SpeedupBar[];
  /** Speedups inside [low, high] are within the noise threshold (`threshold`, e.g. "5%") of 1×. */
  band: { low: number; high: number; threshold: string };
  axis: { min: number; max: number; ticks: number[] };
  /** Text alternative of the chart. */
  summary: string;
}

const positive = (v: number): boolean => Number.isFinite(v) && v > 0;

export function speedupChartModel(state: ReportViewState): SpeedupChartModel | undefined {
  const bars: SpeedupBar[] = [];
  for (const c of rankedCandidates(state)) {
    const s = c.speedup;
    if (!s || !positive(s.ratio) || !positive(s.low) || !positive(s.high)) continue;
    const style = VERDICT_STYLES[c.verdict];
    bars.push({ id: c.id, ratio: s.ratio, low: s.low, high: s.high, tone: style.tone, verdictLabel: style.label });
  }
  if (bars.length === 0) return undefined;
  const threshold = noiseThresholdOf(state);
  const band = { low: 1 / (1 + threshold), high: 1 + threshold, threshold: formatThreshold(threshold) };
  const min = Math.min(band.low, ...bars.map((b) => b.low)) / 1.15;
  const max = Math.max(band.high, ...bars.map((b) => b.high)) * 1.15;
  const summary =
    `Speedup per candidate (original time ÷ candidate time, log scale) with 95% intervals; ` +
    `the band from ${band.low.toFixed(2)}× to ${band.high.toFixed(2)}× is within the ${formatThreshold(threshold)} noise threshold. ` +
    bars.map((b) => `${b.id}: ${formatRatio(b.ratio)} (${formatInterval(b)}), ${b.verdictLabel}`).join('; ') +
    '. The candidate list carries the same numbers.';
  return { bars, band, axis: { min, max, ticks: niceLogTicks(min, max, [1]) }, summary };
}

export interface GrowthSeries {
  role: 'original' | 'best';
  label: string;
  points: { x: number; y: number }[];
  /** The fitted power law over the measured sizes (a straight line on log–log axes). */
  fitLine?: { x: number; y: number }[];
  fitLabel?: string;
}

export interface GrowthChartModel {
  series: GrowthSeries[];
  x: { min: number; max: number; ticks: number[] };
  y: { min: number; max: number; ticks: number[] };
  summary: string;
}

type ComplexityData = { points: ComplexityPoint[]; fit?: PowerLawFit };

export function growthChartModel(state: ReportViewState): GrowthChartModel | undefined {
  const series: GrowthSeries[] = [];
  const original = toSeries('original', 'original', state.report.baseline?.complexity);
  if (!original) return undefined;
  series.push(original);
  const bestId = state.report.best?.candidateId;
  const best = bestId ? toSeries('best', bestId, state.report.best?.complexity) : undefined;
  if (best) series.push(best);
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => [...s.points, ...(s.fitLine ?? [])].map((p) => p.y));
  const x = { min: Math.min(...xs) / 1.3, max: Math.max(...xs) * 1.3 };
  const y = { min: Math.min(...ys) / 1.5, max: Math.max(...ys) * 1.5 };
  const summary =
    'Time per call against input size, both axes logarithmic. ' +
    series
      .map((s) => {
        const first = s.points[0];
        const last = s.points[s.points.length - 1];
        const range = first && last ? `${formatSeconds(first.y)} at size ${formatSize(first.x)} to ${formatSeconds(last.y)} at size ${formatSize(last.x)}` : '';
        return `${s.label}: ${s.points.length} sizes, ${range}${s.fitLabel ? `, fitted ${s.fitLabel}` : ''}`;
      })
      .join('; ') +
    '.';
  return { series, x: { ...x, ticks: niceLogTicks(x.min, x.max) }, y: { ...y, ticks: niceLogTicks(y.min, y.max) }, summary };
}

function toSeries(role: GrowthSeries['role'], label: string, data: ComplexityData | undefined): GrowthSeries | undefined {
  const points = (data?.points ?? []).filter((p) => positive(p.size) && positive(p.seconds)).map((p) => ({ x: p.size, y: p.seconds }));
  if (points.length < 2) return undefined;
  points.sort((a, b) => a.x - b.x);
  const series: GrowthSeries = { role, label, points };
  const fit = data?.fit;
  if (fit && positive(fit.coefficient) && Number.isFinite(fit.exponent)) {
    const ends = [points[0]!.x, points[points.length - 1]!.x];
    series.fitLine = ends.map((x) => ({ x, y: fit.coefficient * x ** fit.exponent }));
    series.fitLabel = fit.label;
  }
  return series;
}

/** Ratios as axis labels: 0.5 → "0.5×", 2 → "2×", 1.5 → "1.5×". */
export function formatTickRatio(ratio: number): string {
  return `${Number(ratio.toPrecision(2))}×`;
}

/** Input sizes as axis labels: 1000 → "1k", 2.5e6 → "2.5M". */
export function formatSize(size: number): string {
  const compact = (v: number): string => String(Number(v.toPrecision(3)));
  if (size >= 1e9) return `${compact(size / 1e9)}G`;
  if (size >= 1e6) return `${compact(size / 1e6)}M`;
  if (size >= 1e3) return `${compact(size / 1e3)}k`;
  return compact(size);
}

const MANTISSA_SETS = [
  [1, 2, 5],
  [1, 1.5, 2, 3, 5, 7],
  [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9],
];

/**
 * Readable tick values for a log axis over [min, max]: decades, or 1-2-5 steps, or finer steps when the range is
 * short, aiming at 3–8 labels. `always` values inside the range are kept (1× on the speedup axis).
 */
export function niceLogTicks(min: number, max: number, always: number[] = []): number[] {
  if (!(min > 0) || !(max > min)) return [];
  const inRange = (v: number): boolean => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  const build = (mantissas: number[]): number[] => {
    const out: number[] = [];
    for (let d = Math.floor(Math.log10(min)); d <= Math.ceil(Math.log10(max)); d++) {
      for (const m of mantissas) {
        const v = Number((m * 10 ** d).toPrecision(6));
        if (inRange(v)) out.push(v);
      }
    }
    return out;
  };
  let ticks = build([1]);
  if (ticks.length < 3) {
    for (const set of MANTISSA_SETS) {
      ticks = build(set);
      if (ticks.length >= 3) break;
    }
  } else if (ticks.length <= 3) {
    const finer = build(MANTISSA_SETS[0]!);
    if (finer.length <= 8) ticks = finer;
  } else if (ticks.length > 8) {
    ticks = ticks.filter((_, i) => i % Math.ceil(ticks.length / 8) === 0);
  }
  for (const v of always) if (inRange(v) && !ticks.includes(v)) ticks.push(v);
  return ticks.sort((a, b) => a - b);
}
