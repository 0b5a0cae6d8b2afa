/**
 * Everything before the first optimization round: find the target, settle the workload (the user's, else one the LLM
 * writes and the sandbox runs), detect what measures this machine offers, and profile the original.
 */
import { basename } from 'node:path';
import { detectInstructionCounter } from '../profilers/counters/instructions.js';
import type { CaptureManifestEntry } from '../profilers/hotspots/captureStore.js';
import { runnerForFile } from '../profilers/registry.js';
import type { ExtractedTarget, InstructionCount, LanguageRunner, Program, RunOptions, WorkloadSource, WorkloadSummary } from '../profilers/runner.js';
import { RunnerError } from '../profilers/runner.js';
import { sandboxWarning } from '../profilers/sandbox/sandbox.js';
import { profileBaseline, type BaselineProfile } from './baseline.js';
import { originalFailure } from './originalFailure.js';
import { LlmError, type LlmProvider } from './llm/provider.js';
import { buildWorkloadPrompt, promptMethod } from './prompts.js';
import { parseWorkloadGenerator } from './replyParser.js';
import { timedSizeKey, type RememberedSize, type TimedSizeMemory } from './timedSizeMemory.js';
import type { TokenTally } from './tokenTally.js';
import type {
  BaselineReport,
  EnvironmentReport,
  OptimizeRequest,
  OptimizeSettings,
  RunEvent,
  TargetSummary,
  WorkloadReport,
} from './types.js';
import { findCapturedInputs, findWorkloadNextTo, readWorkloadFile } from './workloadFile.js';

/** Ends the run before any round: the message is for the user. */
export class RunFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunFailure';
  }
}

export interface PreparedRun {
  runner: LanguageRunner;
  target: ExtractedTarget;
  targetSummary: TargetSummary;
  original: Program;
  workload: WorkloadSource;
  workloadReport: WorkloadReport;
  mutatesArguments: boolean;
  environment: EnvironmentReport;
  countInstructions: boolean;
  baseline: BaselineReport;
  /** The original's count with its counted results (baseline.ts): candidates' counts are checked against it. */
  originalCount?: InstructionCount;
}

export interface PrepareDependencies {
  provider?: LlmProvider;
  runner?: LanguageRunner;
  /** Timed sizes chosen by earlier runs on this machine (the CLI and the editor pass the user's store). */
  timedSizes?: TimedSizeMemory;
}

interface PrepareControl {
  signal?: AbortSignal;
  emit(event: RunEvent): void;
  warn(message: string): void;
  tokens: TokenTally;
}

export async function prepareRun(
  request: OptimizeRequest,
  settings: OptimizeSettings,
  deps: PrepareDependencies,
  control: PrepareControl,
): Promise<PreparedRun> {
  const { emit, warn } = control;
  emit({ type: 'stage', stage: 'locate', message: `Locating the target in ${basename(request.filePath)}` });
  const runner = deps.runner ?? runnerForFile(request.filePath);
  const target = await runner.extractTarget(request.fileText, request.filePath, request.target);
  const targetSummary: TargetSummary = {
    file: request.filePath,
    functionName: target.functionName,
    source: target.functionSource,
    language: target.language,
    range: target.range,
    contextNames: target.contextNames,
  };
  emit({ type: 'target', target: targetSummary });

  const environment = await describeEnvironment(runner, settings, deps.provider);
  if (environment.sandboxWarning) warn(environment.sandboxWarning);
  if (settings.counters !== 'time' && environment.instructionCounter === 'none') {
    const message = `No instruction counter works here (${environment.instructionCounterDetail ?? 'perf and valgrind unavailable'}); verdicts use wall time only.`;
    if (settings.counters === 'instructions') throw new RunFailure(message);
    warn(message);
  }
  emit({ type: 'environment', environment });

  const original = runner.originalProgram(target);
  const opts: RunOptions = {
    sandbox: settings.sandbox,
    timeoutMs: settings.timeoutMs,
    floatTolerance: settings.floatTolerance,
    ...(control.signal ? { signal: control.signal } : {}),
  };
  emit({ type: 'stage', stage: 'workload', message: 'Preparing inputs' });
  const sizes = await rememberedSizes(deps.timedSizes, target, runner);
  const { workload, summary, report } = await settleWorkload(request, target, runner, original, opts, settings, deps.provider, control, sizes);
  emit({ type: 'workload', workload: report });

  emit({ type: 'stage', stage: 'baseline', message: 'Profiling the original' });
  const countInstructions = settings.counters !== 'time' && environment.instructionCounter !== 'none';
  let profile: BaselineProfile;
  try {
    profile = await profileBaseline({
      runner,
      original,
      workload,
      mutatesArguments: summary.originalMutatesArguments,
      sizeable: summary.sizeable,
      settings,
      countInstructions,
      warn,
      ...(control.signal ? { signal: control.signal } : {}),
    });
  } catch (error) {
    if (error instanceof RunnerError || control.signal?.aborted) throw error;
    throw new RunFailure(`Profiling the original \`${target.functionName}\` failed: ${(error as Error).message}`);
  }
  const { report: baseline, instructionCount: originalCount } = profile;
  emit({ type: 'baseline', baseline });
  if (baseline.timer) environment.timer = `in-process interleaved samples, ${baseline.timer}`;
  return {
    runner,
    target,
    targetSummary,
    original,
    workload,
    workloadReport: report,
    mutatesArguments: summary.originalMutatesArguments,
    environment,
    countInstructions,
    baseline,
    ...(originalCount ? { originalCount } : {}),
  };
}

