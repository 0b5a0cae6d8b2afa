/**
 * `perfloop compare`: no LLM. A hand-written candidate goes through exactly the checks and measurements an LLM candidate
 * would, against the same baseline.
 */
import { createTwoFilesPatch } from 'diff';
import { basename } from 'node:path';
import type { LanguageRunner } from '../profilers/runner.js';
import { RunnerError } from '../profilers/runner.js';
import { measureCandidate } from './measureCandidate.js';
import { measureWholeProgram, pathInProject } from './projectCommands.js';
import { prepareRun, RunFailure, type PreparedRun } from './prepareRun.js';
import { TokenTally } from './tokenTally.js';
import {
  DEFAULT_SETTINGS,
  type CandidateResult,
  type OptimizationReport,
  type OptimizeRequest,
  type OptimizeSettings,
  type RunEvent,
} from './types.js';
import type { RunControl } from './optimize.js';

export interface CompareRequest extends OptimizeRequest {
  candidatePath: string;
  candidateText: string;
  /** Defaults to the original's name. */
  candidateFunction?: string;
}

export async function compareCandidate(
  request: CompareRequest,
  deps: { runner?: LanguageRunner } = {},
  control: RunControl = {},
): Promise<OptimizationReport> {
  const settings: OptimizeSettings = { ...DEFAULT_SETTINGS, ...request.settings };
  const startedAt = new Date();
  const emit = (event: RunEvent): void => control.onEvent?.(event);
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    emit({ type: 'warning', message });
  };
  const tokens = new TokenTally();

  if (request.project) pathInProject(request.project, request.filePath);
  let run: PreparedRun | undefined;
  let result: CandidateResult | undefined;
  let error: string | undefined;
  try {
    run = await prepareRun(request, settings, deps, { ...control, emit, warn, tokens });
    const code = await candidateCode(run, request);
    emit({ type: 'candidate-start', id: 'candidate', round: 0 });
    result = await measureCandidate(
      { id: 'candidate', round: 0, code, rationale: `hand-written (${basename(request.candidatePath)})` },
      {
        runner: run.runner,
        target: run.target,
        original: run.original,
        workload: run.workload,
        originalMutatesArguments: run.mutatesArguments,
        baseline: run.baseline,
        settings,
        countInstructions: run.countInstructions,
        ...(request.project ? { project: request.project } : {}),
        ...(control.signal ? { signal: control.signal } : {}),
      },
    );
    emit({ type: 'candidate', candidate: result });
  } catch (caught) {
    if (!(caught instanceof RunFailure) && !control.signal?.aborted) throw caught;
    error = control.signal?.aborted ? 'The run was cancelled.' : (caught as Error).message;
  }

  const finishedAt = new Date();
  const report: OptimizationReport = {
    version: 1,
    target: run?.targetSummary ?? {
      file: request.filePath,
      functionName: request.target.functionName ?? '',
      language: 'unknown',
      range: { start: 0, end: 0 },
      contextNames: [],
    },
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    settings,
    environment: run?.environment ?? { runner: 'unknown', sandbox: 'none', instructionCounter: 'none', timer: 'none' },
    candidates: result ? [result] : [],
    outcome: error ? (control.signal?.aborted ? 'cancelled' : 'failed') : result?.verdict === 'faster' ? 'improved' : 'no-significant-improvement',
    tokenUsage: tokens.total(),
    warnings,
    ...(run ? { workload: run.workloadReport, baseline: run.baseline } : {}),
    ...(error ? { error } : {}),
  };
  if (run && result?.verdict === 'faster') {
    const patchedFileText = await run.runner.applyCandidate(run.target, result.code);
    const name = basename(request.filePath);
    report.best = {
      candidateId: result.id,
      patchedFileText,
      diff: createTwoFilesPatch(`a/${name}`, `b/${name}`, run.target.fileText, patchedFileText, 'original', 'candidate'),
    };
  }
  if (run && result && request.project?.benchCommand && ['faster', 'no-difference', 'slower'].includes(result.verdict)) {
    // compare measures whatever the verdict, so a user can see the whole-program effect of a micro-level "no-difference".
    const patchedFileText = report.best?.patchedFileText ?? (await run.runner.applyCandidate(run.target, result.code));
    const wholeProgram = await measureWholeProgram(request.project, request.filePath, patchedFileText, settings, control.signal);
    if (wholeProgram) report.wholeProgram = wholeProgram;
    if (wholeProgram?.error) warn(`Whole-program timing failed: ${wholeProgram.error}`);
  }
  emit({ type: 'stage', stage: 'finish', message: report.outcome });
  return report;
}

/** The candidate function with what it needs from its own file, renamed to the original's name when it differs. */
async function candidateCode(run: PreparedRun, request: CompareRequest): Promise<string> {
  const wanted = request.candidateFunction ?? run.target.functionName;
  let extracted;
  try {
    extracted = await run.runner.extractTarget(request.candidateText, request.candidatePath, { functionName: wanted });
  } catch (error) {
    if (error instanceof RunnerError) throw new RunnerError(`In the candidate file: ${error.message}`);
    throw error;
  }
  let fn = extracted.functionSource;
  if (wanted !== run.target.functionName) {
    // Recursive calls must follow the rename, so rename every whole-word use inside the function.
    fn = fn.replace(new RegExp(`\\b${wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g'), run.target.functionName);
  }
  return extracted.contextSource.trim() ? `${extracted.contextSource}\n\n\n${fn}\n` : `${fn}\n`;
}
