import assert from 'node:assert/strict';
import {
  coefficientOfVariation,
  mean,
  median,
  medianAbsoluteDeviation,
  quantile,
  stddev,
  trimmedMean,
} from '../../profilers/stats/descriptive.js';
import { createRandom, type Random } from '../../profilers/stats/random.js';
import {
  classifySpeedup,
  estimatePairedSpeedup,
  estimateProcessPairsSpeedup,
  estimateUnpairedSpeedup,
  type ProcessPairSamples,
  type SpeedupOptions,
} from '../../profilers/stats/speedup.js';
import { studentTCdf, studentTQuantile, t975 } from '../../profilers/stats/studentT.js';
import type { SpeedupEstimate } from '../../profilers/stats/types.js';

interface Scenario {
  /** True speedup: original time / candidate time. */
  ratio: number;
  samples: number;
  /** Coefficient of variation of the lognormal noise on each measurement. */
  cv: number;
  /** Chance that a measurement is hit by a 1.5–4× slowdown (preemption, GC). */
  outlierRate?: number;
  /** Amplitude of a slow multiplicative drift shared by both sides. */
  drift?: number;
}

/** Interleaved timings as a paired benchmark would record them. */
function simulatePairs(random: Random, s: Scenario): { original: number[]; candidate: number[] } {
  const sigma = Math.sqrt(Math.log(1 + s.cv * s.cv));
  const phase = random.next() * 2 * Math.PI;
  const noisy = (seconds: number, drift: number): number => {
    const outlier = random.next() < (s.outlierRate ?? 0) ? 1.5 + 2.5 * random.next() : 1;
    return seconds * drift * Math.exp(sigma * random.normal()) * outlier;
  };
  const original: number[] = [];
  const candidate: number[] = [];
  for (let i = 0; i < s.samples; i++) {
    const drift = 1 + (s.drift ?? 0) * Math.sin(phase + (2 * Math.PI * i) / s.samples);
    original.push(noisy(2e-3, drift));
    candidate.push(noisy(2e-3 / s.ratio, drift));
  }
  return { original, candidate };
}

function runTrials(
  trials: number,
  seed: number,
  scenario: (random: Random, trial: number) => Scenario,
  estimate: typeof estimatePairedSpeedup = estimatePairedSpeedup,
  opts?: SpeedupOptions,
): { estimates: SpeedupEstimate[]; scenarios: Scenario[] } {
  const random = createRandom(seed);
  const estimates: SpeedupEstimate[] = [];
  const scenarios: Scenario[] = [];
  for (let t = 0; t < trials; t++) {
    const s = scenario(random, t);
    const { original, candidate } = simulatePairs(random, s);
    scenarios.push(s);
    estimates.push(estimate(original, candidate, { seed: t, ...opts }));
  }
  return { estimates, scenarios };
}

const share = (estimates: SpeedupEstimate[], predicate: (e: SpeedupEstimate) => boolean): number =>
  estimates.filter(predicate).length / estimates.length;

describe('descriptive statistics', () => {
  it('computes mean, median and linearly interpolated quantiles', () => {
    assert.equal(mean([1, 2, 3, 4]), 2.5);
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75);
    assert.equal(quantile([10, 20], 0), 10);
    assert.equal(quantile([10, 20], 1), 20);
  });

  it('computes the sample standard deviation and the coefficient of variation', () => {
    assert.ok(Math.abs(stddev([2, 4, 4, 4, 5, 5, 7, 9]) - 2.13809) < 1e-5);
    assert.ok(Math.abs(coefficientOfVariation([2, 4, 4, 4, 5, 5, 7, 9]) - 2.13809 / 5) < 1e-5);
    assert.equal(coefficientOfVariation([3, 3, 3]), 0);
  });

  it('computes the median absolute deviation, raw and scaled to σ', () => {
    assert.equal(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9]), 1);
    assert.ok(Math.abs(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9], true) - 1.4826) < 1e-12);
  });

  it('trims the given proportion from each end', () => {
    assert.equal(trimmedMean([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000], 0.1), 5.5);
    assert.equal(trimmedMean([1, 2, 3], 0), 2);
    assert.throws(() => trimmedMean([1, 2], 0.5), /trim proportion/);
  });

  it('refuses empty samples instead of returning NaN', () => {
    assert.throws(() => mean([]), /empty/);
    assert.throws(() => median([]), /empty/);
    assert.throws(() => stddev([]), /empty/);
  });
});

