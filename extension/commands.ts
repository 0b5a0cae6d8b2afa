/** The editor commands that start, cancel and revisit runs, and manage the LLM settings. */
import * as vscode from 'vscode';
import type { Providers } from './providers/providerFactory.js';
import type { RunController } from './run/runController.js';

export interface CommandDeps {
  runs: RunController;
  providers: Providers;
  log: vscode.LogOutputChannel;
  openReport(runId: string): void;
}

/** Extensions of the files "Compare With Candidate…" offers: every language with a runner. */
export const CANDIDATE_FILE_EXTENSIONS = ['py', 'js', 'mjs', 'ts', 'mts', 'c', 'h', 'cpp', 'cc', 'cxx', 'hpp', 'hh'];

/**
 * The editor a command acts on. Any language is accepted here: the run controller tells the user when a file's language
 * has no runner (Python, JavaScript, TypeScript, C and C++ do).
 */
function sourceEditor(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Perfloop: open a Python, JavaScript, TypeScript, C or C++ file and put the cursor in a function.');
    return undefined;
  }
  return editor;
}

function isLineRange(value: unknown): value is { start: number; end: number } {
  if (typeof value !== 'object' || value === null) return false;
  const { start, end } = value as { start?: unknown; end?: unknown };
  return Number.isInteger(start) && Number.isInteger(end) && (start as number) >= 1 && (end as number) >= (start as number);
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { runs, providers } = deps;
  return [
    vscode.commands.registerCommand('perfloop.optimizeSelection', async () => {
      const editor = sourceEditor();
      if (!editor) return;
      const { start, end } = editor.selection;
      // A selection ending at column 0 of the next line means "up to the previous line".
      const endLine = end.character === 0 && end.line > start.line ? end.line : end.line + 1;
      await runs.optimize({ document: editor.document, lines: { start: start.line + 1, end: endLine } });
    }),
    vscode.commands.registerCommand('perfloop.optimizeFunctionAtCursor', async () => {
      const editor = sourceEditor();
      if (!editor) return;
      const line = editor.selection.active.line + 1;
      await runs.optimize({ document: editor.document, lines: { start: line, end: line } });
    }),
    // From a CodeLens: the function by name, or (an overloaded C++ name) by its 1-based lines, which pick the definition.
    vscode.commands.registerCommand('perfloop.optimizeFunction', async (uri?: vscode.Uri, functionName?: string, lines?: unknown) => {
      if (!(uri instanceof vscode.Uri) || typeof functionName !== 'string') {
        await vscode.commands.executeCommand('perfloop.optimizeFunctionAtCursor');
        return;
      }
      const document = await vscode.workspace.openTextDocument(uri);
      await runs.optimize(isLineRange(lines) ? { document, lines } : { document, functionName });
    }),
    vscode.commands.registerCommand('perfloop.compareWithCandidate', async (candidateUri?: unknown) => {
      const editor = sourceEditor();
      if (!editor) return;
      // A URI argument (from another extension or a test) skips the file dialog.
      const picked = candidateUri instanceof vscode.Uri ? [candidateUri] : await vscode.window.showOpenDialog({
        title: 'Perfloop: the file with your faster version of this function (same name)',
        canSelectMany: false,
        filters: { Source: CANDIDATE_FILE_EXTENSIONS },
        defaultUri: vscode.Uri.joinPath(editor.document.uri, '..'),
      });
      const candidate = picked?.[0];
      if (!candidate) return;
      const line = editor.selection.active.line + 1;
      await runs.compare({ document: editor.document, lines: { start: line, end: line } }, candidate);
    }),
    vscode.commands.registerCommand('perfloop.cancelRun', () => runs.cancel()),
    vscode.commands.registerCommand('perfloop.openReport', (runId?: unknown) => {
      if (typeof runId === 'string') deps.openReport(runId);
    }),
    vscode.commands.registerCommand('perfloop.setApiKey', () => providers.setApiKey()),
    vscode.commands.registerCommand('perfloop.clearApiKey', () => providers.clearApiKey()),
    vscode.commands.registerCommand('perfloop.selectModel', () => providers.selectModel()),
    vscode.commands.registerCommand('perfloop.showLog', () => deps.log.show(true)),
  ];
}
