/**
 * The history view's commands. Item commands receive the tree element (a HistoryEntry snapshot, possibly stale), so each
 * one looks the entry up again by id; from a keybinding they act on the view's selection.
 */
import * as vscode from 'vscode';
import { findPythonFunction } from './findPythonFunction.js';
import { historyEntryUri } from './historyEntryUri.js';
import type { HistoryStore } from './historyStore.js';
import { HISTORY_VIEW_ID, OPEN_REPORT_COMMAND } from './historyTreeProvider.js';
import type { HistoryEntry } from './historyTypes.js';
import { planRevert } from './planRevert.js';

/** What the history needs from the rest of the extension. */
export interface HistoryHost {
  /** Shows the run's report (the report panel, from `entry.report`). */
  openReport(entry: HistoryEntry): void | Thenable<void>;
  log: vscode.LogOutputChannel;
  /**
   * The function's current range, found by name (lines move as the file is edited); `nearLine` (0-based, where it was)
   * breaks ties. Optional: without it, or when it finds nothing, Python falls back to a plain-text search.
   */
  locateFunction?(document: vscode.TextDocument, name: string, nearLine: number): vscode.Range | undefined | Thenable<vscode.Range | undefined>;
}

export const HISTORY_COMMANDS = {
  openReport: OPEN_REPORT_COMMAND,
  revealCode: 'perfloop.history.revealCode',
  revert: 'perfloop.history.revert',
  delete: 'perfloop.history.delete',
  clear: 'perfloop.history.clear',
  export: 'perfloop.history.export',
  show: 'perfloop.showHistory',
} as const;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isEntryLike(value: unknown): value is Pick<HistoryEntry, 'id'> {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}

interface ExportChoice extends vscode.QuickPickItem {
  format: 'markdown' | 'json';
  destination: 'file' | 'editor';
}