describe('seeded random numbers', () => {
  it('repeats the same sequence for the same seed and differs across seeds', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const seqA = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(seqA, Array.from({ length: 5 }, () => b.next()));
    assert.notDeepEqual(seqA, Array.from({ length: 5 }, () => c.next()));
  });

  it('draws uniforms on [0, 1) and standard normals', () => {
    const random = createRandom(1);
    const uniforms = Array.from({ length: 20000 }, () => random.next());
    assert.ok(uniforms.every((u) => u >= 0 && u < 1));
    assert.ok(Math.abs(mean(uniforms) - 0.5) < 0.01);
    const normals = Array.from({ length: 20000 }, () => random.normal());
    assert.ok(Math.abs(mean(normals)) < 0.03);
    assert.ok(Math.abs(stddev(normals) - 1) < 0.03);
  });
});

describe('paired speedup estimate', () => {
  it('A/A: identical noisy distributions give no-difference in ≥ 99% of 500 trials', () => {
    const { estimates } = runTrials(500, 11, (random, t) => ({
      ratio: 1,
      samples: [10, 20, 30, 50][t % 4] as number,
      cv: 0.03 + 0.07 * random.next(),
      outlierRate: 0.05,
      drift: 0.2,
    }));
    const falsePositiveRate = share(estimates, (e) => e.verdict !== 'no-difference');
    assert.ok(falsePositiveRate <= 0.01, `A/A false-positive rate ${falsePositiveRate}`);
  });

  it('a true 2× speedup is faster, with an interval containing 2', () => {
    const { original, candidate } = simulatePairs(createRandom(2), { ratio: 2, samples: 20, cv: 0.08, outlierRate: 0.05 });
    const estimate = estimatePairedSpeedup(original, candidate);
    assert.equal(estimate.verdict, 'faster');
    assert.ok(estimate.low <= 2 && estimate.high >= 2, `[${estimate.low}, ${estimate.high}]`);
    assert.ok(estimate.low <= estimate.ratio && estimate.ratio <= estimate.high);
  });

  it('a true 1.10 with 3% noise and 30 samples is faster', () => {
    const { estimates } = runTrials(100, 3, () => ({ ratio: 1.1, samples: 30, cv: 0.03, drift: 0.1 }));
    const detected = share(estimates, (e) => e.verdict === 'faster');
    assert.ok(detected >= 0.98, `detected in ${detected} of trials`);
  });

  it('a true 1.03 is no-difference at the 5% threshold', () => {
    const { estimates } = runTrials(100, 4, () => ({ ratio: 1.03, samples: 30, cv: 0.03, outlierRate: 0.03 }));
    assert.ok(share(estimates, (e) => e.verdict === 'no-difference') >= 0.95);
  });

  it('is symmetric: a true 0.5 or 1/1.10 is slower', () => {
    const half = simulatePairs(createRandom(5), { ratio: 0.5, samples: 20, cv: 0.08 });
    const estimate = estimatePairedSpeedup(half.original, half.candidate);
    assert.equal(estimate.verdict, 'slower');
    assert.ok(estimate.low <= 0.5 && estimate.high >= 0.5);
    const { estimates } = runTrials(100, 6, () => ({ ratio: 1 / 1.1, samples: 30, cv: 0.03, drift: 0.1 }));
    assert.ok(share(estimates, (e) => e.verdict === 'slower') >= 0.98);
  });

  it('its 95% interval covers the true ratio in 90–99% of trials', () => {
    const { estimates, scenarios } = runTrials(400, 7, (random, t) => ({
      ratio: 0.7 + random.next(),
      samples: [10, 20, 40][t % 3] as number,
      cv: 0.03 + 0.07 * random.next(),
      outlierRate: 0.03,
      drift: 0.2,
    }));
    const coverage = share(estimates, (e) => {
      const truth = (scenarios[estimates.indexOf(e)] as Scenario).ratio;
      return e.low <= truth && truth <= e.high;
    });
    assert.ok(coverage >= 0.9 && coverage <= 0.99, `coverage ${coverage}`);
  });

  it('is deterministic for a seed', () => {
    const { original, candidate } = simulatePairs(createRandom(8), { ratio: 1.2, samples: 15, cv: 0.1 });
    assert.deepEqual(estimatePairedSpeedup(original, candidate, { seed: 9 }), estimatePairedSpeedup(original, candidate, { seed: 9 }));
    assert.deepEqual(estimatePairedSpeedup(original, candidate), estimatePairedSpeedup(original, candidate));
    assert.notEqual(estimatePairedSpeedup(original, candidate, { seed: 1 }).low, estimatePairedSpeedup(original, candidate, { seed: 2 }).low);
  });

  it('reports medians, noise, sample count and the method', () => {
    const estimate = estimatePairedSpeedup([4, 4, 5, 6, 6], [2, 2, 2, 3, 3]);
    assert.equal(estimate.originalSeconds, 5);
    assert.equal(estimate.candidateSeconds, 2);
    assert.equal(estimate.samples, 5);
    assert.equal(estimate.originalCv, coefficientOfVariation([4, 4, 5, 6, 6]));
    assert.equal(estimate.confidence, 0.95);
    assert.equal(estimate.noiseThreshold, 0.05);
    assert.equal(estimate.method, 'paired log-ratio, 20% trimmed mean, bootstrap 95% percentile interval, 4000 resamples');
  });

  it('gives ratio 1, interval [1, 1] and no-difference for identical samples', () => {
    const estimate = estimatePairedSpeedup([1e-3, 1e-3, 1e-3, 1e-3, 1e-3], [1e-3, 1e-3, 1e-3, 1e-3, 1e-3]);
    assert.deepEqual([estimate.ratio, estimate.low, estimate.high, estimate.verdict], [1, 1, 1, 'no-difference']);
    assert.equal(estimate.originalCv, 0);
  });

  it('collapses the interval onto an exact constant ratio (e.g. instruction counts)', () => {
    const estimate = estimatePairedSpeedup([300, 300, 300, 300, 300], [100, 100, 100, 100, 100]);
    assert.deepEqual([estimate.ratio, estimate.low, estimate.high, estimate.verdict], [3, 3, 3, 'faster']);
  });

  it('rejects too few samples, unequal lengths, non-positive or non-finite timings and bad options', () => {
    assert.throws(() => estimatePairedSpeedup([1, 1, 1, 1], [1, 1, 1, 1]), /at least 5/);
    assert.throws(() => estimatePairedSpeedup([1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]), /equal lengths/);
    assert.throws(() => estimatePairedSpeedup([1, 1, 0, 1, 1], [1, 1, 1, 1, 1]), /original: sample 2 is 0/);
    assert.throws(() => estimatePairedSpeedup([1, 1, 1, 1, 1], [1, -1, 1, 1, 1]), /candidate: sample 1 is -1/);
    assert.throws(() => estimatePairedSpeedup([1, 1, NaN, 1, 1], [1, 1, 1, 1, 1]), /NaN/);
    assert.throws(() => estimatePairedSpeedup([1, 1, Infinity, 1, 1], [1, 1, 1, 1, 1]), /Infinity/);
    assert.throws(() => estimatePairedSpeedup([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], { confidence: 1 }), /confidence/);
    assert.throws(() => estimatePairedSpeedup([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], { resamples: 10 }), /resamples/);
  });

  it('cancels drift shared by both sides of a pair', () => {
    const { original, candidate } = simulatePairs(createRandom(10), { ratio: 1.15, samples: 30, cv: 0.02, drift: 0.5 });
    const paired = estimatePairedSpeedup(original, candidate);
    const unpaired = estimateUnpairedSpeedup(original, candidate);
    assert.equal(paired.verdict, 'faster');
    assert.ok(paired.high / paired.low < unpaired.high / unpaired.low, 'paired interval should be narrower');
  });
});

