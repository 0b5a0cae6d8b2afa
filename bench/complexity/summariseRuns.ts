/**
 * Per-function summaries of the complexity-fit runs: the fit's bias and spread against its stated standard error, how
 * often the intervals hold the true exponent, whether the class is named right, and the naive two-point estimate's
 * error beside it.
 */
import { mean, median, stddev } from '../../profilers/stats/descriptive.js';
import type { GrowthClass } from './growthStats.js';
import type { FitRecord, NaiveRecord, RunRecord } from './measureRuns.js';
import type { SubjectLanguage } from './subjects.js';

export interface SubjectSummary {
  language: SubjectLanguage;
  functionName: string;
  growth: GrowthClass;
  pattern: string;
  runs: number;
  fitted: number;
  /** Smallest and largest size over the runs. */
  sizes: [number, number];
  pointsPerRun: [number, number];
  meanExpected: number;
  meanExponent: number;
  /** Mean of k̂ − k* (signed). */
  bias: number;
  medianAbsError: number;
  /** Sample standard deviation of k̂ over the repeats; undefined with one run. */
  spread?: number;
  medianStdError: number;
  inStated: number;
  inNinetyFive: number;
  inStatistical: number;
  classRight: number;
  /** What `bestClass` said in the runs where it was wrong or absent ("none" when absent). */
  classesNamed: string[];
  /** Mean slopes over the smaller and the larger half of the sizes. */
  halfSlopes?: [number, number];
  /** Mean of (upper-half slope − lower-half slope) over the runs and its standard error (with ≥ 2 runs). */
  curvature?: { mean: number; standardError?: number; runs: number };
  /** Runs whose last size took longer than maxSecondsPerCall (timed once), and the fit's bias without that point. */
  overLimitRuns: number;
  biasWithoutOverLimit?: number;
  naive?: {
    runs: number;
    meanExponent: number;
    bias: number;
    medianAbsError: number;
    spread?: number;
    classRight: number;
  };
}

const fitOf = (r: RunRecord): FitRecord[] => (r.fit ? [r.fit] : []);
const naiveOf = (r: RunRecord): NaiveRecord[] => (r.naive ? [r.naive] : []);

function sampleSpread(values: readonly number[]): number | undefined {
  return values.length >= 2 ? stddev(values) : undefined;
}

function summariseOne(runs: readonly RunRecord[]): SubjectSummary {
  const first = runs[0] as RunRecord;
  const fits = runs.flatMap(fitOf);
  const naives = runs.flatMap(naiveOf);
  const sizes = runs.flatMap((r) => r.points.map((p) => p.size));
  const counts = runs.map((r) => r.points.length);
  const errors = fits.map((f) => f.exponent - f.expected);
  const summary: SubjectSummary = {
    language: first.language,
    functionName: first.functionName,
    growth: first.growth,
    pattern: first.pattern,
    runs: runs.length,
    fitted: fits.length,
    sizes: sizes.length > 0 ? [Math.min(...sizes), Math.max(...sizes)] : [0, 0],
    pointsPerRun: [Math.min(...counts), Math.max(...counts)],
    meanExpected: fits.length > 0 ? mean(fits.map((f) => f.expected)) : NaN,
    meanExponent: fits.length > 0 ? mean(fits.map((f) => f.exponent)) : NaN,
    bias: errors.length > 0 ? mean(errors) : NaN,
    medianAbsError: errors.length > 0 ? median(errors.map(Math.abs)) : NaN,
    medianStdError: fits.length > 0 ? median(fits.map((f) => f.stdError)) : NaN,
    inStated: fits.filter((f) => f.inStatedInterval).length,
    inNinetyFive: fits.filter((f) => f.inNinetyFiveInterval).length,
    inStatistical: fits.filter((f) => f.inStatisticalInterval).length,
    classRight: fits.filter((f) => f.bestClass === first.growth).length,
    classesNamed: fits.filter((f) => f.bestClass !== first.growth).map((f) => f.bestClass ?? (f.plausibleClasses ? f.plausibleClasses.join(' or ') : 'none')),
    overLimitRuns: 0,
  };
  const halves = fits.flatMap((f) => (f.halfSlopes ? [f.halfSlopes] : []));
  if (halves.length > 0) {
    summary.halfSlopes = [mean(halves.map((h) => h[0])), mean(halves.map((h) => h[1]))];
    const bends = halves.map((h) => h[1] - h[0]);
    const bendSpread = sampleSpread(bends);
    summary.curvature = {
      mean: mean(bends),
      ...(bendSpread !== undefined ? { standardError: bendSpread / Math.sqrt(bends.length) } : {}),
      runs: bends.length,
    };
  }
  const trimmed = fits.flatMap((f) => (f.withoutOverLimit ? [f.withoutOverLimit] : []));
  summary.overLimitRuns = trimmed.length;
  if (trimmed.length > 0) summary.biasWithoutOverLimit = mean(trimmed.map((t) => t.exponent - t.expected));
  const spread = sampleSpread(fits.map((f) => f.exponent));
  if (spread !== undefined) summary.spread = spread;
  if (naives.length > 0) {
    const naiveErrors = naives.map((n) => n.exponent - n.expected);
    const naiveSpread = sampleSpread(naives.map((n) => n.exponent));
    summary.naive = {
      runs: naives.length,
      meanExponent: mean(naives.map((n) => n.exponent)),
      bias: mean(naiveErrors),
      medianAbsError: median(naiveErrors.map(Math.abs)),
      ...(naiveSpread !== undefined ? { spread: naiveSpread } : {}),
      classRight: naives.filter((n) => n.nearestClass === first.growth).length,
    };
  }
  return summary;
}

