/**
 * One candidate's verdict: build → equivalence → interleaved timing (+ instruction count, peak memory). Shared by the LLM
 * loop and by `perfloop compare`, so a hand-written candidate gets exactly the same treatment.
 */
import type { ExtractedTarget, LanguageRunner, Program, WorkloadSource } from '../profilers/runner.js';
import { runTestCommand } from './projectCommands.js';
import { measureSpeedup } from './timeCandidate.js';
import type { BaselineReport, CandidateResult, OptimizeSettings, ProjectCommands } from './types.js';

export interface CandidateInput {
  id: string;
  round: number;
  code: string;
  rationale: string;
  repairOf?: string;
}

export interface MeasureContext {
  runner: LanguageRunner;
  target: ExtractedTarget;
  original: Program;
  workload: WorkloadSource;
  originalMutatesArguments: boolean;
  baseline: BaselineReport;
  settings: OptimizeSettings;
  /** Whether instruction counting is available and wanted. */
  countInstructions: boolean;
  /** The user's project commands; a configured test command must pass before a candidate may be called faster. */
  project?: ProjectCommands;
  signal?: AbortSignal;
}

function runOptions(ctx: MeasureContext) {
  return {
    sandbox: ctx.settings.sandbox,
    timeoutMs: ctx.settings.timeoutMs,
    floatTolerance: ctx.settings.floatTolerance,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
}

export async function measureCandidate(input: CandidateInput, ctx: MeasureContext): Promise<CandidateResult> {
  const base: CandidateResult = {
    id: input.id,
    round: input.round,
    code: input.code,
    rationale: input.rationale,
    verdict: 'error',
    ...(input.repairOf ? { repairOf: input.repairOf } : {}),
  };
  const build = await ctx.runner.buildCandidate(ctx.target, input.code, input.id);
  if (!build.ok) return { ...base, verdict: 'error', reason: build.reason };
  const program = build.program;
  const opts = runOptions(ctx);

  throwIfAborted(ctx.signal);
  const equivalence = await ctx.runner.checkEquivalence(ctx.original, program, ctx.workload, opts);
  throwIfAborted(ctx.signal);
  switch (equivalence.status) {
    case 'error':
      return { ...base, verdict: 'error', reason: equivalence.detail ? `${equivalence.reason}\n${equivalence.detail}` : equivalence.reason };
    case 'timeout':
      return { ...base, verdict: 'timeout', reason: equivalence.reason };
    case 'different':
      return {
        ...base,
        verdict: 'incorrect',
        reason: `${equivalence.mismatches} of ${equivalence.inputsChecked} inputs behave differently (${equivalence.counterexample.kind})`,
        counterexample: equivalence.counterexample,
      };
    case 'equivalent':
      break;
  }

  const { estimate: speedup } = await measureSpeedup(ctx.runner, ctx.original, program, ctx.workload, ctx.originalMutatesArguments, opts, ctx.settings);
  throwIfAborted(ctx.signal);
  const result: CandidateResult = { ...base, verdict: speedup.verdict, speedup, inputsChecked: equivalence.inputsChecked };

  const memory = await ctx.runner.measureMemory(program, ctx.workload, opts);
  if (ctx.baseline.peakMemoryBytes !== undefined) {
    result.memory = { peakBytes: memory.peakBytes, ratio: ratioOf(memory.peakBytes, ctx.baseline.peakMemoryBytes) };
  }
  throwIfAborted(ctx.signal);
  if (ctx.countInstructions && ctx.baseline.instructions !== undefined) {
    const count = await ctx.runner.countInstructions(program, ctx.workload, opts);
    if (count) {
      result.instructions = { count: count.instructions, ratio: ratioOf(count.instructions, ctx.baseline.instructions) };
      if (ctx.settings.counters === 'instructions') result.verdict = instructionVerdict(result.instructions.ratio, ctx.settings.noiseThreshold);
    }
  }
  if (result.verdict === 'faster' && ctx.project?.testCommand) {
    const patched = await ctx.runner.applyCandidate(ctx.target, input.code);
    const check = await runTestCommand(ctx.project, ctx.target.filePath, patched, ctx.settings, ctx.signal);
    if (!check.passed) return { ...result, verdict: 'incorrect', reason: check.reason };
  }
  return result;
}

/** candidate / original, guarded against a zero baseline. */
function ratioOf(candidate: number, original: number): number {
  return original > 0 ? candidate / original : candidate > 0 ? Infinity : 1;
}

/** Instruction counts are deterministic, so the threshold alone separates signal from noise. */
export function instructionVerdict(ratio: number, noiseThreshold: number): 'faster' | 'slower' | 'no-difference' {
  if (ratio < 1 / (1 + noiseThreshold)) return 'faster';
  if (ratio > 1 + noiseThreshold) return 'slower';
  return 'no-difference';
}
