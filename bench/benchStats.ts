/** Statistics the bench figures need on top of profilers/stats: rates with intervals, rank agreement, display helpers. */

/**
 * Wilson score interval of a proportion `successes / trials` (95% by default). Unlike the normal approximation it stays
 * inside [0, 1] and is informative at 0 of n: 0/100 gives [0, 3.7%], the honest statement of "no false positive seen".
 */
export function wilsonInterval(successes: number, trials: number, z = 1.959964): [number, number] {
  if (!(trials > 0)) return [0, 1];
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // At 0 or n of n one end is exactly 0 or 1; floating point would leave a residue like 2.8e-17 there.
  const snap = (v: number) => (Math.abs(v) < 1e-12 ? 0 : Math.abs(1 - v) < 1e-12 ? 1 : v);
  return [snap(Math.max(0, centre - half)), snap(Math.min(1, centre + half))];
}

/**
 * Kendall's τ-b between two rankings of the same items (ties allowed in either). 1: same order; −1: reversed; 0: no
 * agreement beyond chance. Undefined when either side has no two distinct values (τ is then undefined).
 */
export function kendallTauB(a: readonly number[], b: readonly number[]): number | undefined {
  if (a.length !== b.length) throw new Error(`kendallTauB: ${a.length} values against ${b.length}`);
  let concordant = 0;
  let discordant = 0;
  let tiesA = 0;
  let tiesB = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const da = Math.sign((a[i] as number) - (a[j] as number));
      const db = Math.sign((b[i] as number) - (b[j] as number));
      if (da === 0 && db === 0) continue;
      if (da === 0) tiesA++;
      else if (db === 0) tiesB++;
      else if (da === db) concordant++;
      else discordant++;
    }
  }
  const denominator = Math.sqrt((concordant + discordant + tiesA) * (concordant + discordant + tiesB));
  return denominator > 0 ? (concordant - discordant) / denominator : undefined;
}

/** "0.3%" with sensible precision for small rates; "–" for a missing value. */
export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  const percent = fraction * 100;
  if (percent !== 0 && Math.abs(percent) < 0.1) return `${percent.toPrecision(2)}%`;
  return `${percent.toFixed(digits)}%`;
}

/** "3 of 100 (3.0%, 95% CI 1.0–8.5%)". */
export function formatRate(successes: number, trials: number): string {
  const [low, high] = wilsonInterval(successes, trials);
  return `${successes} of ${trials} (${formatPercent(successes / trials)}, 95% CI ${formatPercent(low)}–${formatPercent(high)})`;
}

/** Seconds as "850 ms", "12.3 s" or "4.1 min". */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  return `${(seconds / 60).toFixed(1)} min`;
}

/** Ranks 1..n with ties given their average rank (the convention Spearman's ρ needs). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((x, y) => x.value - y.value);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && (order[end] as { value: number }).value === (order[start] as { value: number }).value) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[(order[k] as { index: number }).index] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Spearman's ρ: the Pearson correlation of the two sides' average ranks (ties allowed). Undefined when either side has
 * fewer than two distinct values.
 */
export function spearmanRho(a: readonly number[], b: readonly number[]): number | undefined {
  if (a.length !== b.length) throw new Error(`spearmanRho: ${a.length} values against ${b.length}`);
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const centre = (a.length + 1) / 2;
  let cross = 0;
  let squaresA = 0;
  let squaresB = 0;
  for (let i = 0; i < a.length; i++) {
    const da = (ra[i] as number) - centre;
    const db = (rb[i] as number) - centre;
    cross += da * db;
    squaresA += da * da;
    squaresB += db * db;
  }
  const denominator = Math.sqrt(squaresA * squaresB);
  return denominator > 0 ? cross / denominator : undefined;
}