describe('unpaired speedup estimate', () => {
  it('A/A: gives no-difference in ≥ 99% of 300 trials', () => {
    const { estimates } = runTrials(
      300,
      12,
      (random) => ({ ratio: 1, samples: 15, cv: 0.03 + 0.07 * random.next(), outlierRate: 0.05 }),
      estimateUnpairedSpeedup,
    );
    assert.ok(share(estimates, (e) => e.verdict !== 'no-difference') <= 0.01);
  });

  it('a true 2× is faster with an interval containing 2, and sides may differ in size', () => {
    const random = createRandom(13);
    const slow = simulatePairs(random, { ratio: 1, samples: 12, cv: 0.08 }).original;
    const fast = simulatePairs(random, { ratio: 2, samples: 9, cv: 0.08 }).candidate;
    const estimate = estimateUnpairedSpeedup(slow, fast);
    assert.equal(estimate.verdict, 'faster');
    assert.ok(estimate.low <= 2 && estimate.high >= 2);
    assert.equal(estimate.samples, 9);
    assert.match(estimate.method, /^unpaired \(12 vs 9 runs\)/);
  });

  it('its 95% interval covers the true ratio in 90–99% of trials', () => {
    const { estimates, scenarios } = runTrials(
      300,
      14,
      (random) => ({ ratio: 0.7 + random.next(), samples: 15, cv: 0.03 + 0.07 * random.next(), outlierRate: 0.03 }),
      estimateUnpairedSpeedup,
    );
    const coverage = share(estimates, (e) => {
      const truth = (scenarios[estimates.indexOf(e)] as Scenario).ratio;
      return e.low <= truth && truth <= e.high;
    });
    assert.ok(coverage >= 0.9 && coverage <= 0.99, `coverage ${coverage}`);
  });

  it('gives the exact ratio for constant sides', () => {
    const estimate = estimateUnpairedSpeedup([2, 2, 2, 2, 2], [2, 2, 2, 2, 2, 2]);
    assert.deepEqual([estimate.ratio, estimate.low, estimate.high, estimate.verdict], [1, 1, 1, 'no-difference']);
  });
});