export function registerHistoryCommands(store: HistoryStore, view: vscode.TreeView<HistoryEntry>, host: HistoryHost): vscode.Disposable {
  const { log } = host;
  const displayPath = (file: string): string => vscode.workspace.asRelativePath(historyEntryUri(file), false);

  /** Every command runs through here: a failure is logged and shown briefly with a way to the log, never swallowed. */
  const command = (id: string, run: (...args: unknown[]) => Promise<void>): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await run(...args);
      } catch (error) {
        log.error(`${id}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        const action = await vscode.window.showErrorMessage(`Perfloop: ${errorMessage(error)}`, 'Show Log');
        if (action) log.show(true);
      }
    });

  /** The entry a command is about, as stored now; undefined (and said so) when it is gone. */
  const entryFor = (arg: unknown): HistoryEntry | undefined => {
    const target = isEntryLike(arg) ? arg : view.selection[0];
    if (!target) {
      void vscode.window.showInformationMessage('Perfloop: select a run in the history first.');
      return undefined;
    }
    const entry = store.get(target.id);
    if (!entry) void vscode.window.showInformationMessage('Perfloop: that run is no longer in the history.');
    return entry;
  };

  const openDocument = async (entry: HistoryEntry): Promise<vscode.TextDocument | undefined> => {
    try {
      return await vscode.workspace.openTextDocument(historyEntryUri(entry.file));
    } catch (error) {
      log.warn(`Could not open ${entry.file}: ${errorMessage(error)}`);
      void vscode.window.showWarningMessage(`Perfloop: ${displayPath(entry.file)} cannot be opened (it may have been moved or deleted).`);
      return undefined;
    }
  };

  const locate = async (document: vscode.TextDocument, entry: HistoryEntry): Promise<vscode.Range | undefined> => {
    const nearLine = Math.max(0, entry.line - 1);
    if (host.locateFunction) {
      try {
        const range = await host.locateFunction(document, entry.functionName, nearLine);
        if (range) return range;
      } catch (error) {
        log.warn(`Locating ${entry.functionName} in ${entry.file} failed: ${errorMessage(error)}`);
      }
    }
    // The plain-text fallback also helps when the precise locator cannot parse a file that is mid-edit.
    if (document.languageId !== 'python') return undefined;
    const span = findPythonFunction(document.getText(), entry.functionName, nearLine);
    return span && new vscode.Range(span.startLine, 0, span.endLine, document.lineAt(span.endLine).text.length);
  };

  const openReport = async (arg: unknown): Promise<void> => {
    const entry = entryFor(arg);
    if (entry) await host.openReport(entry);
  };

  const revealCode = async (arg: unknown): Promise<void> => {
    const entry = entryFor(arg);
    const document = entry && (await openDocument(entry));
    if (!entry || !document) return;
    const range = await locate(document, entry);
    if (range) {
      await vscode.window.showTextDocument(document, { selection: range });
      return;
    }
    const line = Math.min(Math.max(0, entry.line - 1), document.lineCount - 1);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(line, 0, line, 0) });
    void vscode.window.showInformationMessage(
      `Perfloop: ${entry.functionName} was not found in ${displayPath(entry.file)}; showing line ${entry.line}, where it was.`,
    );
  };

  const revert = async (arg: unknown): Promise<void> => {
    const entry = entryFor(arg);
    if (!entry) return;
    const applied = entry.applied;
    if (!applied || applied.revertedAt) {
      void vscode.window.showInformationMessage(`Perfloop: nothing to revert; this run of ${entry.functionName} is not applied.`);
      return;
    }
    const document = await openDocument(entry);
    if (!document) return;
    const located = await locate(document, entry);
    // No await between reading the text and building the edit, so the offsets describe the text the edit applies to.
    const plan = planRevert(
      document.getText(),
      applied,
      located && { start: document.offsetAt(located.start), end: document.offsetAt(located.end) },
    );
    if (plan.kind === 'changed') {
      void vscode.window.showWarningMessage(`Perfloop: the code of ${entry.functionName} changed since it was applied; nothing reverted.`);
      return;
    }
    if (plan.kind === 'ambiguous') {
      void vscode.window.showWarningMessage(
        `Perfloop: the applied code of ${entry.functionName} appears ${plan.occurrences} times in ${displayPath(entry.file)}; nothing reverted.`,
      );
      return;
    }
    const range = new vscode.Range(document.positionAt(plan.start), document.positionAt(plan.end));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, range, plan.text);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showWarningMessage(`Perfloop: VS Code refused the edit; ${entry.functionName} was not reverted.`);
      return;
    }
    const revertedAt = new Date().toISOString();
    await store.update(entry.id, (e) => (e.applied ? { ...e, applied: { ...e.applied, revertedAt } } : e));
    log.info(`Reverted ${entry.functionName} in ${entry.file} (run ${entry.id})`);
    const start = document.positionAt(plan.start);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(start, document.positionAt(plan.start + plan.text.length)) });
    void vscode.window.showInformationMessage(`Perfloop: reverted ${entry.functionName}. Undo brings the optimized version back.`);
  };

  /**
   * With several rows selected, the context menu passes the clicked row and the selection: delete the selection. From a
   * keybinding (no arguments), delete what is selected.
   */
  const remove = async (arg: unknown, selected?: unknown): Promise<void> => {
    const selection = Array.isArray(selected) ? selected.filter(isEntryLike) : [];
    const targets = !isEntryLike(arg) ? view.selection : selection.some((s) => s.id === arg.id) ? selection : [arg];
    for (const { id } of targets) await store.remove(id);
  };

  const clear = async (): Promise<void> => {
    const count = store.list().length;
    if (count === 0) {
      void vscode.window.showInformationMessage('Perfloop: the history is already empty.');
      return;
    }
    const confirm = 'Delete All';
    const answer = await vscode.window.showWarningMessage(
      `Delete all ${count === 1 ? '1 run' : `${count} runs`} from the Perfloop history?`,
      { modal: true, detail: 'Code you applied stays as it is. This cannot be undone.' },
      confirm,
    );
    if (answer === confirm) await store.clear();
  };

  const exportHistory = async (): Promise<void> => {
    const count = store.list().length;
    if (count === 0) {
      void vscode.window.showInformationMessage('Perfloop: the history is empty; nothing to export.');
      return;
    }
    const choices: ExportChoice[] = [
      { label: '$(markdown) Markdown table', detail: 'When, function, file, outcome, speedup, applied — save to a file', format: 'markdown', destination: 'file' },
      { label: '$(json) JSON', detail: 'Every run with its full report — save to a file', format: 'json', destination: 'file' },
      { label: '$(go-to-file) Markdown table in an editor', detail: 'Open as an untitled document', format: 'markdown', destination: 'editor' },
    ];
    const choice = await vscode.window.showQuickPick(choices, { title: `Export the Perfloop history (${count} runs)`, placeHolder: 'Format' });
    if (!choice) return;
    const text = choice.format === 'json' ? store.exportJson() : store.exportMarkdown({ displayPath });
    if (choice.destination === 'editor') {
      const document = await vscode.workspace.openTextDocument({ language: choice.format, content: text });
      await vscode.window.showTextDocument(document);
      return;
    }
    const extension = choice.format === 'json' ? 'json' : 'md';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Export the Perfloop history',
      saveLabel: 'Export',
      filters: choice.format === 'json' ? { JSON: ['json'] } : { Markdown: ['md'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `perfloop-history.${extension}`) } : {}),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    log.info(`Exported ${count} history entries to ${target.toString(true)}`);
    const open = await vscode.window.showInformationMessage(`Perfloop: exported ${count === 1 ? '1 run' : `${count} runs`}.`, 'Open');
    if (open) await vscode.window.showTextDocument(target);
  };

  return vscode.Disposable.from(
    command(HISTORY_COMMANDS.openReport, openReport),
    command(HISTORY_COMMANDS.revealCode, revealCode),
    command(HISTORY_COMMANDS.revert, revert),
    command(HISTORY_COMMANDS.delete, remove),
    command(HISTORY_COMMANDS.clear, clear),
    command(HISTORY_COMMANDS.export, exportHistory),
    // Every view gets a `<id>.focus` command from VS Code; this is its palette-friendly name.
    command(HISTORY_COMMANDS.show, async () => void (await vscode.commands.executeCommand(`${HISTORY_VIEW_ID}.focus`))),
  );
}
