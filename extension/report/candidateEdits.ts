/**
 * Apply and Show Diff for a candidate of a finished run. Both take the patched file from optimizer/candidatePatch.ts, so
 * the diff editor shows what Apply writes, and Accept on that diff editor applies exactly its right side. Apply is one
 * WorkspaceEdit (one undo step) and is refused when the function no longer reads as it did when the run measured it: a
 * candidate proven against other code proves nothing.
 */
import * as vscode from 'vscode';
import { patchCandidate } from '../../optimizer/candidatePatch.js';
import type { CandidateResult, OptimizationReport } from '../../optimizer/types.js';
import type { LanguageRunner } from '../../profilers/runner.js';
import { RunnerError } from '../../profilers/runner.js';
import type { AppliedPatch } from '../history/historyTypes.js';
import { minimalReplacement } from '../../profilers/minimalEdit.js';

export const DIFF_SCHEME = 'perfloop-diff';
/** The right side of a diff that Accept may apply (package.json shows Accept and Reject on it). */
export const PROPOSAL_SCHEME = 'perfloop-proposal';

/** What a diff editor proposes: `after` replaces the document's text, if that is still `before`. */
export interface Proposal {
  runId: string;
  candidateId: string;
  documentUri: string;
  before: string;
  after: string;
}

/** The function changed (or vanished) since the run: Apply is refused with this message. */
export class StaleTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaleTargetError';
  }
}

/** Read-only virtual documents for the diff editor (original vs candidate), kept while VS Code shows them. */
export class DiffDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly proposals = new Map<string, Proposal>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** A URI that keeps the file name (so the language is detected) under a private scheme; a proposal's can be accepted. */
  add(fileName: string, label: string, text: string, proposal?: Proposal): vscode.Uri {
    const scheme = proposal ? PROPOSAL_SCHEME : DIFF_SCHEME;
    const uri = vscode.Uri.from({ scheme, path: `/${++this.counter}/${label}/${fileName}` });
    this.texts.set(uri.toString(), text);
    if (proposal) this.proposals.set(uri.toString(), proposal);
    // Bounded: old diffs are rarely reopened, and each can hold a whole file.
    if (this.texts.size > 40) this.forget(this.texts.keys().next().value as string);
    return uri;
  }

  proposal(uri: vscode.Uri): Proposal | undefined {
    return this.proposals.get(uri.toString());
  }

  forget(uri: vscode.Uri | string): void {
    this.texts.delete(uri.toString());
    this.proposals.delete(uri.toString());
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
    this.proposals.clear();
  }
}

function candidateOf(report: OptimizationReport, candidateId: string): CandidateResult {
  const candidate = report.candidates.find((c) => c.id === candidateId);
  if (!candidate) throw new Error(`No candidate ${candidateId} in this report.`);
  if (!candidate.code.trim()) throw new Error(`${candidateId} has no code (the reply could not be used).`);
  return candidate;
}

/** The document's current text with the candidate applied, after checking the function is unchanged since the run. */
async function patchedText(runner: LanguageRunner, document: vscode.TextDocument, report: OptimizationReport, candidate: CandidateResult): Promise<string> {
  const text = document.getText();
  let current;
  try {
    current = await runner.extractTarget(text, document.uri.fsPath, { functionName: report.target.functionName });
  } catch (error) {
    if (error instanceof RunnerError) {
      throw new StaleTargetError(`\`${report.target.functionName}\` is no longer in ${vscode.workspace.asRelativePath(document.uri)}; nothing was applied.`);
    }
    throw error;
  }
  if (report.target.source !== undefined && current.functionSource !== report.target.source) {
    throw new StaleTargetError(
      `\`${report.target.functionName}\` changed since the run, so its candidates were verified against different code. ` +
        'Nothing was applied: run Optimize again.',
    );
  }
  return (await patchCandidate(runner, current, candidate.code, candidate.id)).patchedFileText;
}

/** Applies the candidate to the document; with a proposal (Accept on a diff editor), exactly the text that diff showed. */
export async function applyCandidate(
  runner: LanguageRunner,
  document: vscode.TextDocument,
  report: OptimizationReport,
  candidateId: string,
  proposal?: Proposal,
): Promise<AppliedPatch> {
  const candidate = candidateOf(report, candidateId);
  const before = document.getText();
  if (proposal && proposal.before !== before) {
    throw new StaleTargetError('The file changed since the diff was shown, so it no longer shows what Accept would write. Nothing was applied: open the diff again.');
  }
  const after = proposal ? proposal.after : await patchedText(runner, document, report, candidate);
  const replacement = minimalReplacement(before, after);
  if (!replacement) throw new Error(`${candidateId} is already what the file contains.`);
  const edit = new vscode.WorkspaceEdit();
  const range = new vscode.Range(document.positionAt(replacement.start), document.positionAt(replacement.end));
  edit.replace(document.uri, range, replacement.text, { label: `Perfloop: apply ${candidateId}`, needsConfirmation: false });
  // The document may have changed while we computed the patch (a keystroke): re-check at the last moment.
  if (document.getText() !== before) throw new StaleTargetError('The file changed while the candidate was being applied; nothing was applied.');
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code refused the edit (is the file read-only?).');
  return { candidateId, appliedAt: new Date().toISOString(), before: replacement.replaced, after: replacement.text };
}

/**
 * Opens VS Code's diff editor: the current file against the file as Apply would write it. With `acceptFor` (the run's
 * id, when the candidate may be applied) the right side is a proposal: Accept and Reject sit on the editor's title bar.
 */
export async function showCandidateDiff(
  runner: LanguageRunner,
  diffs: DiffDocuments,
  document: vscode.TextDocument,
  report: OptimizationReport,
  candidateId: string,
  acceptFor?: string,
): Promise<void> {
  const candidate = candidateOf(report, candidateId);
  const name = document.uri.path.split('/').pop() ?? 'file.py';
  let left: string;
  let right: string;
  let proposal: Proposal | undefined;
  try {
    left = document.getText();
    right = await patchedText(runner, document, report, candidate);
    if (acceptFor) proposal = { runId: acceptFor, candidateId, documentUri: document.uri.toString(), before: left, after: right };
  } catch (error) {
    if (!(error instanceof StaleTargetError)) throw error;
    // The file moved on: show the function as measured against the candidate (still worth reading), with nothing to accept.
    left = report.target.source ?? '';
    right = candidate.code;
  }
  await vscode.commands.executeCommand(
    'vscode.diff',
    diffs.add(name, 'original', left),
    diffs.add(name, candidateId, right, proposal),
    `${report.target.functionName}: original ↔ ${candidateId}${proposal ? ' (Accept applies this)' : ''}`,
    { preview: true, viewColumn: vscode.ViewColumn.Active },
  );
}

/** Closes the diff editors whose right side is `uri`. */
export async function closeDiffEditors(uri: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === uri.toString());
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}
