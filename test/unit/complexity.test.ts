import assert from 'node:assert/strict';
import { fitPowerLaw, type SizedTiming } from '../../profilers/stats/complexity.js';
import { createRandom } from '../../profilers/stats/random.js';

const SIZES = [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384];

/** Timings of `shape` at SIZES with independent ±`noise` multiplicative error. */
function timings(shape: (n: number) => number, noise: number, seed: number): SizedTiming[] {
  const random = createRandom(seed);
  return SIZES.map((size) => ({ size, seconds: 1e-7 * shape(size) * (1 + noise * (2 * random.next() - 1)) }));
}

/** A standard normal draw from a seed (Box–Muller on the project's PRNG). */
function normal(seed: number): number {
  const random = createRandom(seed);
  return Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
}

const cases = [
  { name: 'n', shape: (n: number) => n, exponent: 1, bestClass: 'linear' },
  { name: 'n log n', shape: (n: number) => n * Math.log(n), exponent: 1.1, bestClass: 'n log n' },
  { name: 'n²', shape: (n: number) => n * n, exponent: 2, bestClass: 'quadratic' },
  { name: 'n³', shape: (n: number) => n ** 3, exponent: 3, bestClass: 'cubic' },
];

describe('power-law complexity fit', () => {
  for (const c of cases) {
    it(`recovers ${c.name} with ±5% noise: exponent within 0.15 of ${c.exponent} and class "${c.bestClass}"`, () => {
      for (let seed = 1; seed <= 20; seed++) {
        const fit = fitPowerLaw(timings(c.shape, 0.05, seed));
        assert.ok(fit, 'expected a fit');
        assert.ok(Math.abs(fit.exponent - c.exponent) <= 0.15, `seed ${seed}: exponent ${fit.exponent}`);
        assert.equal(fit.bestClass, c.bestClass, `seed ${seed}: ${fit.label}`);
        assert.ok(fit.rSquared > 0.99);
        assert.equal(fit.points, SIZES.length);
      }
    });
  }

  it('fits exact points exactly, with zero standard error and a readable label', () => {
    const fit = fitPowerLaw([1000, 2000, 4000, 8000].map((size) => ({ size, seconds: 3e-9 * size * size })));
    assert.ok(fit);
    assert.ok(Math.abs(fit.exponent - 2) < 1e-12);
    assert.ok(Math.abs(fit.coefficient - 3e-9) / 3e-9 < 1e-9);
    assert.equal(fit.exponentStdError < 1e-9, true);
    assert.equal(fit.rSquared, 1);
    assert.equal(fit.label, '≈ O(n^2.00, 95% CI 2.00–2.00), ~ quadratic');
  });

  it('names no class when none fits about as well as the free power law (n^1.5)', () => {
    const fit = fitPowerLaw(timings((n) => n ** 1.5, 0.02, 3));
    assert.ok(fit);
    assert.ok(Math.abs(fit.exponent - 1.5) < 0.05);
    assert.equal(fit.bestClass, undefined);
    assert.match(fit.label, /^≈ O\(n\^1\.\d\d, 95% CI 1\.\d\d–1\.\d\d\)$/);
  });

  it('states a 95% interval from Student’s t that covers the true exponent about 95% of the time', () => {
    let covered = 0;
    const trials = 400;
    for (let seed = 1; seed <= trials; seed++) {
      // Six sizes over 32×, as a run measures them, with ±20% noise.
      const points = [1000, 2000, 4000, 8000, 16000, 32000].map((size, i) => ({ size, seconds: 1e-9 * size ** 2 * Math.exp(0.2 * normal(seed * 7 + i)) }));
      const fit = fitPowerLaw(points);
      assert.ok(fit?.exponentLow !== undefined && fit.exponentHigh !== undefined);
      assert.ok(fit.exponentLow < fit.exponent && fit.exponent < fit.exponentHigh);
      if (fit.exponentLow <= 2 && 2 <= fit.exponentHigh) covered++;
    }
    assert.ok(covered / trials > 0.92 && covered / trials < 0.98, `coverage ${covered / trials}`);
  });

  it('widens the interval by the bend when the growth steepens over the range (a cache running out)', () => {
    // Linear up to 64k elements, then each element costs more and more: slope 1 over the small half, ~1.3 over the large.
    const sizes = [4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576, 2097152];
    const points = sizes.map((size) => ({ size, seconds: 1e-8 * size * Math.max(1, (size / 65536) ** 0.3) }));
    const fit = fitPowerLaw(points);
    assert.ok(fit?.exponentBend !== undefined && fit.exponentLow !== undefined && fit.exponentHigh !== undefined);
    assert.ok(fit.exponentBend > 0.1, `bend ${fit.exponentBend}`);
    // The small half's slope (~1.06, 65k→131k is already steeper) and the large half's (1.3) both lie inside.
    assert.ok(fit.exponentLow < 1.06 && fit.exponentHigh >= 1.3, `interval ${fit.exponentLow}–${fit.exponentHigh} holds both halves' slopes`);
    const statistical = fit.exponentStdError * 2.306; // t(0.975, 8)
    assert.ok(fit.exponentHigh - fit.exponent > 1.5 * statistical, 'wider than the scatter alone says');
    // A straight power law has no bend, and exact points keep a zero-width interval.
    const straight = fitPowerLaw(sizes.map((size) => ({ size, seconds: 1e-9 * size ** 2 })));
    assert.ok(Math.abs(straight?.exponentBend ?? 1) < 1e-9);
    assert.ok(Math.abs((straight?.exponentHigh ?? 0) - 2) < 1e-9);
    // Fewer than 6 points: no halves to compare, the statistical interval alone.
    assert.equal(fitPowerLaw(points.slice(0, 5))?.exponentBend, undefined);
  });

  it('names no single class when the interval holds both n and n log n, and says which it could be', () => {
    const random = createRandom(12);
    const points = [1000, 2000, 4000, 8000, 16000, 32000].map((size) => ({ size, seconds: 1e-8 * size * (1 + 0.25 * (2 * random.next() - 1)) }));
    const fit = fitPowerLaw(points);
    assert.ok(fit);
    assert.equal(fit.bestClass, undefined);
    assert.deepEqual(fit.plausibleClasses, ['linear', 'n log n']);
    assert.match(fit.label, /, linear or n log n$/);
  });

  it('recognises constant time', () => {
    const fit = fitPowerLaw(timings(() => 1, 0.05, 4));
    assert.ok(fit);
    assert.ok(Math.abs(fit.exponent) < 0.05);
    assert.equal(fit.bestClass, 'constant');
  });

  it('widens the standard error as noise grows', () => {
    const quiet = fitPowerLaw(timings((n) => n, 0.01, 5));
    const noisy = fitPowerLaw(timings((n) => n, 0.3, 5));
    assert.ok(quiet && noisy);
    assert.ok(noisy.exponentStdError > quiet.exponentStdError);
  });

  it('returns undefined for fewer than 3 points or sizes spanning less than 4×', () => {
    assert.equal(fitPowerLaw([]), undefined);
    assert.equal(fitPowerLaw([{ size: 10, seconds: 1 }, { size: 1000, seconds: 100 }]), undefined);
    assert.equal(
      fitPowerLaw([100, 200, 399].map((size) => ({ size, seconds: size * 1e-6 }))),
      undefined,
    );
    assert.ok(fitPowerLaw([100, 200, 400].map((size) => ({ size, seconds: size * 1e-6 }))));
  });

  it('rejects non-positive or non-finite sizes and timings', () => {
    assert.throws(() => fitPowerLaw([{ size: 0, seconds: 1 }, { size: 10, seconds: 1 }, { size: 100, seconds: 1 }]), /point 0/);
    assert.throws(() => fitPowerLaw([{ size: 1, seconds: 1 }, { size: 10, seconds: NaN }, { size: 100, seconds: 1 }]), /point 1/);
  });
});
