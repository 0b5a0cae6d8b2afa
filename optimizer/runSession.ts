/**
 * What `optimize` and `compare` share: settings, events and warnings, token tally, the prepared run, and the assembly
 * of the final report. Each front door only decides which candidates to measure.
 */
import { formatInterval, formatRatio } from './report/format.js';
import { availableParallelism } from 'node:os';
import type { LanguageRunner } from '../profilers/runner.js';
import { patchCandidate, type CandidatePatch } from './candidatePatch.js';
import type { LlmProvider } from './llm/provider.js';
import type { MeasureContext } from './measureCandidate.js';
import { defaultParallelCandidates, MeasurementGate } from './measurementGate.js';
import { prepareRun, type PreparedRun } from './prepareRun.js';
import { measureWholeProgram, pathInProject } from './projectCommands.js';
import { rankCandidates } from './ranking.js';
import { TokenTally } from './tokenTally.js';
import {
  DEFAULT_SETTINGS,
  type CandidateResult,
  type OptimizationReport,
  type OptimizeRequest,
  type OptimizeSettings,
  type RunEvent,
  type RunEventListener,
  type WholeProgramReport,
} from './types.js';

export interface RunControl {
  signal?: AbortSignal;
  onEvent?: RunEventListener;
}

export class RunSession {
  readonly settings: OptimizeSettings;
  readonly tokens = new TokenTally();
  readonly warnings: string[] = [];
  private readonly startedAt = new Date();
  private prepared: PreparedRun | undefined;
  /** Shared by every candidate of the run: timing alone, the rest side by side (see measurementGate.ts). */
  readonly gate: MeasurementGate;

  constructor(
    private readonly request: OptimizeRequest,
    private readonly control: RunControl,
  ) {
    const settings = { ...DEFAULT_SETTINGS, ...request.settings };
    // The report states the number used, not "auto".
    if (!(settings.parallelCandidates >= 1)) settings.parallelCandidates = defaultParallelCandidates(availableParallelism());
    settings.parallelCandidates = Math.floor(settings.parallelCandidates);
    this.settings = settings;
    this.gate = new MeasurementGate(settings.parallelCandidates);
    // A file outside the project cannot be patched into a copy of it: say so before any work.
    if (request.project) pathInProject(request.project, request.filePath);
  }

  get signal(): AbortSignal | undefined {
    return this.control.signal;
  }

  get aborted(): boolean {
    return this.control.signal?.aborted ?? false;
  }

  emit(event: RunEvent): void {
    this.control.onEvent?.(event);
  }

  warn(message: string): void {
    this.warnings.push(message);
    this.emit({ type: 'warning', message });
  }

  async prepare(deps: { provider?: LlmProvider; runner?: LanguageRunner }): Promise<PreparedRun> {
    this.prepared = await prepareRun(this.request, this.settings, deps, {
      ...(this.control.signal ? { signal: this.control.signal } : {}),
      emit: (e) => this.emit(e),
      warn: (m) => this.warn(m),
      tokens: this.tokens,
    });
    return this.prepared;
  }

  measureContext(run: PreparedRun): MeasureContext {
    return {
      runner: run.runner,
      target: run.target,
      original: run.original,
      workload: run.workload,
      originalMutatesArguments: run.mutatesArguments,
      baseline: run.baseline,
      settings: this.settings,
      countInstructions: run.countInstructions,
      gate: this.gate,
      ...(this.request.project ? { project: this.request.project } : {}),
      ...(this.control.signal ? { signal: this.control.signal } : {}),
    };
  }

  /** The user's file with `code` applied, and the unified diff from the file as it was when the run started. */
  patch(run: PreparedRun, code: string, label: string): Promise<CandidatePatch> {
    return patchCandidate(run.runner, run.target, code, label);
  }

  /** The user's benchmark command before and after `patchedFileText`, when one is configured. */
  async wholeProgram(run: PreparedRun, label: string, patchedFileText: string): Promise<WholeProgramReport | undefined> {
    const project = this.request.project;
    if (!project?.benchCommand) return undefined;
    this.emit({ type: 'stage', stage: 'finish', message: `Timing \`${project.benchCommand}\` before and after ${label}` });
    const report = await measureWholeProgram(project, run.target.filePath, patchedFileText, this.settings, this.control.signal);
    if (report?.error) this.warn(`Whole-program timing failed: ${report.error}`);
    return report;
  }

  report(candidates: readonly CandidateResult[], outcome: Pick<OptimizationReport, 'outcome'> & Partial<OptimizationReport>): OptimizationReport {
    const finishedAt = new Date();
    const prepared = this.prepared;
    const report: OptimizationReport = {
      version: 1,
      target: prepared?.targetSummary ?? {
        file: this.request.filePath,
        functionName: this.request.target.functionName ?? '',
        language: 'unknown',
        range: this.request.target.lines ?? { start: 0, end: 0 },
        contextNames: [],
      },
      startedAt: this.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - this.startedAt.getTime(),
      settings: this.settings,
      environment: prepared?.environment ?? { runner: 'unknown', sandbox: 'none', instructionCounter: 'none', timer: 'none' },
      candidates: rankCandidates(candidates),
      tokenUsage: this.tokens.total(),
      warnings: this.warnings,
      ...(prepared ? { workload: prepared.workloadReport, baseline: prepared.baseline } : {}),
      ...outcome,
    };
    this.emit({ type: 'stage', stage: 'finish', message: describeOutcome(report) });
    return report;
  }
}

function describeOutcome(report: OptimizationReport): string {
  switch (report.outcome) {
    case 'improved': {
      const best = report.candidates.find((c) => c.id === report.best?.candidateId);
      const s = best?.speedup;
      return s ? `${best.id} is ${formatRatio(s.ratio)} faster (95% CI ${formatInterval(s)})` : 'improved';
    }
    case 'no-significant-improvement':
      return 'no significant improvement found';
    case 'cancelled':
      return 'cancelled';
    case 'failed':
      return `failed: ${report.error ?? 'unknown error'}`;
  }
}
