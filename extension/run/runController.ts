/**
 * Runs the engine from the editor: one run at a time (runs share the CPU they measure), a report panel that fills in
 * live, a cancellable progress notification and status-bar item, the full trace in the log, and the history entry.
 * The run's CancellationToken becomes the AbortSignal that reaches the HTTP request and every child process.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { inFileEncoding } from '../documentEncoding.js';
import { bestCandidate, formatInterval, formatRatio } from '../../optimizer/report/format.js';
import { compareCandidate } from '../../optimizer/compare.js';
import { defaultCacheDir, fileTimedSizeMemory } from '../../optimizer/timedSizeMemory.js';
import { optimize } from '../../optimizer/optimize.js';
import type { LlmProvider } from '../../optimizer/llm/provider.js';
import type { OptimizationReport, OptimizeRequest, RunEvent } from '../../optimizer/types.js';
import type { RunOptions } from '../../optimizer/settings/runOptions.js';
import { ConfigError } from '../../optimizer/settings/valueRules.js';
import { readWorkloadFile, WorkloadFileError } from '../../optimizer/workloadFile.js';
import type { WorkloadSource } from '../../profilers/runner.js';
import { runnerForFile } from '../../profilers/registry.js';
import { RunnerError } from '../../profilers/runner.js';
import { SandboxUnavailableError } from '../../profilers/sandbox/sandboxErrors.js';
import { describeEvent } from '../../cli/progress.js';
import { applyRunEvent, type ReportViewState, type RunStatus } from '../../webview-ui/protocol.js';
import { Config } from '../config.js';
import { createHistoryEntry } from '../history/createHistoryEntry.js';
import type { HistoryEntry } from '../history/historyTypes.js';
import { ProviderUnavailableError, type Providers } from '../providers/providerFactory.js';
import { pythonInterpreterFor } from '../pythonInterpreter.js';
import { LENS_LANGUAGES } from '../codeLens/optimizeCodeLensProvider.js';
import { ReportPanel, type ReportActions } from '../report/reportPanel.js';

export interface RunTarget {
  document: vscode.TextDocument;
  functionName?: string;
  lines?: { start: number; end: number };
}

export interface HistorySink {
  add(entry: HistoryEntry): Promise<void>;
}

interface ActiveRun {
  runId: string;
  functionLabel: string;
  controller: AbortController;
}

export class RunController implements vscode.Disposable {
  private active: ActiveRun | undefined;
  private readonly statusItem: vscode.StatusBarItem;
  private readonly finished = new vscode.EventEmitter<HistoryEntry>();
  /** Fires after every run that produced a report, with its history entry. */
  readonly onDidFinishRun = this.finished.event;
  private readonly failed = new vscode.EventEmitter<string>();
  /** Fires after every run that ended without a report, with the reason shown to the user. */
  readonly onDidFailRun = this.failed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly providers: Providers,
    private readonly history: HistorySink,
    private readonly actions: ReportActions,
    /** Shows a run's report again (from the history when its panel was closed). */
    private readonly reopen: (runId: string) => void,
  ) {
    this.statusItem = vscode.window.createStatusBarItem('perfloop.run', vscode.StatusBarAlignment.Left, 50);
    this.statusItem.name = 'Perfloop run';
    this.statusItem.command = 'perfloop.cancelRun';
  }

  get isRunning(): boolean {
    return this.active !== undefined;
  }

  cancel(): void {
    if (!this.active) {
      void vscode.window.showInformationMessage('Perfloop: no run is in progress.');
      return;
    }
    this.log.info(`Cancelling the run of ${this.active.functionLabel}`);
    this.active.controller.abort(new Error('cancelled by the user'));
  }

  cancelRun(runId: string): void {
    if (this.active?.runId === runId) this.cancel();
  }

  async optimize(target: RunTarget): Promise<OptimizationReport | undefined> {
    return this.run(target, 'optimize');
  }

  async compare(target: RunTarget, candidate: vscode.Uri): Promise<OptimizationReport | undefined> {
    return this.run(target, 'compare', candidate);
  }

  private async run(target: RunTarget, mode: 'optimize' | 'compare', candidateUri?: vscode.Uri): Promise<OptimizationReport | undefined> {
    if (!(await this.preflight(target.document))) return undefined;
    const config = Config.read(target.document.uri);
    if (config.problems.length > 0) {
      await this.refuseSettings(config.problems.join(' '));
      return undefined;
    }
    // The same settings as the CLI's flags: the inputs file, the project directory and its commands (whole-program mode).
    let options: RunOptions;
    let workload: WorkloadSource | undefined;
    try {
      options = config.runOptions(target.document.uri.fsPath, vscode.workspace.getWorkspaceFolder(target.document.uri)?.uri.fsPath);
      workload = options.inputsFile ? readWorkloadFile(options.inputsFile) : undefined;
    } catch (error) {
      if (!(error instanceof ConfigError || error instanceof WorkloadFileError)) throw error;
      await this.refuseSettings(error.message);
      return undefined;
    }
    const label = target.functionName ?? `lines ${target.lines?.start}-${target.lines?.end}`;
    let provider: LlmProvider | undefined;
    if (mode === 'optimize') {
      try {
        provider = await this.providers.create(config);
      } catch (error) {
        if (error instanceof ProviderUnavailableError) {
          const choice = await vscode.window.showErrorMessage(`Perfloop: ${error.message}`, ...(error.action ? [error.action.title] : []));
          if (choice && error.action) await vscode.commands.executeCommand(error.action.command, ...(error.action.args ?? []));
          return undefined;
        }
        throw error;
      }
    }
    const document = await inFileEncoding(target.document);
    const request: OptimizeRequest = {
      filePath: document.uri.fsPath,
      fileText: document.getText(),
      target: target.functionName ? { functionName: target.functionName } : { lines: target.lines ?? { start: 1, end: 1 } },
      settings: options.settings,
      ...(workload ? { workload } : {}),
      ...(options.project ? { project: options.project } : {}),
    };
    const pythonPath = document.languageId === 'python' ? await pythonInterpreterFor(config, document.uri, this.log) : undefined;
    const runnerOptions = { ...options.runner, python: { ...options.runner.python, ...(pythonPath ? { pythonPath } : {}) } };
    const runner = runnerForFile(document.uri.fsPath, runnerOptions, document.getText());

    const runId = randomUUID();
    const controller = new AbortController();
    this.active = { runId, functionLabel: label, controller };
    void vscode.commands.executeCommand('setContext', 'perfloop.running', true);
    let state: ReportViewState = { runId, status: 'running', stage: 'Starting…', report: { candidates: [], warnings: [] } };
    const panel = ReportPanel.show(this.extensionUri, state, this.actions, this.log);
    this.showStatus(label, 'starting');
    this.log.info(`${mode === 'optimize' ? 'Optimizing' : 'Comparing'} ${label} in ${document.uri.fsPath} (run ${runId})`);

    const onEvent = (event: RunEvent): void => {
      this.logEvent(event);
      state = applyRunEvent(state, event);
      if (event.type === 'round-start') this.showStatus(label, `round ${event.round}/${event.rounds}`);
      if (event.type === 'stage' && event.stage !== 'finish') this.showStatus(label, event.message.replace(/…$/, '').toLowerCase());
      panel.update(state);
    };

    let report: OptimizationReport | undefined;
    let failure: string | undefined;
    try {
      report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Perfloop: ${label}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => controller.abort(new Error('cancelled by the user')));
          // Candidates of a round are measured side by side: the notification names all those in flight.
          const inFlight = new Set<string>();
          const withProgress = (event: RunEvent): void => {
            onEvent(event);
            if (event.type === 'candidate-start') inFlight.add(event.id);
            if (event.type === 'candidate') inFlight.delete(event.candidate.id);
            const line = progressLine(event, inFlight);
            if (line) progress.report({ message: line });
          };
          const control = { signal: controller.signal, onEvent: withProgress };
          // The same store as the CLI's, so the editor and the terminal time a function at the same n.
          const timedSizes = fileTimedSizeMemory(defaultCacheDir());
          return mode === 'optimize' && provider
            ? optimize(request, { provider, runner, timedSizes }, control)
            : compareCandidate(await compareRequest(request, candidateUri), { runner, timedSizes }, control);
        },
      );
    } catch (error) {
      // Expected failures (a no-sandbox refusal says what to set) are shown as they are, without a stack in the log.
      if (!(error instanceof RunnerError || error instanceof WorkloadFileError || error instanceof SandboxUnavailableError)) {
        this.log.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      } else {
        // What the user needs to fix it (a compiler's diagnostics) goes to the log the failure notice offers.
        this.log.error(error instanceof RunnerError && error.detail ? `${error.message}\n${error.detail}` : error.message);
      }
      failure = error instanceof Error ? error.message : String(error);
    } finally {
      runner.dispose?.();
      this.active = undefined;
      this.statusItem.hide();
      void vscode.commands.executeCommand('setContext', 'perfloop.running', false);
    }

    const status: RunStatus = report ? statusOf(report) : 'failed';
    state = { ...state, status, stage: report ? state.stage : (failure ?? 'failed'), ...(report ? { report } : {}) };
    if (!report) state.report = { ...state.report, error: failure ?? 'The run failed.' };
    panel.update(state);
    if (report) {
      const entry = createHistoryEntry(report, {
        id: runId,
        file: document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.toString(),
        languageId: document.languageId,
      });
      await this.history.add(entry).catch((error: unknown) => this.log.error(`Could not save the run in the history: ${String(error)}`));
      this.finished.fire(entry);
      void this.announce(report, runId);
    } else {
      this.failed.fire(failure ?? 'The run failed.');
      void this.announceFailure(failure ?? 'The run failed.');
    }
    return report;
  }

  /** Nothing runs in a restricted workspace or on a document Perfloop cannot run. */
  private async preflight(document: vscode.TextDocument): Promise<boolean> {
    if (!vscode.workspace.isTrusted) {
      const choice = await vscode.window.showWarningMessage(
        'Perfloop runs the code it optimizes, so it does nothing in a restricted workspace. Trust this workspace to use it.',
        'Manage Workspace Trust',
      );
      if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
      return false;
    }
    if (document.uri.scheme !== 'file') {
      void vscode.window.showWarningMessage('Perfloop: save the file first (it needs a file on disk to find its imports and inputs).');
      return false;
    }
    if (!(document.languageId in LENS_LANGUAGES)) {
      void vscode.window.showWarningMessage(`Perfloop cannot optimize ${document.languageId} yet (supported: Python, JavaScript, TypeScript, C, C++).`);
      return false;
    }
    if (this.active) {
      const choice = await vscode.window.showWarningMessage(
        `Perfloop is still working on ${this.active.functionLabel}; runs would disturb each other's timings.`,
        'Cancel That Run',
      );
      if (choice) this.cancel();
      return false;
    }
    return true;
  }

  private showStatus(label: string, what: string): void {
    this.statusItem.text = `$(loading~spin) Perfloop: ${label} — ${what}`;
    this.statusItem.tooltip = 'Perfloop is optimizing. Click to cancel.';
    this.statusItem.show();
  }

  private logEvent(event: RunEvent): void {
    if (event.type === 'trace') this.log.info(event.message); // prompts and replies: the log is the full trace
    else if (event.type === 'warning') this.log.warn(event.message);
    else {
      const line = describeEvent(event);
      if (line) this.log.info(line.trim());
    }
  }

  private async announce(report: OptimizationReport, runId: string): Promise<void> {
    const show = 'Show Report';
    let choice: string | undefined;
    if (report.outcome === 'improved') {
      const best = bestCandidate(report);
      const s = best?.speedup;
      choice = await vscode.window.showInformationMessage(
        `Perfloop: ${report.target.functionName} — ${best?.id} is ${s ? `${formatRatio(s.ratio)} faster (95% CI ${formatInterval(s)})` : 'faster'}, verified equivalent.`,
        show,
      );
    } else if (report.outcome === 'no-significant-improvement') {
      choice = await vscode.window.showInformationMessage(`Perfloop: no significant improvement found for ${report.target.functionName}.`, show);
    } else if (report.outcome === 'failed') {
      await this.announceFailure(report.error ?? 'The run failed.');
      return;
    }
    if (choice === show) this.reopen(runId);
  }

  /** A setting the run cannot start with: say which and offer the Settings editor. */
  private async refuseSettings(message: string): Promise<void> {
    this.log.error(message);
    const choice = await vscode.window.showErrorMessage(`Perfloop: ${message}`, 'Open Settings');
    if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'perfloop.');
  }

  private async announceFailure(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(`Perfloop: ${message}`, 'Show Log');
    if (choice) this.log.show(true);
  }

  dispose(): void {
    this.active?.controller.abort(new Error('VS Code is closing'));
    this.statusItem.dispose();
    this.finished.dispose();
    this.failed.dispose();
  }
}

function statusOf(report: OptimizationReport): RunStatus {
  return report.outcome === 'failed' ? 'failed' : report.outcome === 'cancelled' ? 'cancelled' : 'done';
}

function progressLine(event: RunEvent, inFlight: ReadonlySet<string>): string | undefined {
  switch (event.type) {
    case 'stage':
      return event.message;
    case 'round-start':
      return `round ${event.round} of ${event.rounds}: asking the LLM…`;
    case 'candidate-start':
      return `checking and measuring ${[...inFlight].join(', ')}…`;
    case 'candidate':
      return inFlight.size > 0 ? `checking and measuring ${[...inFlight].join(', ')}…` : undefined;
    default:
      return undefined;
  }
}

async function compareRequest(request: OptimizeRequest, candidateUri: vscode.Uri | undefined) {
  if (!candidateUri) throw new Error('No candidate file was chosen.');
  const candidate = await vscode.workspace.openTextDocument(candidateUri);
  return { ...request, candidatePath: candidateUri.fsPath, candidateText: candidate.getText() };
}
