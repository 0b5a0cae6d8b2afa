/**
 * `perfloop optimize --workload "COMMAND"`: where the command's time goes (profileCommand, with the top functions' real
 * inputs captured), the optimization loop on each chosen hot spot (on those inputs), then every verified winner applied
 * together to a copy of the project, gated by the user's test command, and the command timed before and after,
 * interleaved. Whether the whole command got faster is measured, never inferred from the per-function gains: the
 * Amdahl estimate from the shares stands beside the measurement to explain it.
 */
import { createTwoFilesPatch } from 'diff';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { profileCommand } from '../profilers/hotspots/profileCommand.js';
import type { Hotspot, WorkloadProfiler } from '../profilers/hotspots/types.js';
import { runnerForFile, type RunnerOptions } from '../profilers/registry.js';
import { RunnerError } from '../profilers/runner.js';
import { readSourceFile, writeSourceFile, type SourceFile } from '../profilers/sourceFile.js';
import type { FilePatch } from '../profilers/wholeProgram/projectCopy.js';
import { withFileLineEndings } from './candidatePatch.js';
import type { LlmProvider } from './llm/provider.js';
import { optimize } from './optimize.js';
import { runTestCommandOn, timeCommandBeforeAfter } from './projectCommands.js';
import { bestCandidate } from './report/format.js';
import type { RunControl } from './runSession.js';
import type { TimedSizeMemory } from './timedSizeMemory.js';
import {
  DEFAULT_SETTINGS,
  type OptimizationReport,
  type OptimizeSettings,
  type ProjectCommands,
  type RunEvent,
  type WorkloadFunctionResult,
  type WorkloadOptimizationReport,
} from './types.js';
import { WorkloadFileError } from './workloadFile.js';

export interface WorkloadOptimizeRequest {
  /** The user's command, as they would type it in a shell, run from the project root. */
  command: string;
  projectRoot: string;
  /** How many hot spots to optimize, at most. */
  top: number;
  /** Hot spots below this self share of the command's time are left alone (0..1). */
  minShare: number;
  /** Gates the combined patch (run on a copy of the project with it applied). */
  testCommand?: string;
  buildCommand?: string;
  /** Runs of the command per version for the end-to-end timing. */
  benchRuns?: number;
  /** Write the combined patch into the project when the command is measurably faster and the tests pass. */
  apply?: boolean;
  settings?: Partial<OptimizeSettings>;
  /** The longest the command may take as it is (profiling runs get more). */
  commandTimeoutMs: number;
}

export interface WorkloadOptimizeDependencies {
  provider: LlmProvider;
  profilers: readonly WorkloadProfiler[];
  runnerOptions?: RunnerOptions;
  timedSizes?: TimedSizeMemory;
}

export interface WorkloadControl extends RunControl {
  /** Workload-level steps ("Profiling…", "Optimizing 2 of 3: …"). */
  onStep?: (message: string) => void;
  /** Each function's run's own events. */
  onFunctionEvent?: (hotspot: Hotspot, event: RunEvent) => void;
}

