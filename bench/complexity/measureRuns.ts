/**
 * The measuring half of the complexity-fit bench: each subject goes through the engine exactly as `profileBaseline`
 * takes an original (extract, check the workload, `measureComplexity` with COMPLEXITY_LIMITS and the default timeout and
 * sandbox, `fitPowerLaw`), then its naive two-point twin times one call at the smallest and largest size the engine
 * chose. Repeats go round-robin over the subjects so that a busy spell on the machine spreads over all of them, and
 * nothing is timed concurrently.
 */
import path from 'node:path';
import { COMPLEXITY_LIMITS } from '../../optimizer/baseline.js';
import { DEFAULT_SETTINGS } from '../../optimizer/types.js';
import { JavaScriptRunner } from '../../profilers/javascript/javascriptRunner.js';
import { NativeRunner } from '../../profilers/native/nativeRunner.js';
import { PythonRunner } from '../../profilers/python/pythonRunner.js';
import { readFileSync } from 'node:fs';
import type { ComplexityPoint, LanguageRunner, Program, RunOptions, WorkloadSource } from '../../profilers/runner.js';
import { fitPowerLaw } from '../../profilers/stats/complexity.js';
import type { BenchContext } from '../types.js';
import { localExponent, nearestClassByExponent, studentCentralProbability, studentCentralQuantile, twoPointExponent } from './growthStats.js';
import type { GrowthClass } from './growthStats.js';
import { createNaiveTimer } from './naiveTwoPoint.js';
import type { NaiveTimer } from './naiveTwoPoint.js';
import type { KnownGrowthSubject, SubjectLanguage, TierPlan } from './subjects.js';

export interface FitRecord {
  exponent: number;
  stdError: number;
  rSquared: number;
  label: string;
  bestClass?: string;
  /** The classes the fit could not tell apart (it then names none). */
  plausibleClasses?: string[];
  /** Exponent a noise-free g(n) gives over this run's sizes (least-squares slope of ln g on ln n). */
  expected: number;
  /** |k̂ − k*| ≤ SE: the interval reports showed before they showed the 95% one. */
  inStatedInterval: boolean;
  /** P(|T| ≤ 1) at points − 2 degrees of freedom: the coverage ± 1 SE promises when the residuals are the only error. */
  statedNominalCoverage: number;
  /** k* inside [exponentLow, exponentHigh]: the 95% interval the report shows (t·SE widened by the bend). */
  inNinetyFiveInterval: boolean;
  /** |k̂ − k*| ≤ t(0.975, points − 2) · SE: the interval from the scatter alone, as reports showed it before the bend. */
  inStatisticalInterval: boolean;
  /** Slopes over the smaller and the larger half of the sizes (diagnostic: curvature, i.e. error the SE cannot see). */
  halfSlopes?: [number, number];
  /**
   * The fit without the last point when that point is the one call that took longer than maxSecondsPerCall (the
   * harnesses time it once, unrepeated, where every other size is a best-of-3 or -5).
   */
  withoutOverLimit?: { exponent: number; expected: number };
}

export interface NaiveRecord {
  smallSize: number;
  largeSize: number;
  smallSeconds: number;
  largeSeconds: number;
  exponent: number;
  /** Two-point slope of exact g(n) between the same sizes. */
  expected: number;
  nearestClass: GrowthClass;
}

export interface RunRecord {
  language: SubjectLanguage;
  functionName: string;
  growth: GrowthClass;
  pattern: string;
  repeat: number;
  /** Wall time of the engine's measureComplexity call. */
  engineSeconds: number;
  points: ComplexityPoint[];
  fit?: FitRecord;
  naive?: NaiveRecord;
  /** Why the fit or the naive estimate is missing. */
  problems: string[];
}

interface PreparedSubject {
  subject: KnownGrowthSubject;
  runner: LanguageRunner;
  program: Program;
  workload: WorkloadSource;
  naive: NaiveTimer;
}

