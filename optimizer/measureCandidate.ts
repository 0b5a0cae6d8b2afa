/**
 * One candidate's verdict: build → equivalence → interleaved timing (+ instruction count, peak memory). Shared by the LLM
 * loop and by `perfloop compare`, so a hand-written candidate gets exactly the same treatment.
 */
import { checkCountedResults } from '../profilers/judge/countedResults.js';
import type { SnapDifference } from '../profilers/judge/snapshot.js';
import { RunnerError, type ExtractedTarget, type InstructionCount, type LanguageRunner, type Program, type WorkloadSource } from '../profilers/runner.js';
import { patchCandidate, type CandidatePatch } from './candidatePatch.js';
import type { MeasurementGate } from './measurementGate.js';
import { runTestCommand } from './projectCommands.js';
import { measureSpeedup, TimingRejected } from './timeCandidate.js';
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
  /**
   * The original's instruction count with the results of its counted calls (baseline.ts). Without it a candidate's count
   * cannot be checked, and an unchecked count makes no claim: none is taken.
   */
  originalCount?: InstructionCount;
  settings: OptimizeSettings;
  /** Whether instruction counting is available and wanted. */
  countInstructions: boolean;
  /** The user's project commands; a configured test command must pass before a candidate may be called faster. */
  project?: ProjectCommands;
  /**
   * Orders this candidate's work against other candidates' measured at the same time: timing runs alone, the rest
   * (build, equivalence, memory, instruction count, the user's tests) may run beside other candidates' work.
   * Without one, the candidate is measured as if it were the only one.
   */
  gate?: MeasurementGate;
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
  const shared = <T>(task: () => Promise<T>): Promise<T> => (ctx.gate ? ctx.gate.runShared(task, ctx.signal) : task());
  const alone = <T>(task: () => Promise<T>): Promise<T> => (ctx.gate ? ctx.gate.runExclusive(task, ctx.signal) : task());
  const opts = runOptions(ctx);
  // Build and equivalence in one shared slot: a C/C++ build's compiles then never wait behind another candidate's timing.
  const checked = await shared(async () => {
    const build = await ctx.runner.buildCandidate(ctx.target, input.code, input.id);
    if (!build.ok) return build;
    // The change the report shows for this candidate is the one Apply would make (and the one the test command sees).
    const patch = await patchOf(input, ctx);
    throwIfAborted(ctx.signal);
    return { ...build, patch, equivalence: await ctx.runner.checkEquivalence(ctx.original, build.program, ctx.workload, opts) };
  });
  if (!checked.ok) return { ...base, verdict: 'error', reason: checked.reason };
  const { program, equivalence, patch } = checked;
  if (patch) base.diff = patch.diff;
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

  let speedup;
  try {
    ({ estimate: speedup } = await alone(() =>
      measureSpeedup(ctx.runner, ctx.original, program, ctx.workload, ctx.originalMutatesArguments, opts, ctx.settings),
    ));
  } catch (error) {
    if (!(error instanceof TimingRejected)) throw error;
    return { ...base, verdict: 'incorrect', reason: `Rejected while timing: ${error.reason}`, inputsChecked: equivalence.inputsChecked };
  }
  throwIfAborted(ctx.signal);
  const result: CandidateResult = { ...base, verdict: speedup.verdict, speedup, inputsChecked: equivalence.inputsChecked };

  // Memory and instruction counts do not depend on what else runs: one shared slot for both.
  let rejection: string | undefined;
  await shared(async () => {
    const memory = await ctx.runner.measureMemory(program, ctx.workload, opts);
    if (ctx.baseline.peakMemoryBytes !== undefined) {
      // Readings below the runner's resolution are noise: floored there, and no ratio when both are below it.
      const floor = memory.resolutionBytes ?? 0;
      if (floor > 0 && memory.peakBytes < floor && ctx.baseline.peakMemoryBytes < floor) result.memoryBelowBytes = floor;
      else result.memory = { peakBytes: memory.peakBytes, ratio: ratioOf(Math.max(memory.peakBytes, floor), Math.max(ctx.baseline.peakMemoryBytes, floor)) };
    }
    throwIfAborted(ctx.signal);
    const original = ctx.originalCount;
    if (ctx.countInstructions && original?.serialisingInstructions !== undefined) {
      const count = await ctx.runner.countInstructions(program, ctx.workload, opts, { serialisingInstructions: original.serialisingInstructions });
      if (!count) return;
      // What was counted must be what was checked: the counted calls' results against the original's (countedResults.ts).
      const check = checkCountedResults(original.results, count.results, { tolerance: ctx.settings.floatTolerance, userEqual: ctx.workload.kind === 'module' });
      if (check.status === 'different') {
        rejection = `when its instructions were counted, ${describeCountedDifference(check.index, check.difference)}: it behaves differently under the instruction counter`;
        return;
      }
      // Return values only the user's equal(a, b) could call the same: the count's results are unchecked, so no figure.
      if (check.status === 'undecided') return;
      result.instructions = { count: count.instructions, ratio: ratioOf(count.instructions, original.instructions) };
      if (ctx.settings.counters === 'instructions') result.verdict = instructionVerdict(result.instructions.ratio, ctx.settings.noiseThreshold);
    }
  });
  if (rejection) return { ...base, verdict: 'incorrect', reason: rejection, inputsChecked: equivalence.inputsChecked };
  if (result.verdict === 'faster' && ctx.project?.testCommand) {
    const project = ctx.project;
    const check = await shared(async () => {
      const patched = patch?.patchedFileText ?? (await patchCandidate(ctx.runner, ctx.target, input.code, input.id)).patchedFileText;
      return runTestCommand(project, ctx.target.filePath, patched, ctx.settings, ctx.signal);
    });
    if (!check.passed) return { ...result, verdict: 'incorrect', reason: check.reason };
  }
  return result;
}

/** The candidate applied to the user's file; undefined when the runner cannot apply what it could build. */
async function patchOf(input: CandidateInput, ctx: MeasureContext): Promise<CandidatePatch | undefined> {
  try {
    return await patchCandidate(ctx.runner, ctx.target, input.code, input.id);
  } catch (error) {
    if (error instanceof RunnerError) return undefined;
    throw error;
  }
}

function describeCountedDifference(index: number, difference: SnapDifference): string {
  const where = index < 0 ? 'its results' : `its result on performance input ${index}`;
  return `${where} differs from the original's (${difference.path}: ${difference.expected} vs ${difference.actual})`;
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