/** A command as argv for the profilers when it is plain words (so a program can be wrapped), else through the shell. */
export function commandArgv(command: string): string[] {
  if (/[$`|&;<>(){}*?[\]\\!~#\n]/.test(command)) return ['/bin/sh', '-c', command];
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(command); match; match = pattern.exec(command)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}

/** The hot spots worth a run: the top ones by self share, at least minShare each. */
export function chooseHotspots(hotspots: readonly Hotspot[], top: number, minShare: number): Hotspot[] {
  return hotspots.filter((h) => h.selfShare >= minShare).slice(0, top);
}

/**
 * What the per-function speedups predict for the whole command (Amdahl): each function's share of the profiled run
 * (inclusive: its calls' whole time) shrinks by its speedup. Shares of nested functions overlap, so with both applied
 * the estimate is generous.
 */
export function amdahlPrediction(applied: readonly { inclusiveShare: number; speedup: number }[]): number {
  const saved = applied.reduce((sum, f) => sum + f.inclusiveShare * (1 - 1 / f.speedup), 0);
  return 1 / Math.max(1e-9, 1 - Math.min(saved, 0.999999));
}

export async function optimizeWorkload(
  request: WorkloadOptimizeRequest,
  deps: WorkloadOptimizeDependencies,
  control: WorkloadControl = {},
): Promise<WorkloadOptimizationReport> {
  const startedAt = new Date();
  const settings: OptimizeSettings = { ...DEFAULT_SETTINGS, ...request.settings };
  const step = (message: string): void => control.onStep?.(message);
  const argv = commandArgv(request.command);
  const top = Math.max(1, request.top);

  step(`Profiling \`${request.command}\`…`);
  const hotspots = await profileCommand(argv, {
    projectRoot: request.projectRoot,
    profilers: deps.profilers,
    timeoutMs: request.commandTimeoutMs,
    capture: top,
    ...(control.signal ? { signal: control.signal } : {}),
    onRun: (which) => step({ plain: 'Running it as it is…', profiled: 'Running it under the profiler…', capture: 'Capturing the top functions’ inputs…' }[which]),
  });
  const chosen = chooseHotspots(hotspots.hotspots, top, request.minShare);

  // The files as they were before any run: the combined patch starts from them, and Apply refuses files changed since.
  const sources = new Map<string, SourceFile>();
  const functions: WorkloadFunctionResult[] = [];
  for (const [index, hotspot] of chosen.entries()) {
    const filePath = path.resolve(request.projectRoot, hotspot.file);
    const result: WorkloadFunctionResult = {
      function: hotspot.function,
      file: hotspot.file,
      line: hotspot.line,
      language: hotspot.language,
      selfShare: hotspot.selfShare,
      inclusiveShare: hotspot.inclusiveShare,
      ...(hotspot.capturedInputs !== undefined ? { capturedInputs: hotspot.capturedInputs } : {}),
      applied: false,
    };
    functions.push(result);
    if (control.signal?.aborted) {
      result.error = 'cancelled before its run';
      continue;
    }
    step(`Optimizing ${index + 1} of ${chosen.length}: ${hotspot.function} (${hotspot.file}:${hotspot.line}, ${(hotspot.selfShare * 100).toFixed(1)}% of the time)`);
    let source = sources.get(filePath);
    try {
      source ??= readSourceFile(filePath);
      sources.set(filePath, source);
      const runner = runnerForFile(filePath, deps.runnerOptions);
      try {
        result.report = await optimize(
          { filePath, fileText: source.text, target: { lines: { start: hotspot.line, end: hotspot.line } }, settings },
          { provider: deps.provider, runner, ...(deps.timedSizes ? { timedSizes: deps.timedSizes } : {}) },
          { onEvent: (event) => control.onFunctionEvent?.(hotspot, event), ...(control.signal ? { signal: control.signal } : {}) },
        );
      } finally {
        runner.dispose?.();
      }
      if (result.report.outcome === 'failed') result.error = result.report.error ?? 'the run failed';
    } catch (error) {
      if (!(error instanceof RunnerError) && !(error instanceof WorkloadFileError)) throw error;
      result.error = error.message;
    }
  }

  const report: WorkloadOptimizationReport = {
    version: 1,
    command: request.command,
    projectRoot: request.projectRoot,
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    durationMs: 0,
    hotspots,
    functions,
    patch: [],
    applied: false,
  };
  const finish = (): WorkloadOptimizationReport => {
    const finishedAt = new Date();
    report.finishedAt = finishedAt.toISOString();
    report.durationMs = finishedAt.getTime() - startedAt.getTime();
    return report;
  };
  if (chosen.length === 0) {
    report.note = `No function of the project takes ${(request.minShare * 100).toFixed(0)}% or more of the command's time: nothing to optimize.`;
    return finish();
  }

  const winners = functions.filter((f) => f.report?.outcome === 'improved' && f.report.best);
  if (winners.length === 0) {
    report.note = 'No function got a verified faster version: nothing to combine or time.';
    return finish();
  }
  step(`Combining ${winners.length} verified ${winners.length === 1 ? 'winner' : 'winners'}…`);
  const combined = await combineWinners(winners, sources, deps.runnerOptions);
  report.patch = combined.files;
  for (const f of winners) f.applied = !combined.skipped.has(f);
  for (const [f, why] of combined.skipped) f.error = `left out of the combined patch: ${why}`;
  const patches: FilePatch[] = combined.files.map((f) => ({ relativePath: f.file, newText: f.patchedFileText }));
  if (patches.length === 0) {
    report.note = 'No winner could be applied to the project.';
    return finish();
  }

  const project: ProjectCommands = {
    dir: request.projectRoot,
    ...(request.testCommand ? { testCommand: request.testCommand } : {}),
    ...(request.buildCommand ? { buildCommand: request.buildCommand } : {}),
    ...(request.benchRuns ? { benchRuns: request.benchRuns } : {}),
  };
  if (request.testCommand) {
    step(`Running \`${request.testCommand}\` with the combined patch…`);
    const tests = await runTestCommandOn(project, patches, settings, control.signal);
    report.tests = { command: request.testCommand, passed: tests.passed, ...(tests.passed ? {} : { reason: tests.reason }) };
    if (!tests.passed) {
      report.note = 'The test command fails with the combined patch: it is not timed and not applied.';
      return finish();
    }
  }

  step(`Timing \`${request.command}\` before and after the combined patch, interleaved…`);
  const timed = await timeCommandBeforeAfter(project, request.command, patches, { ...settings, timeoutMs: Math.max(settings.timeoutMs, request.commandTimeoutMs) }, control.signal);
  const applied = winners.filter((f) => f.applied);
  const predicted = amdahlPrediction(
    applied.map((f) => ({ inclusiveShare: f.inclusiveShare, speedup: bestSpeedup(f.report as OptimizationReport) ?? 1 })),
  );
  report.endToEnd = {
    functionsApplied: applied.map((f) => f.function),
    predicted,
    measurement: timed,
    ...(timed.speedup
      ? {
          verdict: timed.speedup.verdict,
          speedup: timed.speedup.ratio,
          ci: [timed.speedup.low, timed.speedup.high] as [number, number],
          runsEach: timed.original?.runs ?? 0,
        }
      : { verdict: 'error' as const }),
  };
  if (request.apply) applyWhenProven(report, sources);
  if (timed.speedup && timed.speedup.verdict !== 'faster') {
    const shares = applied.map((f) => `${f.function} ${(f.inclusiveShare * 100).toFixed(1)}% at ${(bestSpeedup(f.report as OptimizationReport) ?? 1).toFixed(2)}×`).join(', ');
    report.endToEnd.explanation =
      `The optimized functions take ${shares} of the command's profiled time; together they predict at most ${predicted.toFixed(3)}× for the whole command ` +
      `(Amdahl), and the measured ${timed.speedup.ratio.toFixed(3)}× [${timed.speedup.low.toFixed(3)}–${timed.speedup.high.toFixed(3)}] does not clear the ${(settings.noiseThreshold * 100).toFixed(0)}% threshold.`;
  }
  return finish();
}

/** Writes the combined patch when the whole command is `faster` and the tests (if any) passed; otherwise says why not. */
function applyWhenProven(report: WorkloadOptimizationReport, sources: ReadonlyMap<string, SourceFile>): void {
  if (report.endToEnd?.verdict !== 'faster') {
    report.note = 'Not applied: the whole command is not measurably faster with the combined patch.';
    return;
  }
  if (report.tests && !report.tests.passed) return;
  const files = report.patch.map((f) => ({ ...f, filePath: path.resolve(report.projectRoot, f.file) }));
  // Edits made while the runs went on are the user's: nothing is overwritten, and the diffs stay in the report.
  const changed = files.filter((f) => {
    const source = sources.get(f.filePath);
    return !source || !readFileSync(f.filePath).equals(source.bytes);
  });
  if (changed.length > 0) {
    report.note = `Not applied: ${changed.map((f) => f.file).join(', ')} changed during the run. The diffs are in the report.`;
    return;
  }
  for (const f of files) {
    const source = sources.get(f.filePath) as SourceFile;
    writeSourceFile(f.filePath, f.patchedFileText, source.format);
  }
  report.applied = true;
}

function bestSpeedup(report: OptimizationReport): number | undefined {
  const best = bestCandidate(report);
  return best?.speedup?.ratio;
}

interface CombinedPatch {
  files: { file: string; diff: string; patchedFileText: string }[];
  skipped: Map<WorkloadFunctionResult, string>;
}

/**
 * Every winner's candidate applied to its file as it was before the runs; two winners in one file are applied one after
 * the other, each to the text the previous one left (its target found again there).
 */
async function combineWinners(winners: readonly WorkloadFunctionResult[], sources: ReadonlyMap<string, SourceFile>, runnerOptions?: RunnerOptions): Promise<CombinedPatch> {
  const skipped = new Map<WorkloadFunctionResult, string>();
  const byFile = new Map<string, WorkloadFunctionResult[]>();
  for (const w of winners) byFile.set(w.file, [...(byFile.get(w.file) ?? []), w]);
  const files: CombinedPatch['files'] = [];
  for (const [file, inFile] of byFile) {
    const report = inFile[0]?.report as OptimizationReport;
    const filePath = report.target.file;
    const original = sources.get(filePath)?.text;
    if (original === undefined) continue;
    let text = original;
    const runner = runnerForFile(filePath, runnerOptions);
    try {
      for (const w of inFile) {
        const run = w.report as OptimizationReport;
        const best = bestCandidate(run);
        if (!best) continue;
        try {
          const target = await runner.extractTarget(text, filePath, { functionName: run.target.functionName });
          text = withFileLineEndings(text, await runner.applyCandidate(target, best.code));
        } catch (error) {
          if (!(error instanceof RunnerError)) throw error;
          skipped.set(w, error.message);
        }
      }
      if (text === original) continue;
      files.push({ file, patchedFileText: text, diff: createTwoFilesPatch(`a/${file}`, `b/${file}`, original, text, 'original', 'combined patch', { context: 3 }) });
    } finally {
      runner.dispose?.();
    }
  }
  return { files, skipped };
}