export interface MeasuredRuns {
  records: RunRecord[];
  /** Languages whose runner could not be prepared on this machine (e.g. no C++ compiler), with the reason. */
  skipped: { language: SubjectLanguage; reason: string }[];
  runnerVersions: Partial<Record<SubjectLanguage, string>>;
}

function runnerFor(language: SubjectLanguage): LanguageRunner {
  switch (language) {
    case 'python':
      return new PythonRunner();
    case 'javascript':
      return new JavaScriptRunner();
    case 'cpp':
      return new NativeRunner({ dialect: 'cpp' });
  }
}

function runOptions(ctx: BenchContext): RunOptions {
  return {
    sandbox: DEFAULT_SETTINGS.sandbox,
    timeoutMs: DEFAULT_SETTINGS.timeoutMs,
    floatTolerance: DEFAULT_SETTINGS.floatTolerance,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
}

async function prepare(ctx: BenchContext, subject: KnownGrowthSubject, runner: LanguageRunner): Promise<PreparedSubject> {
  const codeFile = path.join(ctx.root, subject.codeFile);
  const target = await runner.extractTarget(readFileSync(codeFile, 'utf8'), codeFile, { functionName: subject.functionName });
  const program = runner.originalProgram(target);
  // One WorkloadSource per subject: runners remember per workload object whether the original mutates its arguments.
  const workload: WorkloadSource = { kind: 'module', origin: 'user', path: path.join(ctx.root, subject.workloadFile) };
  const summary = await runner.checkWorkload(program, workload, runOptions(ctx));
  if (!summary.sizeable) throw new Error(`${subject.workloadFile} has no sized input for ${subject.functionName}`);
  const naive = await createNaiveTimer(subject, ctx.root, ctx.scratchDir, ctx.signal);
  return { subject, runner, program, workload, naive };
}

function fitRecord(growth: GrowthClass, points: readonly ComplexityPoint[]): FitRecord | undefined {
  const fit = fitPowerLaw(points);
  if (!fit) return undefined;
  const expected = localExponent(growth, points.map((p) => p.size));
  const half = Math.ceil(points.length / 2);
  const lower = fitPowerLaw(points.slice(0, half));
  const upper = fitPowerLaw(points.slice(points.length - half));
  const last = points[points.length - 1] as ComplexityPoint;
  const withoutLast = last.seconds > COMPLEXITY_LIMITS.maxSecondsPerCall ? fitPowerLaw(points.slice(0, -1)) : undefined;
  const degreesOfFreedom = points.length - 2;
  const error = Math.abs(fit.exponent - expected);
  return {
    exponent: fit.exponent,
    stdError: fit.exponentStdError,
    rSquared: fit.rSquared,
    label: fit.label,
    ...(fit.bestClass ? { bestClass: fit.bestClass } : {}),
    ...(fit.plausibleClasses ? { plausibleClasses: fit.plausibleClasses } : {}),
    expected,
    inStatedInterval: error <= fit.exponentStdError,
    statedNominalCoverage: studentCentralProbability(1, degreesOfFreedom),
    inNinetyFiveInterval: (fit.exponentLow ?? fit.exponent) <= expected && expected <= (fit.exponentHigh ?? fit.exponent),
    inStatisticalInterval: error <= studentCentralQuantile(0.95, degreesOfFreedom) * fit.exponentStdError,
    ...(lower && upper ? { halfSlopes: [lower.exponent, upper.exponent] as [number, number] } : {}),
    ...(withoutLast
      ? { withoutOverLimit: { exponent: withoutLast.exponent, expected: localExponent(growth, points.slice(0, -1).map((p) => p.size)) } }
      : {}),
  };
}

async function naiveRecord(prepared: PreparedSubject, points: readonly ComplexityPoint[], signal?: AbortSignal): Promise<NaiveRecord> {
  const smallSize = (points[0] as ComplexityPoint).size;
  const largeSize = (points[points.length - 1] as ComplexityPoint).size;
  const calls = await prepared.naive(smallSize, largeSize, signal);
  const exponent = twoPointExponent({ size: smallSize, seconds: calls.small }, { size: largeSize, seconds: calls.large });
  return {
    smallSize,
    largeSize,
    smallSeconds: calls.small,
    largeSeconds: calls.large,
    exponent,
    expected: localExponent(prepared.subject.growth, [smallSize, largeSize]),
    nearestClass: nearestClassByExponent(exponent, [smallSize, largeSize]),
  };
}

async function measureOnce(ctx: BenchContext, prepared: PreparedSubject, repeat: number): Promise<RunRecord> {
  const { subject } = prepared;
  const started = performance.now();
  let points: ComplexityPoint[] = [];
  const problems: string[] = [];
  try {
    points = await prepared.runner.measureComplexity(prepared.program, prepared.workload, { ...runOptions(ctx), ...COMPLEXITY_LIMITS });
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    problems.push(`measureComplexity failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const record: RunRecord = {
    language: subject.language,
    functionName: subject.functionName,
    growth: subject.growth,
    pattern: subject.pattern,
    repeat,
    engineSeconds: (performance.now() - started) / 1000,
    points,
    problems,
  };
  let fit: FitRecord | undefined;
  try {
    fit = fitRecord(subject.growth, points);
  } catch (error) {
    problems.push(`fitPowerLaw refused the points: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (fit) record.fit = fit;
  else if (problems.length === 0) problems.push(`no fit from ${points.length} points (sizes ${points.map((p) => p.size).join(', ')})`);
  if (points.length >= 2) {
    try {
      record.naive = await naiveRecord(prepared, points, ctx.signal);
    } catch (error) {
      if (ctx.signal?.aborted) throw error;
      record.problems.push(`naive two-point: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return record;
}

export async function measureKnownGrowth(ctx: BenchContext, plan: TierPlan): Promise<MeasuredRuns> {
  const preparing = performance.now();
  const runners = new Map<SubjectLanguage, LanguageRunner>();
  const prepared: PreparedSubject[] = [];
  const skipped: MeasuredRuns['skipped'] = [];
  for (const subject of plan.subjects) {
    if (skipped.some((s) => s.language === subject.language)) continue;
    let runner = runners.get(subject.language);
    if (!runner) runners.set(subject.language, (runner = runnerFor(subject.language)));
    try {
      prepared.push(await prepare(ctx, subject, runner));
    } catch (error) {
      // Python is the language the issue requires: its failure fails the section. The others may be missing here.
      if (subject.language === 'python' || ctx.signal?.aborted) throw error;
      const reason = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
      ctx.log(`skipping ${subject.language}: ${reason}`);
      skipped.push({ language: subject.language, reason });
      for (let i = prepared.length - 1; i >= 0; i--) if (prepared[i]?.subject.language === subject.language) prepared.splice(i, 1);
    }
  }
  const runnerVersions: MeasuredRuns['runnerVersions'] = {};
  for (const [language, runner] of runners) {
    if (!skipped.some((s) => s.language === language)) runnerVersions[language] = await runner.describe().catch(() => 'unknown');
  }

  ctx.log(`prepared ${prepared.length} functions (targets, workloads, builds, naive timers) in ${((performance.now() - preparing) / 1000).toFixed(1)} s`);

  const records: RunRecord[] = [];
  for (let repeat = 0; repeat < plan.repeats; repeat++) {
    for (const subject of prepared) {
      const record = await measureOnce(ctx, subject, repeat);
      const f = record.fit;
      ctx.log(
        `${record.language} ${record.functionName} #${repeat + 1}: ` +
          (f ? `k = ${f.exponent.toFixed(3)} ± ${f.stdError.toFixed(3)} (true ${f.expected.toFixed(3)}), ` : 'no fit, ') +
          `naive ${record.naive ? record.naive.exponent.toFixed(3) : '–'}, ${record.points.length} sizes in ${record.engineSeconds.toFixed(1)} s`,
      );
      records.push(record);
    }
  }
  return { records, skipped, runnerVersions };
}
