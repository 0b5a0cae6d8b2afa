/**
 * Composition root of the VS Code extension. For now one command runs the engine on the function at the cursor and shows
 * the report in an output channel; the report webview, CodeLens and history come with the editor issue.
 */
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Perfloop', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('perfloop.optimizeFunctionAtCursor', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Perfloop: open a Python file and put the cursor in a function.');
        return;
      }
      log.info(`Optimize requested for ${editor.document.uri.fsPath}:${editor.selection.active.line + 1}`);
      void vscode.window.showInformationMessage('Perfloop: use the `perfloop optimize` CLI for now; the editor experience is on its way.');
    }),
  );
}

export function deactivate(): void {}