/**
 * Process pairs as a run records them: each process runs the code a few percent faster or slower than the next (lognormal
 * with SD `processSd` per process, the same for all its samples), on top of the sample-to-sample noise.
 */
function simulateProcessPairs(random: Random, pairs: number, s: Scenario & { processSd: number }): ProcessPairSamples[] {
  return Array.from({ length: pairs }, () => {
    const [o, c] = [Math.exp(s.processSd * random.normal()), Math.exp(s.processSd * random.normal())];
    const { original, candidate } = simulatePairs(random, s);
    return { original: original.map((v) => v * o), candidate: candidate.map((v) => v * c) };
  });
}

describe("Student's t", () => {
  it('gives the tabulated quantiles', () => {
    const table: [p: number, df: number, t: number][] = [
      [0.975, 1, 12.706], [0.975, 2, 4.303], [0.975, 3, 3.182], [0.975, 8, 2.306], [0.975, 30, 2.042], [0.995, 5, 4.032], [0.9, 10, 1.372], [0.975, 1e6, 1.96],
    ];
    for (const [p, df, t] of table) assert.ok(Math.abs(studentTQuantile(p, df) - t) < 1e-3, `t(${p}, ${df}) = ${studentTQuantile(p, df)}, table ${t}`);
    assert.equal(t975(4), studentTQuantile(0.975, 4));
    assert.ok(Math.abs(studentTQuantile(0.025, 4) + t975(4)) < 1e-12);
    assert.ok(Math.abs(studentTCdf(0, 7) - 0.5) < 1e-12);
    assert.throws(() => studentTQuantile(1, 3));
    assert.throws(() => studentTQuantile(0.5, 0));
  });
});

