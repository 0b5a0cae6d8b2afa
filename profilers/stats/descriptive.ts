/**
 * Descriptive statistics over plain arrays. Every function throws on an empty
 * input rather than returning NaN, so a missing measurement cannot silently
 * turn into a number in a report.
 */

function requireNonEmpty(values: ArrayLike<number>, what: string): void {
  if (values.length === 0) throw new Error(`${what} of an empty sample is undefined`);
}

function sortedCopy(values: ArrayLike<number>): Float64Array {
  // Typed-array sort is numeric (no string comparison) and fast.
  return Float64Array.from(values).sort();
}

export function mean(values: readonly number[]): number {
  requireNonEmpty(values, 'mean');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Quantile of already sorted values, linear interpolation (Hyndman–Fan type 7, as R and NumPy default). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new Error('quantile of an empty sample is undefined');
  if (!(p >= 0 && p <= 1)) throw new Error(`quantile probability must be in [0, 1], got ${p}`);
  const position = (sorted.length - 1) * p;
  const lowerIndex = Math.floor(position);
  const upperIndex = Math.min(lowerIndex + 1, sorted.length - 1);
  const lower = sorted[lowerIndex] as number;
  const upper = sorted[upperIndex] as number;
  return lower + (upper - lower) * (position - lowerIndex);
}

export function quantile(values: readonly number[], p: number): number {
  requireNonEmpty(values, 'quantile');
  return quantileSorted(sortedCopy(values), p);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Sample standard deviation (n − 1 denominator); 0 for a single value. */
export function stddev(values: readonly number[]): number {
  requireNonEmpty(values, 'standard deviation');
  if (values.length === 1) return 0;
  const m = mean(values);
  let squares = 0;
  for (const v of values) squares += (v - m) * (v - m);
  return Math.sqrt(squares / (values.length - 1));
}

/** stddev / mean: the relative noise of a timing sample. 0 when every value is equal. */
export function coefficientOfVariation(values: readonly number[]): number {
  const m = mean(values);
  const s = stddev(values);
  if (s === 0) return 0;
  if (m === 0) throw new Error('coefficient of variation is undefined for a zero mean');
  return s / Math.abs(m);
}

/**
 * Median absolute deviation from the median, unscaled. Multiply by 1.4826 to
 * estimate σ for normal data (pass `scaled: true`).
 */
export function medianAbsoluteDeviation(values: readonly number[], scaled = false): number {
  const center = median(values);
  const mad = median(values.map((v) => Math.abs(v - center)));
  return scaled ? 1.4826 * mad : mad;
}

/** Number of values cut from each end by a trimmed mean of `proportion`. */
export function trimCount(length: number, proportion: number): number {
  if (!(proportion >= 0 && proportion < 0.5)) {
    throw new Error(`trim proportion must be in [0, 0.5), got ${proportion}`);
  }
  return Math.floor(length * proportion);
}

/** Mean of already sorted values after cutting `proportion` of them from each end. */
export function trimmedMeanSorted(sorted: ArrayLike<number>, proportion: number): number {
  if (sorted.length === 0) throw new Error('trimmed mean of an empty sample is undefined');
  const cut = trimCount(sorted.length, proportion);
  let sum = 0;
  for (let i = cut; i < sorted.length - cut; i++) sum += sorted[i] as number;
  return sum / (sorted.length - 2 * cut);
}

/** Mean after dropping `proportion` (e.g. 0.2 = 20%) of the values from each end. */
export function trimmedMean(values: ArrayLike<number>, proportion: number): number {
  requireNonEmpty(values, 'trimmed mean');
  return trimmedMeanSorted(sortedCopy(values), proportion);
}
