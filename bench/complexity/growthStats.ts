/**
 * The arithmetic of the complexity-fit bench: the exponent a known cost function *should* show over the sizes actually
 * measured, and the Student t probabilities that turn the fit's standard error into intervals with a stated coverage.
 */

export type GrowthClass = 'linear' | 'n log n' | 'quadratic' | 'cubic';

/** ln g(n) as a function of ln n, named as profilers/stats/complexity.ts names its familiar classes. */
const LOG_SHAPES: Record<GrowthClass, (logSize: number) => number> = {
  linear: (x) => x,
  'n log n': (x) => x + Math.log(x),
  quadratic: (x) => 2 * x,
  cubic: (x) => 3 * x,
};

export const GROWTH_CLASSES = Object.keys(LOG_SHAPES) as GrowthClass[];

/**
 * The slope a least-squares fit on log–log axes finds for exact g(n) at these sizes: what `fitPowerLaw` must find on
 * noise-free data. 1, 2 and 3 for the powers; for n log n it is 1 + the slope of ln ln n, ≈ 1 + 1/ln(n) near the middle
 * of the sizes (1.10–1.15 at the sizes Perfloop measures), not 1.
 */
export function localExponent(growth: GrowthClass, sizes: readonly number[]): number {
  if (sizes.length < 2) throw new Error('localExponent needs at least two sizes');
  if (sizes.some((n) => !(n > 1))) throw new Error('localExponent needs sizes above 1');
  const xs = sizes.map(Math.log);
  const ys = xs.map(LOG_SHAPES[growth]);
  const meanX = xs.reduce((s, x) => s + x, 0) / xs.length;
  const meanY = ys.reduce((s, y) => s + y, 0) / ys.length;
  let sxx = 0;
  let sxy = 0;
  xs.forEach((x, i) => {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * ((ys[i] as number) - meanY);
  });
  if (sxx === 0) throw new Error('localExponent needs two different sizes');
  return sxy / sxx;
}

/** log-log slope between two (size, seconds) measurements: the naive estimate. */
export function twoPointExponent(small: { size: number; seconds: number }, large: { size: number; seconds: number }): number {
  return Math.log(large.seconds / small.seconds) / Math.log(large.size / small.size);
}

/** The class whose local exponent over these sizes is nearest to `exponent` (how a reader would name a bare slope). */
export function nearestClassByExponent(exponent: number, sizes: readonly number[]): GrowthClass {
  let best: GrowthClass = 'linear';
  let bestDistance = Infinity;
  for (const growth of GROWTH_CLASSES) {
    const distance = Math.abs(localExponent(growth, sizes) - exponent);
    if (distance < bestDistance) {
      best = growth;
      bestDistance = distance;
    }
  }
  return best;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; ~15 significant digits). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0] as number;
  for (let i = 1; i < c.length; i++) sum += (c[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** P(|T| ≤ x) for Student's t with `df` degrees of freedom (Simpson's rule on the density; error < 1e-9). */
export function studentCentralProbability(x: number, df: number): number {
  if (!(df > 0)) throw new Error(`degrees of freedom must be positive, got ${df}`);
  if (x <= 0) return 0;
  const logNorm = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  const density = (t: number) => Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
  const steps = 4000;
  const h = x / steps;
  let sum = density(0) + density(x);
  for (let i = 1; i < steps; i++) sum += density(i * h) * (i % 2 === 1 ? 4 : 2);
  return Math.min(1, (2 * h * sum) / 3);
}

/** The t quantile q with P(|T| ≤ q) = `coverage` (e.g. 0.95 → 2.776 at 4 df). */
export function studentCentralQuantile(coverage: number, df: number): number {
  if (!(coverage > 0 && coverage < 1)) throw new Error(`coverage must be in (0, 1), got ${coverage}`);
  let low = 0;
  let high = 1;
  while (studentCentralProbability(high, df) < coverage) high *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (studentCentralProbability(mid, df) < coverage) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
