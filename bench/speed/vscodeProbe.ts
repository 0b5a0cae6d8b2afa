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
  /** executeCodeLensProvider on the unopened-in-an-editor document: grammar load, first parse, lens objects, IPC. */
  firstLensesMs?: number;
  /** The same again, nothing changed: the provider's cached answer plus the round trip. */
  cachedLensesMs: number[];
  /** After a one-character edit in the middle of the file: incremental re-parse plus the round trip. */
  editedLensesMs: number[];
  error?: string;
}

const PERFLOOP_ID = 'perfloop.perfloop';
const BIG_MODULE = 'big_module.py';

async function lensTime(uri: vscode.Uri): Promise<{ ms: number; count: number }> {
  const started = performance.now();
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>('vscode.executeCodeLensProvider', uri, Number.MAX_SAFE_INTEGER);
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
  const first = await lensTime(uri);
  result.firstLensesMs = first.ms;
  result.lenses = first.count;
  for (let i = 0; i < repetitions; i++) result.cachedLensesMs.push((await lensTime(uri)).ms);

  const middle = Math.floor(document.lineCount / 2);
  for (let i = 0; i < repetitions; i++) {
    // Type one character, then take it back: the file stays as it was, every edit is a one-line change.
    const edit = new vscode.WorkspaceEdit();
    const position = new vscode.Position(middle, document.lineAt(middle).text.length);
    if (i % 2 === 0) edit.insert(uri, position, ' ');
    else edit.delete(uri, new vscode.Range(position.translate(0, -1), position));
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code refused the edit');
    result.editedLensesMs.push((await lensTime(uri)).ms);
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