describe('speedup across process pairs', () => {
  const processNoise = { ratio: 1, samples: 10, cv: 0.02, outlierRate: 0.05, processSd: 0.025 };

  it("A/A: process-to-process differences do not make verdicts, where one process pair's interval does", () => {
    const random = createRandom(21);
    let onePairFalse = 0;
    let onePairMisses = 0;
    let pooledMisses = 0;
    let misses = 0;
    let falseVerdicts = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const pairs = simulateProcessPairs(random, 3 + (t % 4), { ...processNoise, samples: 10 });
      const e = estimateProcessPairsSpeedup(pairs, { seed: t });
      if (e.verdict !== 'no-difference') falseVerdicts++;
      if (!(e.low <= 1 && 1 <= e.high)) misses++;
      const pooled = estimatePairedSpeedup(pairs.flatMap((p) => [...p.original]), pairs.flatMap((p) => [...p.candidate]), { seed: t });
      if (!(pooled.low <= 1 && 1 <= pooled.high)) pooledMisses++;
      const [first] = simulateProcessPairs(random, 1, { ...processNoise, samples: 30 }) as [ProcessPairSamples];
      const one = estimatePairedSpeedup(first.original, first.candidate, { seed: t });
      if (!(one.low <= 1 && 1 <= one.high)) onePairMisses++;
      if (one.verdict !== 'no-difference') onePairFalse++;
    }
    assert.ok(misses / trials <= 0.07, `the interval across process pairs missed 1 in ${misses} of ${trials} trials`);
    assert.ok(falseVerdicts / trials <= 0.01, `false verdicts ${falseVerdicts} of ${trials}`);
    // What the estimate is for: one process pair's interval (or the pairs pooled as if from one process) misses the truth
    // far more often than 5%, and calls differences that are not there.
    assert.ok(onePairMisses / trials > 0.3, `one process pair missed in ${onePairMisses} of ${trials}`);
    assert.ok(pooledMisses / trials > 0.2, `pooled pairs missed in ${pooledMisses} of ${trials}`);
    assert.ok(onePairFalse > falseVerdicts, `one pair's false verdicts ${onePairFalse}, across pairs ${falseVerdicts}`);
  });

  it('calls a true 1.10 faster with process-to-process noise, given enough process pairs', () => {
    const random = createRandom(5);
    const calls = Array.from({ length: 100 }, (_, t) =>
      estimateProcessPairsSpeedup(simulateProcessPairs(random, 7, { ...processNoise, ratio: 1.1, processSd: 0.015 }), { seed: t }).verdict,
    );
    assert.ok(calls.filter((v) => v === 'faster').length >= 80, calls.join(' '));
    assert.equal(calls.filter((v) => v === 'slower').length, 0);
  });

  it('is the paired estimate for one process pair, and says how many pairs it used', () => {
    const pair = { original: [4, 4, 5, 6, 6], candidate: [2, 2, 2, 3, 3] };
    assert.deepEqual(estimateProcessPairsSpeedup([pair]), estimatePairedSpeedup(pair.original, pair.candidate));
    const e = estimateProcessPairsSpeedup([pair, { original: [4, 4, 4, 4, 4], candidate: [2, 2, 2, 2, 2] }, pair]);
    assert.equal(e.processPairs, 3);
    assert.equal(e.samples, 15);
    assert.match(e.method, /^3 fresh process pairs, 15 interleaved pairs in all/);
    assert.ok(e.low <= e.ratio && e.ratio <= e.high);
    // Identical process pairs with an exact ratio: no spread anywhere, the interval collapses.
    const exact = { original: [3, 3, 3, 3, 3], candidate: [1, 1, 1, 1, 1] };
    const collapsed = estimateProcessPairsSpeedup([exact, exact, exact]);
    assert.deepEqual([collapsed.ratio, collapsed.low, collapsed.high, collapsed.verdict], [3, 3, 3, 'faster']);
    assert.throws(() => estimateProcessPairsSpeedup([]), /at least one process pair/);
  });

  it('is never narrower than the pooled pairs allow', () => {
    // Three process pairs whose estimates agree exactly, with noisy samples: the t interval alone would be a point.
    const pair = { original: [1, 1.3, 0.8, 1.1, 0.9, 1.2], candidate: [1.1, 0.9, 1, 1.2, 0.8, 1] };
    const e = estimateProcessPairsSpeedup([pair, pair, pair]);
    const pooled = estimatePairedSpeedup([...pair.original, ...pair.original, ...pair.original], [...pair.candidate, ...pair.candidate, ...pair.candidate]);
    assert.equal(e.low, pooled.low);
    assert.equal(e.high, pooled.high);
  });
});

describe('timing verdict rule', () => {
  it('requires the whole interval beyond the noise threshold', () => {
    assert.equal(classifySpeedup(1.051, 1.3, 0.05), 'faster');
    assert.equal(classifySpeedup(1.05, 1.3, 0.05), 'no-difference');
    assert.equal(classifySpeedup(0.5, 0.95, 0.05), 'slower');
    assert.equal(classifySpeedup(0.5, 1 / 1.05, 0.05), 'no-difference');
    assert.equal(classifySpeedup(0.9, 1.1, 0), 'no-difference');
  });
});
