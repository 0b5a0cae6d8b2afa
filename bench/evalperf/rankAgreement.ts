/**
 * Agreement between a measured ranking and EvalPerf's published efficiency levels (pure). Levels ascend with speed, so a
 * measured cost (instructions, seconds) agrees when it DEscends with the level: τ is computed against the negated cost.
 * A cost of +Infinity stands for "past the measuring cap": such items tie with each other and are costlier than the rest.
 */
import { kendallTauB } from '../benchStats.js';

export interface RankedItem {
  level: number;
  /** Measured cost; +Infinity = capped; null = not measured (left out). */
  cost: number | null;
}

export interface PairCounts {
  concordant: number;
  discordant: number;
  /** Pairs whose costs are equal (two capped items, or identical counts). */
  tied: number;
}

export interface TaskAgreement {
  tau: number | undefined;
  /** Items with a cost (capped included). */
  n: number;
  pairs: PairCounts;
}

/** Negated costs with +Infinity mapped to a finite value below every other (kendallTauB needs finite differences). */
function negatedCosts(costs: readonly number[]): number[] {
  const finite = costs.filter((c) => Number.isFinite(c));
  const worst = finite.length > 0 ? Math.max(...finite) : 0;
  return costs.map((c) => (Number.isFinite(c) ? -c : -(Math.abs(worst) * 2 + 1)));
}

export function pairCounts(items: readonly RankedItem[]): PairCounts {
  const measured = items.filter((i): i is RankedItem & { cost: number } => i.cost !== null);
  const counts: PairCounts = { concordant: 0, discordant: 0, tied: 0 };
  for (let i = 0; i < measured.length; i++) {
    for (let j = i + 1; j < measured.length; j++) {
      const a = measured[i] as RankedItem & { cost: number };
      const b = measured[j] as RankedItem & { cost: number };
      if (a.level === b.level) continue;
      if (a.cost === b.cost) counts.tied++;
      else if (a.level < b.level === a.cost > b.cost) counts.concordant++;
      else counts.discordant++;
    }
  }
  return counts;
}

export function taskAgreement(items: readonly RankedItem[]): TaskAgreement {
  const measured = items.filter((i): i is RankedItem & { cost: number } => i.cost !== null);
  const tau = measured.length >= 2
    ? kendallTauB(measured.map((i) => i.level), negatedCosts(measured.map((i) => i.cost)))
    : undefined;
  return { tau, n: measured.length, pairs: pairCounts(items) };
}

export interface MeanWithError {
  mean: number | null;
  /** Standard error of the mean over tasks (null below two tasks). */
  standardError: number | null;
  n: number;
}

export function meanWithError(values: readonly (number | undefined)[]): MeanWithError {
  const defined = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  const n = defined.length;
  if (n === 0) return { mean: null, standardError: null, n };
  const mean = defined.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { mean, standardError: null, n };
  const variance = defined.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  return { mean, standardError: Math.sqrt(variance / n), n };
}

export function addPairs(a: PairCounts, b: PairCounts): PairCounts {
  return { concordant: a.concordant + b.concordant, discordant: a.discordant + b.discordant, tied: a.tied + b.tied };
}

export function pairTotal(p: PairCounts): number {
  return p.concordant + p.discordant + p.tied;
}
