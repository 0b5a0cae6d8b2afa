/**
 * Composition root of the VS Code extension. This first version runs the engine on the function at the cursor with a
 * cancellable progress notification and opens the Markdown report beside the code; the report webview, CodeLens, Apply
 * and history come with the editor issue.
 */
import * as vscode from 'vscode';
import { OpenAICompatibleProvider } from '../optimizer/llm/openaiProvider.js';
import { optimize } from '../optimizer/optimize.js';
import { renderMarkdownReport } from '../optimizer/report/markdown.js';
import { describeEvent } from '../cli/progress.js';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Perfloop', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('perfloop.optimizeFunctionAtCursor', () => optimizeAtCursor(log)),
  );
}

async function optimizeAtCursor(log: vscode.LogOutputChannel): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'python') {
    void vscode.window.showInformationMessage('Perfloop: put the cursor inside a Python function first.');
    return;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Perfloop runs code, so it only works in a trusted workspace.');
    return;
  }
  const config = vscode.workspace.getConfiguration('perfloop');
  const line = editor.selection.active.line + 1;
  const provider = new OpenAICompatibleProvider({
    baseURL: config.get<string>('baseUrl') || process.env.PERFLOOP_BASE_URL || 'https://api.openai.com/v1',
    model: config.get<string>('model') || process.env.PERFLOOP_MODEL || 'gpt-4o-mini',
    ...(process.env.PERFLOOP_API_KEY ? { apiKey: process.env.PERFLOOP_API_KEY } : {}),
  });
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Perfloop', cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort(new Error('cancelled')));
      try {
        return await optimize(
          {
            filePath: editor.document.uri.fsPath,
            fileText: editor.document.getText(),
            target: { lines: { start: line, end: line } },
          },
          { provider },
          {
            signal: controller.signal,
            onEvent: (event) => {
              const text = describeEvent(event);
              if (!text) return;
              log.info(text.trim());
              if (event.type === 'stage' || event.type === 'round-start' || event.type === 'candidate') progress.report({ message: text.trim() });
            },
          },
        );
      } catch (error) {
        log.error(error instanceof Error ? error.message : String(error));
        void vscode.window.showErrorMessage(`Perfloop: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    },
  );
  if (!report) return;
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: renderMarkdownReport(report) });
  await vscode.window.showTextDocument(document, vscode.ViewColumn.Beside);
}

export function deactivate(): void {}
