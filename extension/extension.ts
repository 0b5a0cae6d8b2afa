/**
 * Composition root of the VS Code extension: builds the log, providers, history, report panels, CodeLens and run
 * controller, and registers their commands. Thin by design: the engine in optimizer/ does the work.
 */
import * as vscode from 'vscode';
import { parseWebviewMessage, type ReportViewState } from '../webview-ui/protocol.js';
import { onSandboxRun } from '../profilers/sandbox/sandbox.js';
import { registerCommands } from './commands.js';
import { LENS_LANGUAGES, OptimizeCodeLensProvider } from './codeLens/optimizeCodeLensProvider.js';
import { HistoryStore } from './history/historyStore.js';
import type { HistoryEntry } from './history/historyTypes.js';
import { registerHistory } from './history/registerHistory.js';
import { Providers } from './providers/providerFactory.js';
import { DIFF_SCHEME, DiffDocuments, PROPOSAL_SCHEME } from './report/candidateEdits.js';
import { registerDiffEditorCommands } from './report/diffEditorCommands.js';
import { ReportActionHandler } from './report/reportActions.js';
import { REPORT_VIEW_TYPE, ReportPanel } from './report/reportPanel.js';
import { RunController } from './run/runController.js';

/** What the integration tests (and other extensions) can see. */
export interface PerfloopApi {
  history(): readonly HistoryEntry[];
  /** Resolves with the history entry of the next run that finishes; rejects when it ends without a report. */
  nextRun(): Promise<HistoryEntry>;
  reportState(runId: string): ReportViewState | undefined;
  /** Acts as the report panel's buttons do (same validation, same handler). */
  sendReportMessage(runId: string, message: unknown): Promise<void>;
  /** The history as a fresh store reads it from disk: what the next VS Code session will see. */
  historyOnDisk(): Promise<readonly HistoryEntry[]>;
  historyLoaded: Promise<void>;
}

function stateFromHistory(entry: HistoryEntry): ReportViewState {
  const report = entry.report;
  const status = report.outcome === 'failed' ? 'failed' : report.outcome === 'cancelled' ? 'cancelled' : 'done';
  return {
    runId: entry.id,
    status,
    stage: '',
    report,
    ...(entry.applied && !entry.applied.revertedAt ? { applied: { candidateId: entry.applied.candidateId, at: entry.applied.appliedAt } } : {}),
  };
}

export function activate(context: vscode.ExtensionContext): PerfloopApi {
  const log = vscode.window.createOutputChannel('Perfloop', { log: true });
  context.subscriptions.push(log);
  // The log lists every command run in the sandbox, with its outcome (the "commands run" part of the trace).
  const stopTracing = onSandboxRun((run) => {
    const outcome = run.timedOut ? 'timed out' : run.signal ? `killed by ${run.signal}` : `exit ${run.exitCode}`;
    log.info(`[${run.sandbox}] ${run.argv.join(' ')} (in ${run.workDir}): ${outcome} after ${Math.round(run.durationMs)} ms`);
  });
  context.subscriptions.push({ dispose: stopTracing });
  const diffs = new DiffDocuments();
  const providers = new Providers(context.secrets);
  const openReport = (entry: HistoryEntry, panel?: vscode.WebviewPanel): void => {
    ReportPanel.show(context.extensionUri, stateFromHistory(entry), actions, log, panel);
  };
  const storageDir = (context.storageUri ?? context.globalStorageUri).fsPath;
  const lenses = new OptimizeCodeLensProvider(log);
  const history = registerHistory({
    storageDir,
    host: {
      openReport: (entry) => openReport(entry),
      log,
      locateFunction: (document, name, nearLine) => lenses.locateFunction(document, name, nearLine),
    },
  });
  const reopen = (runId: string): void => {
    const open = ReportPanel.forRun(runId);
    if (open) {
      open.update(open.current);
      ReportPanel.show(context.extensionUri, open.current, actions, log);
      return;
    }
    const entry = history.store.get(runId);
    if (entry) openReport(entry);
    else void vscode.window.showWarningMessage('Perfloop: that run is no longer in the history.');
  };
  // eslint-disable-next-line prefer-const -- the handler and the controller refer to each other
  let runs: RunController;
  const actions = new ReportActionHandler(history.store, diffs, log, (runId) => runs.cancelRun(runId));
  runs = new RunController(context.extensionUri, log, providers, history.store, actions, reopen);

  const finishedListeners: { resolve: (entry: HistoryEntry) => void; reject: (error: Error) => void }[] = [];
  context.subscriptions.push(
    diffs,
    history,
    runs,
    lenses,
    vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, diffs),
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, diffs),
    ...registerDiffEditorCommands(actions),
    vscode.languages.registerCodeLensProvider(
      Object.keys(LENS_LANGUAGES).map((language) => ({ language })),
      lenses,
    ),
    history.store.onDidChange(() => lenses.setResults(history.store.list())),
    runs.onDidFinishRun((entry) => {
      for (const listener of finishedListeners.splice(0)) listener.resolve(entry);
    }),
    runs.onDidFailRun((reason) => {
      for (const listener of finishedListeners.splice(0)) listener.reject(new Error(`the run failed: ${reason}`));
    }),
    vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        // Restores a report VS Code kept open across a reload: the run id is in the page's saved state.
        await history.loaded;
        const runId = typeof state === 'object' && state !== null ? (state as { runId?: unknown }).runId : undefined;
        const entry = typeof runId === 'string' ? history.store.get(runId) : undefined;
        if (entry) openReport(entry, panel);
        else panel.dispose();
      },
    }),
    { dispose: () => ReportPanel.disposeAll() },
    ...registerCommands({ runs, providers, log, openReport: reopen }),
  );
  void history.loaded.then(() => lenses.setResults(history.store.list()));
  log.info(`Perfloop ${String(context.extension.packageJSON.version)} activated`);

  return {
    history: () => history.store.list(),
    nextRun: () => new Promise<HistoryEntry>((resolve, reject) => finishedListeners.push({ resolve, reject })),
    reportState: (runId) => ReportPanel.forRun(runId)?.current,
    sendReportMessage: async (runId, data) => {
      const message = parseWebviewMessage(data);
      if (!message) throw new Error(`invalid report message: ${JSON.stringify(data)}`);
      await actions.handle(runId, message);
    },
    historyOnDisk: async () => {
      const fresh = new HistoryStore(storageDir, { onProblem: (m) => log.warn(m) });
      await fresh.load();
      return fresh.list();
    },
    historyLoaded: history.loaded,
  };
}

export function deactivate(): void {}