async function describeEnvironment(runner: LanguageRunner, settings: OptimizeSettings, provider?: LlmProvider): Promise<EnvironmentReport> {
  const sandbox = await runner.sandboxKind(settings.sandbox);
  const counter = settings.counters === 'time' ? undefined : await detectInstructionCounter('auto');
  const warning = sandboxWarning(sandbox);
  return {
    runner: await runner.describe(),
    sandbox,
    ...(warning ? { sandboxWarning: warning } : {}),
    instructionCounter: counter?.kind ?? 'none',
    ...(counter ? { instructionCounterDetail: counter.detail } : {}),
    timer: 'in-process interleaved samples',
    ...(provider ? { llm: provider.description } : {}),
  };
}

/**
 * A workload checked at the timed size an earlier run on this machine chose for the same function and inputs, when there
 * is one; otherwise the check chooses n and the choice is remembered.
 */
interface RememberedSizes {
  check(workload: WorkloadSource, check: (workload: WorkloadSource) => Promise<WorkloadSummary>): Promise<{ workload: WorkloadSource; summary: WorkloadSummary; reused?: RememberedSize }>;
}

async function rememberedSizes(memory: TimedSizeMemory | undefined, target: ExtractedTarget, runner: LanguageRunner): Promise<RememberedSizes> {
  if (!memory) return { check: async (workload, check) => ({ workload, summary: await check(workload) }) };
  const runtime = await runner.describe();
  return {
    async check(given, check) {
      const key = timedSizeKey(target, given, runtime);
      const reused = memory.recall(key);
      const workload: WorkloadSource = reused ? { ...given, timedSizedN: reused.n } : given;
      const summary = await check(workload);
      if (reused && summary.timedSizedN === reused.n) return { workload, summary, reused };
      if (summary.timedSizedN !== undefined) memory.remember(key, summary.timedSizedN);
      return { workload, summary };
    },
  };
}

