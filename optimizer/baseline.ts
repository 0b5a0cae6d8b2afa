/**
 * The original's overhead profile (SOAP-style): time per call with the machine's noise, instructions, peak memory,
 * per-line time and memory, and how time grows with input size. It feeds both the prompt and the report.
 */
import type { InstructionCount, LanguageRunner, Program, RunOptions, WorkloadSource } from '../profilers/runner.js';
import { fitPowerLaw } from '../profilers/stats/complexity.js';
import { coefficientOfVariation, median } from '../profilers/stats/descriptive.js';
import type { BaselineReport, OptimizeSettings } from './types.js';

export interface BaselineContext {
  runner: LanguageRunner;
  original: Program;
  workload: WorkloadSource;
  mutatesArguments: boolean;
  sizeable: boolean;
  settings: OptimizeSettings;
  countInstructions: boolean;
  signal?: AbortSignal;
  warn(message: string): void;
}

/**
 * Sizes stop growing once a call takes this long, or after ten doublings that take measurable time (a 512× span). Six
 * (32×) was too narrow: n and n log n differ by ~0.1 in exponent there, and the bench (complexity-fit) saw lower-order
 * terms flatten the slope of quadratic loops. The largest calls dominate the cost, so the extra sizes are cheap.
 */
export const COMPLEXITY_LIMITS = { maxSecondsPerCall: 0.25, maxPoints: 10 } as const;

/** Above this noise (CV of the original against itself) speedups below ~2× the threshold are hard to see: say so. */
const NOISY_MACHINE_CV = 0.1;

export interface BaselineProfile {
  report: BaselineReport;
  /**
   * The original's instruction count with its counted results and serialising cost: what each candidate's count is
   * checked against and corrected by (measureCandidate). Kept out of the report, which is saved and shown.
   */
  instructionCount?: InstructionCount;
}

export async function profileBaseline(ctx: BaselineContext): Promise<BaselineProfile> {
  const opts: RunOptions = {
    sandbox: ctx.settings.sandbox,
    timeoutMs: ctx.settings.timeoutMs,
    floatTolerance: ctx.settings.floatTolerance,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  // An A/A run: the original against itself gives the time per call and the noise every later verdict lives with.
  const samples = await ctx.runner.measureTime(ctx.original, ctx.original, ctx.workload, ctx.mutatesArguments, {
    ...opts,
    samples: Math.max(10, Math.round(ctx.settings.timingSamples / 2)),
    sampleSeconds: ctx.settings.sampleSeconds,
  });
  // Timing the original against itself is rejected when its two workers' results differ: say that, not "no samples".
  if (samples.rejection) throw new Error(`timing the original against itself was rejected: ${samples.rejection}`);
  const all = [...samples.original, ...samples.candidate];
  const noise = coefficientOfVariation(all);
  if (noise > NOISY_MACHINE_CV) {
    ctx.warn(
      `This machine is noisy right now: the original's time per call varies by ${(noise * 100).toFixed(0)}% between samples. ` +
        'Small speedups will be reported as no-difference; close busy programs for sharper verdicts.',
    );
  }
  const report: BaselineReport = { secondsPerCall: median(all), timer: samples.timer };

  const memory = await ctx.runner.measureMemory(ctx.original, ctx.workload, opts);
  report.peakMemoryBytes = memory.peakBytes;
  report.lineProfile = await ctx.runner.profileLines(ctx.original, ctx.workload, opts);
  let instructionCount: InstructionCount | undefined;
  if (ctx.countInstructions) {
    instructionCount = await ctx.runner.countInstructions(ctx.original, ctx.workload, opts);
    if (instructionCount) report.instructions = instructionCount.instructions;
  }
  if (ctx.sizeable) {
    const points = await ctx.runner.measureComplexity(ctx.original, ctx.workload, {
      ...opts,
      ...COMPLEXITY_LIMITS,
    });
    const fit = fitPowerLaw(points);
    report.complexity = fit ? { points, fit } : { points };
  }
  return { report, ...(instructionCount ? { instructionCount } : {}) };
}
