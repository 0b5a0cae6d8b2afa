/**
 * Assigning an EvalPerf efficiency level to a solution from measured costs (pure).
 *
 * EvalPerf's `matching_cluster_idx` is the index of a reference in the slow→fast list, i.e. its efficiency_level: the
 * data's references carry levels 0..n−1 in that order, the leaderboard's values lie in 0..n−1 or −1, and the one
 * leaderboard solution identical to a reference (Mbpp/240, level 4) carries cluster 4. EvalPerf's rule (evalplus
 * evalperf.py) walks the references from the fastest down and takes the first whose instruction count is not below the
 * solution's; −1 means slower than the slowest.
 */

export interface LevelReference {
  level: number;
  /** Measured cost (instructions or seconds); +Infinity for "past the measuring cap"; null when not measured. */
  cost: number | null;
}

/** The level of the reference nearest in log cost; ties go to the faster level. Null without a finite reference. */
export function nearestLevel(cost: number, references: readonly LevelReference[]): number | null {
  const logCost = Math.log(Math.max(cost, 1e-12));
  let best: { level: number; distance: number } | null = null;
  for (const ref of references) {
    if (ref.cost === null || !Number.isFinite(ref.cost)) continue;
    const distance = Math.abs(logCost - Math.log(Math.max(ref.cost, 1e-12)));
    if (!best || distance < best.distance || (distance === best.distance && ref.level > best.level)) best = { level: ref.level, distance };
  }
  return best?.level ?? null;
}

/** EvalPerf's own rule on our costs: the fastest level whose reference costs at least as much; −1 if none. */
export function evalperfRuleLevel(cost: number, references: readonly LevelReference[]): number {
  const byLevel = [...references].filter((r) => r.cost !== null).sort((a, b) => b.level - a.level);
  for (const ref of byLevel) if (cost <= (ref.cost as number)) return ref.level;
  return -1;
}

export interface LevelAgreement {
  exact: boolean;
  withinOne: boolean;
}

/**
 * Agreement with the published cluster index. A solution produced by several models can carry more than one index
 * (55 of 2,640); it agrees when the assigned level matches any of them.
 */
export function levelAgreement(assigned: number, published: readonly number[]): LevelAgreement {
  return {
    exact: published.includes(assigned),
    withinOne: published.some((p) => Math.abs(p - assigned) <= 1),
  };
}

/** What a uniformly random level in 0..n−1 would score on average: the chance baseline. */
export function chanceAgreement(levels: number, published: readonly number[]): { exact: number; withinOne: number } {
  if (levels <= 0) return { exact: 0, withinOne: 0 };
  let exact = 0;
  let withinOne = 0;
  for (let level = 0; level < levels; level++) {
    const agreement = levelAgreement(level, published);
    exact += agreement.exact ? 1 : 0;
    withinOne += agreement.withinOne ? 1 : 0;
  }
  return { exact: exact / levels, withinOne: withinOne / levels };
}
