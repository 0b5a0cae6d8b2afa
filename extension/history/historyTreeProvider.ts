/** The `perfloop.history` tree: one row per run, newest first, refreshed whenever the store changes. */
import * as vscode from 'vscode';
import {
  appliedState,
  entryContextValue,
  entryDescription,
  formatWhen,
  outcomeIcon,
  outcomeName,
  speedupWithInterval,
} from './historyLabels.js';
import type { HistoryStore } from './historyStore.js';
import type { HistoryEntry } from './historyTypes.js';

export const HISTORY_VIEW_ID = 'perfloop.history';
export const OPEN_REPORT_COMMAND = 'perfloop.history.openReport';

export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly storeSubscription: vscode.Disposable;

  /** `displayPath` shows a file the way the user knows it (relative to the workspace). */
  constructor(
    private readonly store: HistoryStore,
    private readonly displayPath: (file: string) => string,
  ) {
    this.storeSubscription = store.onDidChange(() => this.changed.fire());
  }

  getChildren(element?: HistoryEntry): HistoryEntry[] {
    return element ? [] : [...this.store.list()];
  }

  /** Flat list; defined so `TreeView.reveal` works. */
  getParent(): undefined {
    return undefined;
  }

  getTreeItem(entry: HistoryEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(entry.functionName, vscode.TreeItemCollapsibleState.None);
    // Stable id: selection and focus survive refreshes.
    item.id = entry.id;
    item.description = entryDescription(entry);
    item.tooltip = this.tooltip(entry);
    const icon = outcomeIcon(entry.outcome);
    item.iconPath = new vscode.ThemeIcon(icon.codicon, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.contextValue = entryContextValue(entry);
    item.accessibilityInformation = { label: `${entry.functionName}, ${entryDescription(entry)}, ${formatWhen(entry.createdAt)}` };
    item.command = { command: OPEN_REPORT_COMMAND, title: 'Open Report', arguments: [entry] };
    return item;
  }

  private tooltip(entry: HistoryEntry): vscode.MarkdownString {
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**').appendText(entry.functionName).appendMarkdown('**\n\n');
    md.appendText(`${this.displayPath(entry.file)}, line ${entry.line}`).appendMarkdown('  \n');
    md.appendText(`${formatWhen(entry.createdAt)} · ${outcomeName(entry.outcome)}`).appendMarkdown('  \n');
    if (entry.best) {
      md.appendText(`Best: ${entry.best.candidateId}, ${speedupWithInterval(entry.best)} faster (95% CI)`).appendMarkdown('  \n');
    }
    if (entry.report.error) md.appendText(`Error: ${entry.report.error}`).appendMarkdown('  \n');
    const state = appliedState(entry);
    if (state === 'applied') md.appendText(`Applied ${formatWhen(entry.applied?.appliedAt ?? '')}`);
    else if (state === 'reverted') md.appendText(`Applied, then reverted ${formatWhen(entry.applied?.revertedAt ?? '')}`);
    else md.appendText('Not applied');
    if (entry.compacted) md.appendMarkdown('\n\n').appendText('(Old run: candidate code dropped to save space; measurements kept.)');
    return md;
  }

  dispose(): void {
    this.storeSubscription.dispose();
    this.changed.dispose();
  }
}
