/**
 * Bench section `complexity-fit`: is the "empirical complexity" Perfloop reports (and feeds the prompt) right on
 * functions whose cost is known — n, n log n, n², n³, in Python, JavaScript and C++? For each run: the fitted exponent
 * and its stated ± standard error against the exponent the true cost shows over the sizes measured, whether the interval
 * holds it, whether the named class is right, and a naive two-point slope measured in the same run.
 */
import os from 'node:os';
import { COMPLEXITY_LIMITS } from '../../optimizer/baseline.js';
import { formatPercent, formatRate, formatSeconds, wilsonInterval } from '../benchStats.js';
import type { BenchContext, BenchSection, DetailTable, Figure, SectionOutcome } from '../types.js';
import { measureKnownGrowth } from './measureRuns.js';
import type { MeasuredRuns, RunRecord } from './measureRuns.js';
import { tierPlan } from './subjects.js';
import type { SubjectLanguage } from './subjects.js';
import { summariseOverall, summariseRuns } from './summariseRuns.js';
import type { OverallSummary, SubjectSummary } from './summariseRuns.js';

/** Half the gap between the local exponents of n and n log n at these sizes (~0.11): finer errors misname the class. */
const EXPONENT_TOLERANCE = 0.05;

const LANGUAGE_NAMES: Record<SubjectLanguage, string> = { python: 'Python', javascript: 'JavaScript', cpp: 'C++' };

const fixed = (value: number | undefined, digits = 2): string => (value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));
const signed = (value: number, digits = 2): string => (Number.isFinite(value) ? `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}` : '–');

function subjectFigure(s: SubjectSummary): Figure {
  const name = `Exponent, ${LANGUAGE_NAMES[s.language]} ${s.growth} (${s.pattern})`;
  if (s.fitted === 0) return { name, perfloop: { value: null, display: `no fit in ${s.runs} run(s)` } };
  const figure: Figure = {
    name,
    perfloop: {
      value: s.meanExponent,
      display: `${fixed(s.meanExponent)} vs true ${fixed(s.meanExpected)} (bias ${signed(s.bias)}; stated ± ${fixed(s.medianStdError, 3)})`,
    },
    target: { display: `|bias| ≤ ${EXPONENT_TOLERANCE}`, met: Math.abs(s.bias) <= EXPONENT_TOLERANCE },
    noise: s.spread === undefined ? '1 run' : `SD ${fixed(s.spread, 3)} over ${s.fitted} runs`,
  };
  if (s.naive) {
    figure.baselines = [
      {
        method: 'naive two-point',
        value: s.naive.meanExponent,
        display: `${fixed(s.naive.meanExponent)} (bias ${signed(s.naive.bias)}${s.naive.spread === undefined ? '' : `, SD ${fixed(s.naive.spread, 3)}`})`,
      },
    ];
  }
  return figure;
}

