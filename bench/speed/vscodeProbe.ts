/**
 * Runs inside a real VS Code's extension host (code-server), loaded as the `extensionTestsPath` module: times Perfloop's
 * activation and its CodeLens on the workspace's generated 10,000-line module through VS Code's own
 * `vscode.executeCodeLensProvider`, then writes the figures where PERFLOOP_HOST_TESTS says (as the host suite does).
 * Bundled to CommonJS by vscodeActivation.ts; imports nothing but `vscode` and Node.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

export interface VscodeProbeResult {
  /** Whether Perfloop was already active when the probe started (then activation could not be timed). */
  wasActive: boolean;
  activationMs?: number;
  lines?: number;
  lenses?: number;
  /** executeCodeLensProvider on the unopened-in-an-editor document: grammar load, first parse, lens objects, IPC (a screenful resolved, as below). */
  firstLensesMs?: number;
  /** The same again, nothing changed: the provider's cached answer plus the round trip (a screenful resolved). */
  cachedLensesMs: number[];
  /** After a one-character edit in the middle of the file: incremental re-parse plus the round trip, every lens resolved. */
  editedLensesMs: number[];
  /** The same with only a screenful of lenses resolved, as the editor resolves them (absent in older results). */
  editedScreenfulMs?: number[];
  /** How many lenses that screenful resolves. */
  screenfulLenses?: number;
  error?: string;
}

const PERFLOOP_ID = 'perfloop.perfloop';
const BIG_MODULE = 'big_module.py';

/**
 * Lenses the editor resolves at once: only those in the visible lines (VS Code's CodeLens contribution resolves what the
 * viewport shows), at most one per line of a ~50-line window.
 */
const SCREENFUL_OF_LENSES = 50;

async function lensTime(uri: vscode.Uri, resolveCount = Number.MAX_SAFE_INTEGER): Promise<{ ms: number; count: number }> {
  const started = performance.now();
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>('vscode.executeCodeLensProvider', uri, resolveCount);
  return { ms: performance.now() - started, count: lenses?.length ?? 0 };
}

async function measure(result: VscodeProbeResult, repetitions: number): Promise<void> {
  const extension = vscode.extensions.getExtension(PERFLOOP_ID);
  if (!extension) throw new Error(`${PERFLOOP_ID} is not installed in this VS Code`);
  result.wasActive = extension.isActive;
  const started = performance.now();
  await extension.activate();
  if (!result.wasActive) result.activationMs = performance.now() - started;

  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  const uri = vscode.Uri.joinPath(folder.uri, BIG_MODULE);
  // Opened but not shown: no editor asks for lenses on its own, so the first request below is the first parse.
  const document = await vscode.workspace.openTextDocument(uri);
  result.lines = document.lineCount;
  const first = await lensTime(uri, SCREENFUL_OF_LENSES);
  result.firstLensesMs = first.ms;
  result.lenses = first.count; // a screenful; the count of every lens replaces it below
  for (let i = 0; i < repetitions; i++) result.cachedLensesMs.push((await lensTime(uri, SCREENFUL_OF_LENSES)).ms);

  const middle = Math.floor(document.lineCount / 2);
  result.editedScreenfulMs = [];
  result.screenfulLenses = SCREENFUL_OF_LENSES;
  for (let i = 0; i < 2 * repetitions; i++) {
    // Type one character, then take it back: the file stays as it was, every edit is a one-line change. Pairs of edits
    // alternate between resolving a screenful and resolving every lens, so each request is the first after its edit.
    const edit = new vscode.WorkspaceEdit();
    const position = new vscode.Position(middle, document.lineAt(middle).text.length);
    if (i % 2 === 0) edit.insert(uri, position, ' ');
    else edit.delete(uri, new vscode.Range(position.translate(0, -1), position));
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code refused the edit');
    if (Math.floor(i / 2) % 2 === 0) result.editedScreenfulMs.push((await lensTime(uri, SCREENFUL_OF_LENSES)).ms);
    else {
      const every = await lensTime(uri);
      result.editedLensesMs.push(every.ms);
      result.lenses = every.count;
    }
  }
}

/** Called by VS Code's test runner support; the returned promise settling ends the session. */
export async function run(): Promise<void> {
  const config = JSON.parse(process.env.PERFLOOP_HOST_TESTS ?? '{}') as { resultsFile?: string };
  const repetitions = Number(process.env.PERFLOOP_BENCH_PROBE_REPETITIONS ?? 5);
  const result: VscodeProbeResult = { wasActive: false, cachedLensesMs: [], editedLensesMs: [] };
  const started = performance.now();
  try {
    await measure(result, repetitions);
  } catch (error) {
    result.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  const state = result.error ? 'failed' : 'passed';
  const test = { title: 'Perfloop speed probe', state, durationMs: performance.now() - started, ...(result.error ? { error: result.error } : {}) };
  if (config.resultsFile) writeFileSync(config.resultsFile, JSON.stringify({ failures: result.error ? 1 : 0, results: [test], probe: result }));
  if (result.error) throw new Error(result.error);
}
