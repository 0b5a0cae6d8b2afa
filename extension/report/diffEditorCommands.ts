/**
 * Accept and Reject on the title bar of a candidate's diff editor (package.json shows them when the right side is a
 * proposal). Accept writes exactly what that diff shows; Reject closes it and writes nothing.
 */
import * as vscode from 'vscode';
import { PROPOSAL_SCHEME } from './candidateEdits.js';

export interface ProposalActions {
  acceptProposal(uri: vscode.Uri): Promise<void>;
  rejectProposal(uri: vscode.Uri): Promise<void>;
}

/** The proposal a command acts on: the URI the title bar passes, else the active diff editor's right side. */
function proposalUri(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri && argument.scheme === PROPOSAL_SCHEME) return argument;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputTextDiff && input.modified.scheme === PROPOSAL_SCHEME ? input.modified : undefined;
}

export function registerDiffEditorCommands(actions: ProposalActions): vscode.Disposable[] {
  const command = (id: string, act: (uri: vscode.Uri) => Promise<void>): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (argument?: unknown) => {
      const uri = proposalUri(argument);
      if (uri) await act(uri);
      else void vscode.window.showInformationMessage('Perfloop: open a candidate’s diff from the report (Show diff) to accept or reject it.');
    });
  return [command('perfloop.diff.accept', (uri) => actions.acceptProposal(uri)), command('perfloop.diff.reject', (uri) => actions.rejectProposal(uri))];
}