function overallFigures(o: OverallSummary): Figure[] {
  if (o.fittedRuns === 0) return [];
  const [statedLow, statedHigh] = wilsonInterval(o.inStated, o.fittedRuns);
  const [, ninetyFiveHigh] = wilsonInterval(o.inNinetyFive, o.fittedRuns);
  const figures: Figure[] = [
    {
      name: 'True exponent inside the stated 95% interval, k̂ ± √((t·SE)² + bend²) (all runs)',
      perfloop: { value: o.inNinetyFive / o.fittedRuns, display: formatRate(o.inNinetyFive, o.fittedRuns) },
      baselines: [
        {
          method: 'k̂ ± t(0.975, points − 2)·SE, the scatter alone (no bend)',
          value: o.inStatistical / o.fittedRuns,
          display: formatRate(o.inStatistical, o.fittedRuns),
        },
        {
          method: `k̂ ± 1 SE, as reports printed it first (promises ≈ ${formatPercent(o.statedNominal, 0)}${statedLow <= o.statedNominal && o.statedNominal <= statedHigh ? ', kept' : ', not kept'})`,
          value: o.inStated / o.fittedRuns,
          display: formatRate(o.inStated, o.fittedRuns),
        },
      ],
      target: { display: '95%', met: ninetyFiveHigh >= 0.95 },
    },
    {
      name: 'Class named wrongly (a class other than the true one)',
      perfloop: { value: o.classWrong / o.fittedRuns, display: formatRate(o.classWrong, o.fittedRuns) },
      target: { display: '≤ 5%', met: o.classWrong / o.fittedRuns <= 0.05 },
      noise: `${o.classAmbiguousWithTrue} run(s) named no class but listed the true one among those the interval cannot tell apart`,
    },
    {
      name: 'Class named by the fit (bestClass) is the true one',
      perfloop: { value: o.classRight / o.fittedRuns, display: formatRate(o.classRight, o.fittedRuns) },
      baselines: o.naiveRuns > 0
        ? [{ method: 'naive two-point, nearest class', value: o.naiveClassRight / o.naiveRuns, display: formatRate(o.naiveClassRight, o.naiveRuns) }]
        : [],
      target: { display: '≥ 95%', met: o.classRight / o.fittedRuns >= 0.95 },
    },
    {
      name: 'Median |k̂ − k*| over all runs',
      perfloop: { value: o.fitMedianAbsError, display: fixed(o.fitMedianAbsError, 3) },
      baselines: o.naiveRuns > 0 ? [{ method: 'naive two-point', value: o.naiveMedianAbsError, display: fixed(o.naiveMedianAbsError, 3) }] : [],
      target: { display: 'below the naive estimate’s', met: o.naiveRuns > 0 && o.fitMedianAbsError < o.naiveMedianAbsError },
    },
  ];
  if (o.spreadToStdError !== undefined) {
    figures.push({
      name: 'Repeat-to-repeat SD of k̂ ÷ median stated SE (median over functions)',
      perfloop: { value: o.spreadToStdError, display: `${fixed(o.spreadToStdError, 1)}×` },
      target: { display: '≤ 1.5× (the SE describes the real scatter)', met: o.spreadToStdError <= 1.5 },
      noise: `${o.functionsWithSpread} functions`,
    });
  }
  return figures;
}

function summaryTable(subjects: readonly SubjectSummary[]): DetailTable {
  return {
    title: 'Per function: fitted exponent against the true one over the measured sizes',
    columns: [
      'function', 'true class', 'sizes', 'points/run', 'k* (true)', 'mean k̂', 'bias', 'SD k̂', 'median SE', 'SD ÷ SE', 'in ± SE', 'in 95%',
      'class right', 'slope lower / upper half', 'bias without the over-limit point (runs)', 'naive k (bias)', 'median |err| fit / naive',
    ],
    rows: subjects.map((s) => [
      `${LANGUAGE_NAMES[s.language]} ${s.functionName} (${s.pattern})`,
      s.growth,
      `${s.sizes[0]}–${s.sizes[1]}`,
      s.pointsPerRun[0] === s.pointsPerRun[1] ? `${s.pointsPerRun[0]}` : `${s.pointsPerRun[0]}–${s.pointsPerRun[1]}`,
      fixed(s.meanExpected, 3),
      fixed(s.meanExponent, 3),
      signed(s.bias, 3),
      fixed(s.spread, 3),
      fixed(s.medianStdError, 3),
      s.spread !== undefined && s.medianStdError > 0 ? `${(s.spread / s.medianStdError).toFixed(1)}×` : '–',
      `${s.inStated}/${s.fitted}`,
      `${s.inNinetyFive}/${s.fitted}`,
      `${s.classRight}/${s.fitted}${s.classesNamed.length > 0 ? ` (else ${[...new Set(s.classesNamed)].join(', ')})` : ''}`,
      s.halfSlopes ? `${fixed(s.halfSlopes[0])} / ${fixed(s.halfSlopes[1])}` : '–',
      s.biasWithoutOverLimit === undefined ? '–' : `${signed(s.biasWithoutOverLimit, 3)} (${s.overLimitRuns})`,
      s.naive ? `${fixed(s.naive.meanExponent, 3)} (${signed(s.naive.bias, 3)})` : '–',
      `${fixed(s.medianAbsError, 3)} / ${fixed(s.naive?.medianAbsError, 3)}`,
    ]),
  };
}

