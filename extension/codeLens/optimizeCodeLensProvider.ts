/**
 * "⚡ Optimize" above every module-level function (Python, JavaScript, TypeScript; in C and C++ every free function,
 * namespaced or not, except `main` and templates), and after a run its result ("⚡ 2.41× faster (applied)",
 * "no gain found") linking to the report. Positions come from an incrementally maintained tree-sitter index.
 */
import * as vscode from 'vscode';
import { formatInterval, formatRatio } from '../../optimizer/report/format.js';
import { Config } from '../config.js';
import type { HistoryEntry } from '../history/historyTypes.js';
import type { GrammarName } from '../../profilers/treeSitter.js';
import { FunctionIndex, lensTarget, type FunctionLocation } from './functionIndex.js';

interface LensResult {
  runId: string;
  title: string;
  tooltip: string;
  /** 1-based line of the function when the run started. */
  line: number;
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
export const LENS_LANGUAGES: Readonly<Record<string, GrammarName>> = {
  python: 'python',
  javascript: 'javascript',
  typescript: 'typescript',
  c: 'c',
  cpp: 'cpp',
};

/**
 * An "⚡ Optimize" lens before VS Code asks for its command: the editor resolves only the lenses it shows, so a file with
 * thousands of functions sends thousands of bare ranges, not thousands of commands with their arguments.
 */
class OptimizeLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly uri: vscode.Uri,
    readonly fn: FunctionLocation,
  ) {
    super(range);
  }
}

export class OptimizeCodeLensProvider implements vscode.CodeLensProvider<vscode.CodeLens>, vscode.Disposable {
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
        line: entry.line,
      });
    }
    this.results = results;
    this.changed.fire();
  }

  /**
   * Where a function is now (for the history's "reveal code"): the function of that name nearest to where it was, by
   * the same index the lenses use, so every lens language is covered. Undefined when the document has none of that name.
   */
  async locateFunction(document: vscode.TextDocument, name: string, nearLine: number): Promise<vscode.Range | undefined> {
    const index = this.indexFor(document);
    if (!index) return undefined;
    const functions = await index.functions(document.uri.toString(), document.version, document.getText());
    const plain = name.split(/::|\./).at(-1) ?? name;
    const named = functions.filter((fn) => fn.qualifiedName === name || fn.name === name || fn.name === plain);
    const nearest = named.sort((a, b) => Math.abs(a.startLine - nearLine) - Math.abs(b.startLine - nearLine))[0];
    return nearest && new vscode.Range(nearest.startLine, 0, nearest.endLine, document.lineAt(nearest.endLine).text.length);
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
    const plainNames = new Map<string, number>();
    for (const fn of functions) if (fn.kind === 'function') plainNames.set(fn.name, (plainNames.get(fn.name) ?? 0) + 1);
    for (const fn of functions) {
      const range = new vscode.Range(fn.defLine, 0, fn.defLine, 0);
      lenses.push(new OptimizeLens(range, document.uri, fn));
      const result = this.resultFor(document.uri.fsPath, fn, (plainNames.get(fn.name) ?? 0) > 1);
      if (result) {
        lenses.push(new vscode.CodeLens(range, { title: result.title, tooltip: result.tooltip, command: 'perfloop.openReport', arguments: [result.runId] }));
      }
    }
    return lenses;
  }

  /** Gives an "⚡ Optimize" lens its command when the editor is about to show it; result lenses come resolved. */
  resolveCodeLens(lens: vscode.CodeLens): vscode.CodeLens {
    if (lens instanceof OptimizeLens && !lens.command) {
      const target = lensTarget(lens.fn);
      lens.command = {
        title: '⚡ Optimize',
        tooltip: `Ask the LLM for faster versions of ${lens.fn.qualifiedName}, verify and measure them`,
        command: 'perfloop.optimizeFunction',
        arguments: target.lines ? [lens.uri, target.functionName, target.lines] : [lens.uri, target.functionName],
      };
    }
    return lens;
  }

  /**
   * The run recorded for a function: under its qualified name or its plain one (the C/C++ runner reports `ns::f` as
   * `f`). When the name is shared (overloads, `f` and `ns::f`), only a run that started on the function's lines.
   */
  private resultFor(file: string, fn: FunctionLocation, nameShared: boolean): LensResult | undefined {
    const result = this.results.get(resultKey(file, fn.qualifiedName)) ?? this.results.get(resultKey(file, fn.name));
    if (result && (fn.overloaded || nameShared) && (result.line - 1 < fn.startLine || result.line - 1 > fn.endLine)) return undefined;
    return result;
  }

  dispose(): void {
    for (const index of this.indexes.values()) index.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