/** One summary per (language, function), in the order the runs first name them. */
export function summariseRuns(records: readonly RunRecord[]): SubjectSummary[] {
  const groups = new Map<string, RunRecord[]>();
  for (const record of records) {
    const key = `${record.language}:${record.functionName}`;
    const group = groups.get(key);
    if (group) group.push(record);
    else groups.set(key, [record]);
  }
  return [...groups.values()].map(summariseOne);
}

export interface OverallSummary {
  fittedRuns: number;
  inStated: number;
  inNinetyFive: number;
  inStatistical: number;
  /** Mean over runs of the coverage ± 1 SE promises at each run's degrees of freedom. */
  statedNominal: number;
  classRight: number;
  /** Runs where the fit named a class that is not the true one (withholding a name, or naming two, is not wrong). */
  classWrong: number;
  /** Runs where the fit named no class but listed the classes it could not tell apart, the true one among them. */
  classAmbiguousWithTrue: number;
  fitMedianAbsError: number;
  naiveRuns: number;
  naiveClassRight: number;
  naiveMedianAbsError: number;
  /**
   * Per language, the runs whose last size took over maxSecondsPerCall (timed once in JavaScript and C++): mean signed
   * error of k̂ with and without that point.
   */
  overLimit: { language: SubjectLanguage; runs: number; biasWith: number; biasWithout: number }[];
  /** Median over functions with ≥ 2 fitted runs of (repeat-to-repeat SD of k̂) / (median stated SE). */
  spreadToStdError?: number;
  functionsWithSpread: number;
}

export function summariseOverall(records: readonly RunRecord[], subjects: readonly SubjectSummary[]): OverallSummary {
  const fits = records.flatMap(fitOf);
  const naives = records.flatMap(naiveOf);
  const ratios = subjects
    .filter((s) => s.spread !== undefined && s.medianStdError > 0)
    .map((s) => (s.spread as number) / s.medianStdError);
  const overall: OverallSummary = {
    fittedRuns: fits.length,
    inStated: fits.filter((f) => f.inStatedInterval).length,
    inNinetyFive: fits.filter((f) => f.inNinetyFiveInterval).length,
    inStatistical: fits.filter((f) => f.inStatisticalInterval).length,
    statedNominal: fits.length > 0 ? mean(fits.map((f) => f.statedNominalCoverage)) : NaN,
    classRight: records.filter((r) => r.fit?.bestClass === r.growth).length,
    classWrong: records.filter((r) => r.fit?.bestClass !== undefined && r.fit.bestClass !== r.growth).length,
    classAmbiguousWithTrue: records.filter((r) => r.fit?.plausibleClasses?.includes(r.growth)).length,
    fitMedianAbsError: fits.length > 0 ? median(fits.map((f) => Math.abs(f.exponent - f.expected))) : NaN,
    naiveRuns: naives.length,
    naiveClassRight: records.filter((r) => r.naive && r.naive.nearestClass === r.growth).length,
    naiveMedianAbsError: naives.length > 0 ? median(naives.map((n) => Math.abs(n.exponent - n.expected))) : NaN,
    functionsWithSpread: ratios.length,
    overLimit: [],
  };
  if (ratios.length > 0) overall.spreadToStdError = median(ratios);
  for (const language of [...new Set(records.map((r) => r.language))]) {
    const pairs = records.flatMap((r) =>
      r.language === language && r.fit?.withoutOverLimit
        ? [[r.fit.exponent - r.fit.expected, r.fit.withoutOverLimit.exponent - r.fit.withoutOverLimit.expected] as const]
        : [],
    );
    if (pairs.length > 0) {
      overall.overLimit.push({ language, runs: pairs.length, biasWith: mean(pairs.map((p) => p[0])), biasWithout: mean(pairs.map((p) => p[1])) });
    }
  }
  return overall;
}
