/**
 * Empirical complexity: fit time ≈ c · size^k by least squares on log–log
 * points, and name the nearest familiar class.
 *
 * Why both: the free exponent is honest but hard to read (n log n measures as
 * k ≈ 1.1–1.2 over moderate ranges, since d ln(n ln n)/d ln n = 1 + 1/ln n),
 * while a class name alone hides how good the fit is. The class rule: fit each
 * familiar shape g(n) with a free constant (ln t = ln c + ln g(n)); the class
 * with the smallest residual wins, and is reported only if its RMS log residual
 * is within max(CLASS_TOLERANCE, 2 × the power law's RMS log residual), i.e.
 * when it explains the points about as well as the power law does — and only
 * if no other class's exponent over the measured sizes also lies inside the
 * 95% interval of the fitted exponent (then the label names them all).
 *
 * The interval has two parts. The statistical one is Student's t times the
 * regression's standard error. The other is the bend: with 6 points or more, the
 * slope over the smaller half of the sizes and over the larger half are fitted
 * too, and half their difference is added in quadrature. Real timings bend —
 * caches run out, a constant per-call cost fades — so a single exponent over the
 * whole range is only an average, and the fit's scatter alone said so too
 * narrowly: `npm run bench` (complexity-fit) found the true exponent inside
 * k̂ ± t·SE in 54% of runs, 65% with the bend on the same points (the rest:
 * growth the memory hierarchy and lower-order terms add, e.g. Python's sorted()
 * measuring n^1.25, triple loops n^2.9 over a 16× span).
 */
import { t975 } from './studentT.js';
import type { PowerLawFit } from './types.js';

export interface SizedTiming {
  size: number;
  seconds: number;
}

/** Minimum ratio between the largest and smallest size for an exponent to mean anything. */
export const MIN_SIZE_SPAN = 4;

/** RMS log residual (≈ relative error) a class fit may always have: timing noise of ~10%. */
const CLASS_TOLERANCE = 0.1;

interface FamiliarClass {
  name: string;
  /** ln g(n) as a function of ln n. */
  logShape: (logSize: number) => number;
  /** Shapes containing ln ln n are defined only for sizes above 1. */
  needsSizeAboveOne?: boolean;
}

// Ordered from cheapest to dearest: on an exact tie the cheaper class wins.
const FAMILIAR_CLASSES: readonly FamiliarClass[] = [
  { name: 'constant', logShape: () => 0 },
  { name: 'logarithmic', logShape: (x) => Math.log(x), needsSizeAboveOne: true },
  { name: 'linear', logShape: (x) => x },
  { name: 'n log n', logShape: (x) => x + Math.log(x), needsSizeAboveOne: true },
  { name: 'quadratic', logShape: (x) => 2 * x },
  { name: 'cubic', logShape: (x) => 3 * x },
];

function meanOf(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Points a half-range slope needs: with fewer, the bend is not estimated. */
const MIN_POINTS_FOR_BEND = 6;

interface LogLogLine {
  exponent: number;
  intercept: number;
  sse: number;
  sxx: number;
  syy: number;
}

/** Least squares of ln t on ln n. */
function logLogLine(xs: readonly number[], ys: readonly number[]): LogLogLine {
  const meanX = meanOf(xs);
  const meanY = meanOf(ys);
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    const dx = x - meanX;
    const dy = (ys[i] as number) - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  });
  const exponent = sxy / sxx;
  const intercept = meanY - exponent * meanX;
  let sse = 0;
  xs.forEach((x, i) => {
    sse += ((ys[i] as number) - (intercept + exponent * x)) ** 2;
  });
  return { exponent, intercept, sse, sxx, syy };
}

/** Half the difference between the slopes over the larger and the smaller half of the sizes (signed: + bends up). */
function bendOf(xs: readonly number[], ys: readonly number[]): number | undefined {
  if (xs.length < MIN_POINTS_FOR_BEND) return undefined;
  const order = xs.map((_, i) => i).sort((a, b) => (xs[a] as number) - (xs[b] as number));
  const half = Math.ceil(xs.length / 2);
  const slope = (indices: number[]) => logLogLine(indices.map((i) => xs[i] as number), indices.map((i) => ys[i] as number)).exponent;
  const lower = slope(order.slice(0, half));
  const upper = slope(order.slice(order.length - half));
  return Number.isFinite(lower) && Number.isFinite(upper) ? (upper - lower) / 2 : undefined;
}