function runTable(records: readonly RunRecord[]): DetailTable {
  return {
    title: 'Every run',
    columns: ['function', 'run', 'sizes', 'fit (report label)', 'R²', 'k*', 'in ± SE', 'in 95%', 'naive k (k* two-point)', 'engine time'],
    rows: records.map((r) => [
      `${LANGUAGE_NAMES[r.language]} ${r.functionName}`,
      `${r.repeat + 1}`,
      r.points.length > 0 ? `${r.points.length}: ${r.points[0]?.size}–${r.points[r.points.length - 1]?.size}` : '–',
      r.fit ? r.fit.label : r.problems.join('; '),
      r.fit ? r.fit.rSquared.toFixed(4) : '–',
      r.fit ? r.fit.expected.toFixed(3) : '–',
      r.fit ? (r.fit.inStatedInterval ? 'yes' : 'no') : '–',
      r.fit ? (r.fit.inNinetyFiveInterval ? 'yes' : 'no') : '–',
      r.naive ? `${r.naive.exponent.toFixed(3)} (${r.naive.expected.toFixed(3)})` : '–',
      formatSeconds(r.engineSeconds),
    ]),
  };
}

function findings(subjects: readonly SubjectSummary[], overall: OverallSummary): string[] {
  const notes: string[] = [];
  const biased = subjects.filter((s) => s.fitted > 0 && Math.abs(s.bias) > EXPONENT_TOLERANCE);
  if (biased.length > 0) {
    notes.push(
      `Biased beyond ±${EXPONENT_TOLERANCE}: ` +
        biased
          .map((s) => `${LANGUAGE_NAMES[s.language]} ${s.functionName} ${signed(s.bias, 3)} (k̂ ${fixed(s.meanExponent, 3)} vs ${fixed(s.meanExpected, 3)}, ${fixed(Math.abs(s.bias) / s.medianStdError, 1)}× the median stated SE ${fixed(s.medianStdError, 3)})`)
          .join('; ') +
        '. A bias larger than the SE, the same sign in every repeat, is error the interval does not describe: the machine’s cost per operation (caches, allocation, JIT tiers, time slices lost to other processes) is not the cost the code counts.',
    );
  }
  const misnamed = subjects.filter((s) => s.fitted > s.classRight);
  if (misnamed.length > 0) {
    notes.push(
      `Class misnamed or withheld: ${misnamed.map((s) => `${LANGUAGE_NAMES[s.language]} ${s.functionName} (${s.growth}) named ${s.classesNamed.join(', ')} in ${s.fitted - s.classRight} of ${s.fitted}`).join('; ')}.`,
    );
  }
  // A bend counts when it is consistent over ≥ 3 runs: |mean| > 0.15 and > 2 standard errors of the mean.
  const curved = subjects.filter((s) => {
    const c = s.curvature;
    return c && c.runs >= 3 && c.standardError !== undefined && Math.abs(c.mean) > 0.15 && Math.abs(c.mean) > 2 * c.standardError;
  });
  if (curved.length > 0) {
    notes.push(
      'Consistently curved on log–log axes (mean slope over the smaller half of the sizes → over the larger half, over the runs): ' +
        curved.map((s) => `${LANGUAGE_NAMES[s.language]} ${s.functionName} ${fixed(s.halfSlopes?.[0])} → ${fixed(s.halfSlopes?.[1])} (bend ${signed(s.curvature?.mean ?? NaN)} ± ${fixed(s.curvature?.standardError)})`).join('; ') +
        '. One straight line through curved points turns the bend into residuals, and so into SE width, but centres that width on a slope that depends on where the sizes happened to start and stop.',
    );
  }
  if (overall.overLimit.length > 0) {
    notes.push(
      'Runs that ended on a size whose call took over maxSecondsPerCall (timed once by the JavaScript and C++ harnesses; by Python once from 0.5 s, ' +
        'else best of 3; every other size is a best of 3–5), mean error of k̂ with → without that point: ' +
        overall.overLimit.map((o) => `${LANGUAGE_NAMES[o.language]} ${signed(o.biasWith, 3)} → ${signed(o.biasWithout, 3)} (${o.runs} runs)`).join('; ') +
        '. Without the point the fit also loses its widest size, so the difference mixes both effects.',
    );
  }
  if (overall.fittedRuns > 0 && overall.inNinetyFive / overall.fittedRuns < 0.8) {
    notes.push(
      `The stated 95% interval (t·SE widened by the bend) holds the true exponent in only ${formatPercent(overall.inNinetyFive / overall.fittedRuns)} of runs, ` +
        `t·SE alone in ${formatPercent(overall.inStatistical / overall.fittedRuns)}, ± SE in ${formatPercent(overall.inStated / overall.fittedRuns)} (nominal ≈ ${formatPercent(overall.statedNominal, 0)}): ` +
        'the standard error measures how straight the points lie, not how far the line is from the truth; the bend catches curvature inside the range, not growth the machine adds evenly across it (memory hierarchy).',
    );
  }
  return notes;
}

