/** What the PIE section records per pair, and the statistics over those records (pure, so they can be unit-tested). */
import { quantile } from '../../profilers/stats/descriptive.js';
import { createRandom } from '../../profilers/stats/random.js';
import type { SpeedupEstimate } from '../../profilers/stats/types.js';
import { kendallTauB, spearmanRho } from '../benchStats.js';
import type { NaiveEstimate } from './measurePie.js';

export interface MeasuredPair {
  id: string;
  problemId: string;
  publishedLift: number;
  judgeRatio: number | undefined;
  /** PIE's measured runtime of the slow program (on their hidden tests). */
  pieSlowSeconds: number;
  /** 1-based index of the timed sample test, and its input size. */
  test: number;
  inputBytes: number;
  slowTimes: number[];
  fastTimes: number[];
  estimate: SpeedupEstimate;
  naive: NaiveEstimate;
}

export interface ExcludedPair {
  id: string;
  reason: string;
}

/** The slow program timed against itself: any verdict but no-difference is a false one. */
export interface AaCheck {
  id: string;
  slowTimes: number[];
  fastTimes: number[];
  estimate: SpeedupEstimate;
  naive: NaiveEstimate;
}

export interface RankAgreement {
  tau: number | undefined;
  rho: number | undefined;
  /** Percentile bootstrap 95% interval of τ-b, resampling pairs; undefined below 4 pairs. */
  tauInterval: [number, number] | undefined;
  n: number;
}

const BOOTSTRAP_RESAMPLES = 2000;

/** Rank agreement over the pairs that have both values; the bootstrap is seeded so a report is reproducible. */
export function rankAgreement(measured: readonly number[], published: readonly (number | undefined)[], seed = 0x9e1): RankAgreement {
  const xs: number[] = [];
  const ys: number[] = [];
  measured.forEach((m, i) => {
    const p = published[i];
    if (p !== undefined && Number.isFinite(m) && Number.isFinite(p)) {
      xs.push(m);
      ys.push(p);
    }
  });
  const n = xs.length;
  const tau = n >= 2 ? kendallTauB(xs, ys) : undefined;
  const rho = n >= 2 ? spearmanRho(xs, ys) : undefined;
  if (n < 4) return { tau, rho, tauInterval: undefined, n };
  const random = createRandom(seed);
  const replicates: number[] = [];
  for (let b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
    const a: number[] = [];
    const c: number[] = [];
    for (let k = 0; k < n; k++) {
      const j = random.int(n);
      a.push(xs[j] as number);
      c.push(ys[j] as number);
    }
    const t = kendallTauB(a, c);
    // A resample with no two distinct values has no τ; it says nothing either way.
    if (t !== undefined) replicates.push(t);
  }
  const tauInterval: [number, number] | undefined =
    replicates.length > 0 ? [quantile(replicates, 0.025), quantile(replicates, 0.975)] : undefined;
  return { tau, rho, tauInterval, n };
}

export type Direction = 'faster' | 'no-difference' | 'slower';

/** PIE's direction under the same threshold rule: above 1 + threshold is faster. */
export function publishedDirection(lift: number, noiseThreshold: number): Direction {
  if (lift > 1 + noiseThreshold) return 'faster';
  if (lift < 1 / (1 + noiseThreshold)) return 'slower';
  return 'no-difference';
}

export interface VerdictCounts {
  faster: number;
  'no-difference': number;
  slower: number;
}

export function countVerdicts(verdicts: readonly Direction[]): VerdictCounts {
  const counts: VerdictCounts = { faster: 0, 'no-difference': 0, slower: 0 };
  for (const verdict of verdicts) counts[verdict]++;
  return counts;
}

/** Median and quartiles of measured/published, the compression of the measured speedups. */
export function ratioSummary(measured: readonly number[], published: readonly (number | undefined)[]): { median: number; q1: number; q3: number; n: number } | undefined {
  const ratios = measured.flatMap((m, i) => {
    const p = published[i];
    return p !== undefined && p > 0 ? [m / p] : [];
  });
  if (ratios.length === 0) return undefined;
  return { median: quantile(ratios, 0.5), q1: quantile(ratios, 0.25), q3: quantile(ratios, 0.75), n: ratios.length };
}

/**
 * Speedup with the interpreter's start-up taken out of both sides: (slow − floor) / (fast − floor). Undefined when the
 * fast side does not clear the floor by a millisecond (nothing left to divide by).
 */
export function startupAdjustedRatio(slowSeconds: number, fastSeconds: number, floorSeconds: number): number | undefined {
  const fastWork = fastSeconds - floorSeconds;
  const slowWork = slowSeconds - floorSeconds;
  if (fastWork < 0.001 || slowWork <= 0) return undefined;
  return slowWork / fastWork;
}

/** Pairs ordered by how much they tell: methods disagreeing first, then the largest gap to PIE's lift. */
export function mostTelling(pairs: readonly MeasuredPair[], limit: number): MeasuredPair[] {
  const gap = (p: MeasuredPair): number => Math.abs(Math.log(p.estimate.ratio / p.publishedLift));
  return [...pairs]
    .sort((a, b) => {
      const disagreeA = a.naive.verdict !== a.estimate.verdict ? 1 : 0;
      const disagreeB = b.naive.verdict !== b.estimate.verdict ? 1 : 0;
      return disagreeB - disagreeA || gap(b) - gap(a) || a.id.localeCompare(b.id);
    })
    .slice(0, limit);
}