/** RMS residual of y ≈ a + shape(x) with the best constant a. */
function rmsResidualWithFreeConstant(xs: readonly number[], ys: readonly number[], shape: FamiliarClass): number {
  const offsets = ys.map((y, i) => y - shape.logShape(xs[i] as number));
  const offset = meanOf(offsets);
  return Math.sqrt(meanOf(offsets.map((d) => (d - offset) ** 2)));
}

function formatExponent(value: number, low: number, high: number): string {
  const digits = (high - low) / 2 < 0.05 ? 2 : 1;
  return `n^${value.toFixed(digits)}, 95% CI ${low.toFixed(digits)}–${high.toFixed(digits)}`;
}

/** Least-squares slope of a class's ln g(n) against ln n over the measured sizes: n log n is not exactly 1. */
function localExponent(xs: readonly number[], shape: FamiliarClass): number {
  const meanX = meanOf(xs);
  const gs = xs.map(shape.logShape);
  const meanG = meanOf(gs);
  let sxg = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxg += (x - meanX) * ((gs[i] as number) - meanG);
    sxx += (x - meanX) ** 2;
  });
  return sxg / sxx;
}

/**
 * Fit a power law to (size, seconds) points. Returns undefined when the points
 * cannot support an exponent: fewer than 3 of them, or sizes spanning less than
 * a factor of MIN_SIZE_SPAN. Throws on non-positive or non-finite values.
 */
export function fitPowerLaw(points: readonly SizedTiming[]): PowerLawFit | undefined {
  points.forEach((p, i) => {
    if (!(Number.isFinite(p.size) && p.size > 0 && Number.isFinite(p.seconds) && p.seconds > 0)) {
      throw new Error(`point ${i} has size ${p.size} and seconds ${p.seconds}; both must be finite and positive`);
    }
  });
  if (points.length < 3) return undefined;
  const sizes = points.map((p) => p.size);
  if (Math.max(...sizes) / Math.min(...sizes) < MIN_SIZE_SPAN) return undefined;

  const xs = sizes.map(Math.log);
  const ys = points.map((p) => Math.log(p.seconds));
  const { exponent, intercept, sse, sxx, syy } = logLogLine(xs, ys);
  // With only 3 points there is 1 degree of freedom: the error is still defined (and t is 12.7).
  const exponentStdError = Math.sqrt(sse / (points.length - 2) / sxx);
  const bend = bendOf(xs, ys);
  const halfWidth = Math.hypot(t975(points.length - 2) * exponentStdError, bend ?? 0);
  const [exponentLow, exponentHigh] = [exponent - halfWidth, exponent + halfWidth];
  const rSquared = syy === 0 ? 1 : Math.max(0, 1 - sse / syy);
  const powerLawRms = Math.sqrt(sse / points.length);

  const usable = usableClasses(xs);
  // Classes whose exponent over these sizes lies inside the interval: over a 32× span n and n log n differ by ~0.1, so
  // a wide interval holds both, and naming one would claim more than the points show.
  const plausible = usable.filter((c) => {
    const k = localExponent(xs, c);
    return k >= exponentLow && k <= exponentHigh;
  });
  const nearest = nearestFamiliarClass(xs, ys, powerLawRms, usable);
  const bestClass = plausible.length > 1 ? undefined : nearest;
  const powerLawLabel = `≈ O(${formatExponent(exponent, exponentLow, exponentHigh)})`;
  const classLabel = plausible.length > 1 ? `, ${plausible.map((c) => c.name).join(' or ')}` : bestClass ? `, ~ ${bestClass}` : '';
  return {
    exponent,
    exponentStdError,
    exponentLow,
    exponentHigh,
    ...(bend !== undefined ? { exponentBend: bend } : {}),
    coefficient: Math.exp(intercept),
    rSquared,
    points: points.length,
    label: `${powerLawLabel}${classLabel}`,
    ...(bestClass ? { bestClass } : {}),
    ...(plausible.length > 1 ? { plausibleClasses: plausible.map((c) => c.name) } : {}),
  };
}

function usableClasses(xs: readonly number[]): FamiliarClass[] {
  const allAboveOne = xs.every((x) => x > 0);
  return FAMILIAR_CLASSES.filter((c) => allAboveOne || !c.needsSizeAboveOne);
}

function nearestFamiliarClass(xs: readonly number[], ys: readonly number[], powerLawRms: number, usable: readonly FamiliarClass[]): string | undefined {
  let best: { name: string; rms: number } | undefined;
  for (const shape of usable) {
    const rms = rmsResidualWithFreeConstant(xs, ys, shape);
    if (!best || rms < best.rms - 1e-12) best = { name: shape.name, rms };
  }
  if (!best) return undefined;
  return best.rms <= Math.max(CLASS_TOLERANCE, 2 * powerLawRms) ? best.name : undefined;
}
