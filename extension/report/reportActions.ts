/**
 * What the report panel's buttons do. Nothing touches the user's file except Apply, which goes through one
 * WorkspaceEdit after checking the function is still the code the candidate was verified against.
 */
import * as vscode from 'vscode';
import type { OptimizationReport } from '../../optimizer/types.js';
import { runnerForFile } from '../../profilers/registry.js';
import { inFileEncoding } from '../documentEncoding.js';
import type { ReportViewState, WebviewMessage } from '../../webview-ui/protocol.js';
import type { AppliedPatch, HistoryEntry } from '../history/historyTypes.js';
import { applyCandidate, closeDiffEditors, DiffDocuments, showCandidateDiff, StaleTargetError, type Proposal } from './candidateEdits.js';
import { ReportPanel, type ReportActions } from './reportPanel.js';

export interface HistoryAccess {
  get(id: string): HistoryEntry | undefined;
  update(id: string, change: (entry: HistoryEntry) => HistoryEntry): Promise<unknown>;
}

export class ReportActionHandler implements ReportActions {
  constructor(
    private readonly history: HistoryAccess,
    private readonly diffs: DiffDocuments,
    private readonly log: vscode.LogOutputChannel,
    private readonly cancelRun: (runId: string) => void,
  ) {}

  async handle(runId: string, message: WebviewMessage): Promise<void> {
    const panel = ReportPanel.forRun(runId);
    switch (message.type) {
      case 'cancel':
        this.cancelRun(runId);
        return;
      case 'showLog':
        this.log.show(true);
        return;
      case 'discard':
        panel?.dispose();
        return;
      case 'ready':
        return;
    }
    const report = this.reportOf(runId, panel);
    if (!report?.target) {
      panel?.notice('warning', 'This run has no target yet.');
      return;
    }
    switch (message.type) {
      case 'copy': {
        const candidate = report.candidates.find((c) => c.id === message.candidateId);
        if (!candidate) return;
        await vscode.env.clipboard.writeText(candidate.code);
        panel?.notice('info', `Copied ${candidate.id} to the clipboard.`);
        return;
      }
      case 'showDiff': {
        // Accept on the diff editor follows the panel's Apply rule: a finished run, a candidate verified faster.
        const applicable = this.history.get(runId) !== undefined && report.candidates.find((c) => c.id === message.candidateId)?.verdict === 'faster';
        const document = await this.document(report);
        await showCandidateDiff(runnerForFile(report.target.file), this.diffs, document, report, message.candidateId, applicable ? runId : undefined);
        return;
      }
      case 'revealTarget':
        await this.reveal(report, message.line);
        return;
      case 'apply':
        await this.apply(runId, report, message.candidateId, panel);
        return;
    }
  }

  /** Accept on a diff editor: applies exactly the text its right side shows, then closes it. */
  async acceptProposal(uri: vscode.Uri): Promise<void> {
    const proposal = this.diffs.proposal(uri);
    if (!proposal) {
      void vscode.window.showWarningMessage('Perfloop: this diff can no longer be applied; open it again from the report.');
      return;
    }
    const panel = ReportPanel.forRun(proposal.runId);
    const report = this.reportOf(proposal.runId, panel);
    if (!report?.target) {
      void vscode.window.showWarningMessage('Perfloop: the run of this diff is no longer in the history.');
      return;
    }
    if (await this.apply(proposal.runId, report, proposal.candidateId, panel, proposal)) {
      this.diffs.forget(uri);
      await closeDiffEditors(uri);
    }
  }

  /** Reject on a diff editor: nothing is written; the diff closes. */
  async rejectProposal(uri: vscode.Uri): Promise<void> {
    this.diffs.forget(uri);
    await closeDiffEditors(uri);
  }

  /** The finished report from the history, else the panel's live one (candidates are final as soon as they land). */
  private reportOf(runId: string, panel: ReportPanel | undefined): OptimizationReport | undefined {
    return this.history.get(runId)?.report ?? (panel?.current.report as OptimizationReport | undefined);
  }

  private async document(report: OptimizationReport): Promise<vscode.TextDocument> {
    return inFileEncoding(await vscode.workspace.openTextDocument(vscode.Uri.file(report.target.file)));
  }

  /** Opens the file at the function, or at `line` (1-based, a hot line clicked in the report). */
  private async reveal(report: OptimizationReport, line1?: number): Promise<void> {
    const document = await this.document(report);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
    const line = Math.min(Math.max(0, (line1 ?? report.target.range.start) - 1), document.lineCount - 1);
    editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    editor.selection = new vscode.Selection(line, 0, line, 0);
  }

  /** True when the candidate was applied. */
  private async apply(runId: string, report: OptimizationReport, candidateId: string, panel: ReportPanel | undefined, proposal?: Proposal): Promise<boolean> {
    if (!this.history.get(runId)) {
      // A later candidate may still win: Apply waits for the verdicts of the whole run.
      panel?.notice('warning', 'Wait for the run to finish before applying a candidate.');
      return false;
    }
    const candidate = report.candidates.find((c) => c.id === candidateId);
    if (!candidate) return false;
    if (candidate.verdict !== 'faster') {
      // Only verified, measured-faster code is applied from the report; anything else the user can copy deliberately.
      panel?.notice('warning', `${candidateId} is ${candidate.verdict}; only a candidate verified faster can be applied. Use Copy to take it anyway.`);
      return false;
    }
    const document = await this.document(report);
    let applied: AppliedPatch;
    try {
      applied = await applyCandidate(runnerForFile(report.target.file), document, report, candidateId, proposal);
    } catch (error) {
      if (error instanceof StaleTargetError) {
        // A proposal made stale by an edit says nothing about the function: only the run's own staleness marks the panel.
        if (panel && !proposal) panel.update({ ...panel.current, stale: true });
        void vscode.window.showWarningMessage(`Perfloop: ${error.message}`);
        return false;
      }
      throw error;
    }
    this.log.info(`Applied ${candidateId} of run ${runId} to ${report.target.file}`);
    await this.history.update(runId, (entry) => ({ ...entry, applied }));
    if (panel) {
      const state: ReportViewState = { ...panel.current, applied: { candidateId, at: applied.appliedAt } };
      delete state.stale;
      panel.update(state);
    }
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preserveFocus: true });
    const undo = 'Undo';
    // Not awaited: the notification stays until the user acts, and Apply itself is done.
    void vscode.window
      .showInformationMessage(`Perfloop: applied ${candidateId} to ${report.target.functionName} (one undo step; the file is not saved).`, undo)
      .then(async (choice) => {
        if (choice !== undo) return;
        await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
        await vscode.commands.executeCommand('undo');
      });
    return true;
  }
}
