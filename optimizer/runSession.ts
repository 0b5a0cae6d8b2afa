/**
 * What `optimize` and `compare` share: settings, events and warnings, token tally, the prepared run, and the assembly
 * of the final report. Each front door only decides which candidates to measure.
 */
import { bestCandidate, formatInterval, formatRatio } from './report/format.js';
import { availableParallelism } from 'node:os';
import { patchCandidate, type CandidatePatch } from './candidatePatch.js';
import type { LlmProvider } from './llm/provider.js';
import { RedactingProvider } from './llm/redactingProvider.js';
import type { MeasureContext } from './measureCandidate.js';
import { defaultParallelCandidates, MeasurementGate } from './measurementGate.js';
import { prepareRun, type PrepareDependencies, type PreparedRun } from './prepareRun.js';
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
  /** Stops the preparation when the run is already known to fail (see preflight.ts); not a cancellation. */
  private readonly preparation = new AbortController();

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
    this.located = new Promise((resolve) => (this.markLocated = resolve));
    // A file outside the project cannot be patched into a copy of it: say so before any work.
    if (request.project) pathInProject(request.project, request.filePath);
  }

  get signal(): AbortSignal | undefined {
    return this.control.signal;
  }

  get aborted(): boolean {
    return this.control.signal?.aborted ?? false;
  }

  /** Resolves once the target is found: a mistake in the user's file is reported before one in the configuration. */
  readonly located: Promise<void>;
  isLocated = false;
  private markLocated: () => void = () => undefined;
  /** Set by report(): a preparation overtaken by a failed preflight may still be ending, and must stay quiet. */
  private reported = false;

  emit(event: RunEvent): void {
    if (this.reported) return;
    if (event.type === 'target') {
      this.isLocated = true;
      this.markLocated();
    }
    this.control.onEvent?.(event);
  }

  warn(message: string): void {
    this.warnings.push(message);
    this.emit({ type: 'warning', message });
  }

  private redacting: RedactingProvider | undefined;

  /** `provider` behind the run's one door to the LLM: every prompt is redacted on its way out (see redact.ts). */
  guard(provider: LlmProvider): RedactingProvider {
    this.redacting = new RedactingProvider(provider, (kinds) =>
      this.emit({ type: 'log', message: `Redacted from the prompt before sending it: ${kinds.join(', ')}` }),
    );
    return this.redacting;
  }

  /** Ends `prepare` early (its promise rejects): the caller knows why and reports that. */
  stopPreparation(): void {
    this.preparation.abort();
  }

  async prepare(deps: PrepareDependencies): Promise<PreparedRun> {
    const caller = this.control.signal;
    this.prepared = await prepareRun(this.request, this.settings, deps, {
      signal: caller ? AbortSignal.any([caller, this.preparation.signal]) : this.preparation.signal,
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
      ...(run.originalCount ? { originalCount: run.originalCount } : {}),
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
      ...(this.redacting?.summary() ? { redactions: this.redacting.summary() } : {}),
      warnings: this.warnings,
      ...(prepared ? { workload: prepared.workloadReport, baseline: prepared.baseline } : {}),
      ...outcome,
    };
    this.prepared?.runner.dispose?.();
    this.emit({ type: 'stage', stage: 'finish', message: describeOutcome(report) });
    this.reported = true;
    return report;
  }
}

function describeOutcome(report: OptimizationReport): string {
  switch (report.outcome) {
    case 'improved': {
      const best = bestCandidate(report);
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
