/**
 * "⚡ Optimize" above every module-level function (Python, JavaScript, TypeScript), and after a run its result ("⚡ 2.41× faster (applied)",
 * "no gain found") linking to the report. Positions come from an incrementally maintained tree-sitter index.
 */
import * as vscode from 'vscode';
import { formatInterval, formatRatio } from '../../optimizer/report/format.js';
import { Config } from '../config.js';
import type { HistoryEntry } from '../history/historyTypes.js';
import type { GrammarName } from '../../profilers/treeSitter.js';
import { FunctionIndex } from './functionIndex.js';

interface LensResult {
  runId: string;
  title: string;
  tooltip: string;
}

const resultKey = (file: string, functionName: string): string => `${file}::${functionName}`;

export function resultTitle(entry: HistoryEntry): string {
  switch (entry.outcome) {
    case 'improved':
      return `⚡ ${entry.best ? `${entry.best.ratio.toFixed(entry.best.ratio >= 10 ? 1 : 2)}× faster` : 'faster'}${entry.applied ? ' (applied)' : ''}`;
    case 'no-significant-improvement':
      return 'no gain found';
    case 'cancelled':
      return 'run cancelled';
    case 'failed':
      return 'run failed';
  }
}

/** Editor languages with a runner behind them, and the grammar that finds their functions. */
export const LENS_LANGUAGES: Readonly<Record<string, GrammarName>> = { python: 'python', javascript: 'javascript', typescript: 'typescript' };

export class OptimizeCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly indexes = new Map<GrammarName, FunctionIndex>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private results = new Map<string, LensResult>();

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeTextDocument((event) => {
        const index = this.indexFor(event.document);
        if (!index || event.contentChanges.length === 0) return;
        index.applyChanges(event.document.uri.toString(), event.contentChanges, event.document.version - 1, event.document.version);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.indexFor(document)?.forget(document.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (Config.affects(event, 'codeLens.enabled')) this.changed.fire();
      }),
    );
  }

  private indexFor(document: vscode.TextDocument): FunctionIndex | undefined {
    const grammar = LENS_LANGUAGES[document.languageId];
    if (!grammar) return undefined;
    let index = this.indexes.get(grammar);
    if (!index) {
      index = new FunctionIndex(grammar);
      this.indexes.set(grammar, index);
    }
    return index;
  }

  /** The newest run of each function becomes its result lens. */
  setResults(entries: readonly HistoryEntry[]): void {
    const results = new Map<string, LensResult>();
    // Oldest first, so each function ends up with its newest run.
    for (const entry of [...entries].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
      const key = resultKey(entry.file, entry.functionName);
      const best = entry.best;
      results.set(key, {
        runId: entry.id,
        title: resultTitle(entry),
        tooltip: best
          ? `${best.candidateId}: ${formatRatio(best.ratio)} faster (95% CI ${formatInterval(best)}). Click for the report.`
          : 'Click for the report.',
      });
    }
    this.results = results;
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const index = this.indexFor(document);
    if (!index || !Config.read(document.uri).codeLensEnabled) return [];
    let functions;
    try {
      functions = await index.functions(document.uri.toString(), document.version, document.getText());
    } catch (error) {
      this.log.warn(`CodeLens: could not parse ${document.uri.fsPath}: ${(error as Error).message}`);
      return [];
    }
    if (token.isCancellationRequested) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const fn of functions) {
      // Methods need an instance to call; the runners take module-level functions only, so no lens promises more.
      if (fn.kind !== 'function') continue;
      const range = new vscode.Range(fn.defLine, 0, fn.defLine, 0);
      lenses.push(
        new vscode.CodeLens(range, {
          title: '⚡ Optimize',
          tooltip: `Ask the LLM for faster versions of ${fn.name}, verify and measure them`,
          command: 'perfloop.optimizeFunction',
          arguments: [document.uri, fn.name],
        }),
      );
      const result = this.results.get(resultKey(document.uri.fsPath, fn.name));
      if (result) {
        lenses.push(new vscode.CodeLens(range, { title: result.title, tooltip: result.tooltip, command: 'perfloop.openReport', arguments: [result.runId] }));
      }
    }
    return lenses;
  }

  dispose(): void {
    for (const index of this.indexes.values()) index.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
