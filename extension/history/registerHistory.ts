/**
 * The history panel in one call for the composition root: the store (loaded in the background), the tree view, its
 * commands and the `perfloop.history.hasEntries` context key the view-title menus use.
 *
 *   const history = registerHistory({ storageDir: (context.storageUri ?? context.globalStorageUri).fsPath, host });
 *   context.subscriptions.push(history);
 */
import * as vscode from 'vscode';
import type { HistoryLimits } from './capHistory.js';
import { registerHistoryCommands, type HistoryHost } from './historyCommands.js';
import { historyEntryUri } from './historyEntryUri.js';
import { HistoryStore } from './historyStore.js';
import { HISTORY_VIEW_ID, HistoryTreeProvider } from './historyTreeProvider.js';
import type { HistoryEntry } from './historyTypes.js';

export interface HistoryDeps {
  /** Where `history.json` lives: `(context.storageUri ?? context.globalStorageUri).fsPath`. Created on first write. */
  storageDir: string;
  host: HistoryHost;
  limits?: Partial<HistoryLimits>;
}

export interface HistoryRegistration extends vscode.Disposable {
  store: HistoryStore;
  treeProvider: HistoryTreeProvider;
  treeView: vscode.TreeView<HistoryEntry>;
  /** Settles once the file has been read (never rejects; problems were already reported). */
  loaded: Promise<void>;
}

export const HAS_ENTRIES_CONTEXT_KEY = 'perfloop.history.hasEntries';

export function registerHistory(deps: HistoryDeps): HistoryRegistration {
  const { host } = deps;
  const store = new HistoryStore(deps.storageDir, {
    ...deps.limits,
    onProblem: (message) => {
      host.log.warn(message);
      void vscode.window.showWarningMessage(`Perfloop: ${message}`, 'Show Log').then((action) => action && host.log.show(true));
    },
  });
  const treeProvider = new HistoryTreeProvider(store, (file) => vscode.workspace.asRelativePath(historyEntryUri(file), false));
  const treeView = vscode.window.createTreeView(HISTORY_VIEW_ID, { treeDataProvider: treeProvider, canSelectMany: true });
  const commands = registerHistoryCommands(store, treeView, host);
  const contextKey = store.onDidChange(() => {
    void vscode.commands.executeCommand('setContext', HAS_ENTRIES_CONTEXT_KEY, store.list().length > 0);
  });
  const loaded = store.load().catch((error: unknown) => {
    host.log.error(`Could not load the Perfloop history: ${error instanceof Error ? error.message : String(error)}`);
  });

  return {
    store,
    treeProvider,
    treeView,
    loaded,
    dispose() {
      contextKey.dispose();
      commands.dispose();
      treeView.dispose();
      treeProvider.dispose();
      store.dispose();
    },
  };
}