function methodNotes(ctx: BenchContext, measured: MeasuredRuns, repeats: number): string[] {
  const versions = Object.entries(measured.runnerVersions).map(([language, version]) => `${LANGUAGE_NAMES[language as SubjectLanguage]}: ${version}`);
  const notes = [
    `Engine path as in optimizer/baseline.ts: extractTarget → checkWorkload → measureComplexity with maxSecondsPerCall ${COMPLEXITY_LIMITS.maxSecondsPerCall} s, ` +
      `maxPoints ${COMPLEXITY_LIMITS.maxPoints}, the default 60 s timeout and sandbox → fitPowerLaw. ${repeats} run(s) per function at tier ${ctx.tier}, round-robin. ${versions.join('; ')}.`,
    'True exponent k*: the least-squares log–log slope of the exact cost g(n) over the sizes that run measured (1, 2 or 3 for the powers; for n log n 1 + the slope of ln ln n, ' +
      'about 1.08–1.15 here). Lower-order terms of the real algorithms (the sorts’ linear copying and run detection, the loops’ set-up per row) and the machine’s cost per operation (caches, allocation, JIT tiers) are not in k*.',
    'Stated interval: the 95% interval k̂ ± t(0.975, points − 2)·SE the report and the prompt print ("n^1.1, 95% CI 0.9–1.3"); when it holds the exponents of several classes, the fit names none and lists them ("linear or n log n"). Before this bench the reports printed k̂ ± 1 SE, shown as the baseline.',
    'Naive two-point baseline: one call at the smallest and one at the largest size the engine chose in the same repeat, in one fresh process outside the sandbox, ' +
      'no warm-up, no repeats; its k* is the two-point slope of g(n) between the same sizes; its class is the class whose k* is nearest.',
    'Instruction counts are not validated: the engine counts instructions only on the performance input at one settled size (countInstructions), and its complexity mode times but does not count; there are no instruction counts at growing sizes to fit.',
  ];
  for (const s of measured.skipped) notes.push(`${LANGUAGE_NAMES[s.language]} skipped on this machine: ${s.reason}`);
  return notes;
}

export const complexityFitSection: BenchSection = {
  id: 'complexity-fit',
  title: 'Empirical complexity on functions of known growth',
  async run(ctx: BenchContext): Promise<SectionOutcome> {
    const plan = tierPlan(ctx.tier);
    const loadBefore = os.loadavg()[0] ?? 0;
    const measured = await measureKnownGrowth(ctx, plan);
    const load = `Machine load (1-minute load average) ${loadBefore.toFixed(1)} before and ${(os.loadavg()[0] ?? 0).toFixed(1)} after the runs on ${os.availableParallelism()} cores: above the core count, every size is measured in time slices shared with other processes and the figures carry that noise.`;
    const subjects = summariseRuns(measured.records);
    const overall = summariseOverall(measured.records, subjects);
    return {
      figures: [...subjects.map(subjectFigure), ...overallFigures(overall)],
      tables: [summaryTable(subjects), runTable(measured.records)],
      notes: [...methodNotes(ctx, measured, plan.repeats), load, ...findings(subjects, overall)],
      details: { repeats: plan.repeats, skipped: measured.skipped, overall, subjects, runs: measured.records },
    };
  },
};