async function settleWorkload(
  request: OptimizeRequest,
  target: ExtractedTarget,
  runner: LanguageRunner,
  original: Program,
  opts: RunOptions,
  settings: OptimizeSettings,
  provider: LlmProvider | undefined,
  control: PrepareControl,
  sizes: RememberedSizes,
): Promise<{ workload: WorkloadSource; summary: WorkloadSummary; report: WorkloadReport }> {
  const nextTo = request.workload ? undefined : findWorkloadNextTo(request.filePath);
  // Inputs of the user's own, then the real ones `perfloop profile` captured, before any the LLM would write.
  const captured = request.workload || nextTo ? undefined : findCapturedInputs(request.filePath, target.functionName);
  if (captured) {
    const { entry } = captured;
    control.emit({ type: 'log', message: `Using the ${entry.inputs} inputs of ${entry.qualname} captured from \`${entry.command.join(' ')}\` on ${entry.capturedAt.slice(0, 10)}` });
  }
  const userWorkload =
    request.workload ?? (nextTo ? readWorkloadFile(nextTo) : captured ? { ...readWorkloadFile(captured.path), ...(captured.entry.heldBack?.length ? { heldBack: captured.entry.heldBack } : {}) } : undefined);
  const checkOriginal = (workload: WorkloadSource) => runner.checkWorkload(original, workload, opts);
  if (userWorkload) {
    const { workload, summary, reused } = await sizes.check(userWorkload, checkOriginal);
    const failure = originalFailure(summary, target.functionName, target.language);
    if (failure) throw new RunFailure(failure);
    return { workload, summary, report: reportOf(workload, summary, reused, captured?.entry) };
  }
  if (!provider) throw new RunFailure('No inputs were given and no LLM is configured to write them: pass --inputs FILE.');

  let previousAttempt: { code: string; error: string } | undefined;
  for (let attempt = 0; attempt <= settings.workloadRepairs; attempt++) {
    const messages = buildWorkloadPrompt({
      language: target.language,
      functionName: target.functionName,
      functionSource: target.functionSource,
      contextSource: target.contextSource,
      parameters: target.parameters,
      ...promptMethod(target),
      ...(previousAttempt ? { previousAttempt } : {}),
    });
    let text: string;
    try {
      const reply = await provider.complete({ messages, temperature: 0.2, ...(control.signal ? { signal: control.signal } : {}) });
      control.tokens.add(reply.usage);
      text = reply.text;
      control.emit({ type: 'trace', message: `Input generator reply:\n${text}` });
    } catch (error) {
      if (error instanceof LlmError) throw new RunFailure(error.message);
      throw error;
    }
    const parsed = parseWorkloadGenerator(text, target.language);
    if ('reason' in parsed) {
      previousAttempt = { code: text.slice(0, 2000), error: parsed.reason };
      control.emit({ type: 'log', message: `Input generator unusable: ${parsed.reason}` });
      continue;
    }
    try {
      const { workload, summary, reused } = await sizes.check({ kind: 'generator', origin: 'llm', source: parsed.code }, checkOriginal);
      // Inputs the original cannot take (wrong types) are the generator's to repair; a cause outside the inputs (a file
      // the sandbox does not show) stays, and the last attempt's message names it.
      const failure = originalFailure(summary, target.functionName, target.language);
      if (!failure) return { workload, summary, report: reportOf(workload, summary, reused) };
      previousAttempt = { code: parsed.code, error: failure };
      control.emit({ type: 'log', message: `Input generator unusable: ${failure}` });
      continue;
    } catch (error) {
      if (!(error instanceof RunnerError)) throw error;
      previousAttempt = { code: parsed.code, error: error.detail ? `${error.message}\n${error.detail}` : error.message };
      control.emit({ type: 'log', message: `Input generator failed: ${error.message}` });
    }
  }
  throw new RunFailure(
    `The LLM could not write a working input generator (${settings.workloadRepairs + 1} attempts; last error: ${previousAttempt?.error.split('\n')[0] ?? 'unknown'}). ` +
      `Pass inputs with --inputs FILE or put ${basename(request.filePath).replace(/\.[^.]+$/, '')}.perfloop.json next to the code.`,
  );
}

function reportOf(workload: WorkloadSource, summary: WorkloadSummary, reused?: RememberedSize, captured?: CaptureManifestEntry): WorkloadReport {
  const origin = captured ? 'captured' : workload.kind === 'json' ? 'user-json' : workload.kind === 'module' ? 'user-module' : 'llm-generator';
  return {
    origin,
    ...(captured
      ? {
          capturedFrom: `\`${captured.command.join(' ')}\` on ${captured.capturedAt.slice(0, 10)}`,
          ...(captured.performanceSizes ? { capturedTimedSizes: captured.performanceSizes } : {}),
          heldBackInputs: workload.heldBack?.length ?? 0,
        }
      : {}),
    ...(workload.kind !== 'generator' && workload.path ? { path: workload.path } : {}),
    correctnessInputs: summary.correctnessCount,
    performanceInputs: summary.performanceCount,
    ...(summary.timedSizedN ? { timedSizedN: summary.timedSizedN } : {}),
    ...(reused ? { timedSizeChosenAt: reused.chosenAt } : {}),
    examples: summary.examples,
    originalMutatesArguments: summary.originalMutatesArguments,
    ...(workload.kind === 'generator' ? { generatorSource: workload.source } : {}),
    ...(summary.generatorBesideCode ? { generatorBesideCode: summary.generatorBesideCode } : {}),
  };
}
