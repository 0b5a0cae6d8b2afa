/** The "⚡ Optimize" CodeLens: one above each function, and fast enough on a large module. */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { PerfloopApi } from '../../../extension/extension.js';
import { fakeReplies } from '../../support/fakeLlmServer.js';
import { BIG_MODULE_FUNCTIONS } from '../bigModule.js';
import { bigModuleUri, codeLensesFor, hostLog, openFixture, perfloopExtension, pythonFunctionLines, useFakeLlm, waitFor } from './support/host.js';

const isOptimizeLens = (lens: vscode.CodeLens): boolean => /Optimize/.test(lens.command?.title ?? '');

/** The "Optimize" lenses of a document once the provider has answered, in line order. */
async function optimizeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  const lenses = await waitFor(async () => {
    const found = (await codeLensesFor(document.uri)).filter(isOptimizeLens);
    return found.length > 0 ? found : undefined;
  }, { timeoutMs: 15_000, message: `no "Optimize" CodeLens in ${document.uri.fsPath}` });
  return lenses.sort((a, b) => a.range.start.line - b.range.start.line);
}

/** 0-based line of the first line of `document` that starts with `prefix`. */
function lineStarting(document: vscode.TextDocument, prefix: string): number {
  const line = document.getText().split('\n').findIndex((text) => text.startsWith(prefix));
  assert.ok(line >= 0, `no line starting with ${JSON.stringify(prefix)} in ${document.uri.fsPath}`);
  return line;
}

/** What each lens would run: `[line, functionName, lines?]` from its `perfloop.optimizeFunction` arguments. */
function lensTargets(lenses: readonly vscode.CodeLens[], document: vscode.TextDocument): unknown[][] {
  return lenses.map((lens) => {
    assert.equal(lens.command?.command, 'perfloop.optimizeFunction');
    const [uri, ...rest] = lens.command?.arguments ?? [];
    assert.equal(String(uri), document.uri.toString(), 'the lens names its document');
    return [lens.range.start.line, ...rest];
  });
}


describe('CodeLens', function () {
  this.timeout(60_000);

  before(async () => {
    await perfloopExtension().activate();
  });

  it('shows "⚡ Optimize" above each function of a Python file', async () => {
    const editor = await openFixture('duplicates.py');
    const functionLines = pythonFunctionLines(editor.document);
    assert.ok(functionLines.length >= 2, 'the fixture should have at least two functions');

    // Providers may compute asynchronously after activation; give the first answer a little time.
    const lenses = await waitFor(async () => {
      const found = (await codeLensesFor(editor.document.uri)).filter(isOptimizeLens);
      return found.length > 0 ? found : undefined;
    }, { timeoutMs: 15_000, message: `no "Optimize" CodeLens in ${editor.document.uri.fsPath}` });

    const lensLines = lenses.map((lens) => lens.range.start.line).sort((a, b) => a - b);
    assert.deepEqual(lensLines, functionLines, 'one "Optimize" lens per function, on its def line');
    for (const lens of lenses) assert.match(lens.command?.title ?? '', /⚡/, 'the lens title carries the ⚡ mark');
  });

  it('shows "⚡ Optimize" above the functions of a JavaScript module too', async () => {
    const editor = await openFixture('orders.mjs');
    assert.equal(editor.document.languageId, 'javascript');
    const lenses = await waitFor(async () => {
      const found = (await codeLensesFor(editor.document.uri)).filter(isOptimizeLens);
      return found.length > 0 ? found : undefined;
    }, { timeoutMs: 15_000, message: 'no "Optimize" CodeLens in orders.mjs' });
    const lines = editor.document.getText().split('\n');
    const expected = lines
      .map((line, i) => (/^(export )?(async )?function \w+|^(export )?const \w+ = (\(|function)/.test(line) ? i : -1))
      .filter((i) => i >= 0);
    assert.deepEqual(lenses.map((l) => l.range.start.line).sort((a, b) => a - b), expected);
  });

  it('shows "⚡ Optimize" above the functions and methods of a C++ file, not above constructors, templates, prototypes or main', async () => {
    const editor = await openFixture('geometry.cpp');
    const document = editor.document;
    assert.equal(document.languageId, 'cpp', 'VS Code\'s built-in C/C++ language mode');
    const lenses = await optimizeLenses(document);
    for (const lens of lenses) assert.match(lens.command?.title ?? '', /⚡/);
    const at = (prefix: string) => lineStarting(document, prefix);
    assert.deepEqual(lensTargets(lenses, document), [
      [at('static double square('), 'square'],
      [at('const double* farthest('), 'geo::detail::farthest'],
      [at('double norm('), 'geo::norm'],
      [at('  double perimeter('), 'geo::Polygon::perimeter'], // in the class; its constructor gets no lens
      [at('double geo::Polygon::area('), 'geo::Polygon::area'], // defined out of the class
      [at('extern "C" long count_positive('), 'count_positive'],
      // Overloads: the name alone is ambiguous, so the lens passes the definition's 1-based lines too.
      [at('int scale('), 'scale', { start: at('int scale(') + 1, end: at('int scale(') + 1 }],
      [at('double scale('), 'scale', { start: at('double scale(') + 1, end: at('double scale(') + 3 }],
    ]);
  });

  it('shows "⚡ Optimize" above the functions of a C file', async () => {
    const editor = await openFixture('stats.c');
    const document = editor.document;
    assert.equal(document.languageId, 'c');
    const lenses = await optimizeLenses(document);
    const at = (prefix: string) => lineStarting(document, prefix);
    assert.deepEqual(lensTargets(lenses, document), [
      [at('static int'), 'compare_longs'], // `static int` / `compare_longs(…)` on two lines: the lens sits on the first
      [at('long *sorted_copy('), 'sorted_copy'],
      [at('size_t count_duplicates('), 'count_duplicates'],
    ]);
  });

  // Timing is reported, not asserted: speed targets belong in the benchmarks, not in tests on a shared 2-core machine.
  it(`provides the lenses of a 10,000-line module (${BIG_MODULE_FUNCTIONS} functions)`, async () => {
    const document = await vscode.workspace.openTextDocument(bigModuleUri());
    await vscode.window.showTextDocument(document);
    const started = performance.now();
    const lenses = (await codeLensesFor(document.uri)).filter(isOptimizeLens);
    const elapsedMs = performance.now() - started;
    hostLog(`${lenses.length} lenses for ${document.lineCount} lines in ${Math.round(elapsedMs)} ms`);
    assert.equal(lenses.length, BIG_MODULE_FUNCTIONS, 'one lens per function of the big module');
  });
});

/**
 * The commands on C++ code resolve the right function. Without a real LLM a run stops at its first request (the fake
 * server refuses it), which is enough: that request is the input-generator prompt for the resolved function.
 */
describe('Commands on C++ code', function () {
  this.timeout(120_000);
  const llm = useFakeLlm(() => fakeReplies.error(400, 'This test only looks at the prompt.'));

  async function api(): Promise<PerfloopApi> {
    const extension = perfloopExtension() as vscode.Extension<PerfloopApi>;
    return extension.isActive ? extension.exports : extension.activate();
  }

  /** Runs `start`, waits for the run to finish and returns its history entry and the prompt of its first LLM request. */
  async function firstPrompt(start: () => Thenable<unknown>): Promise<{ prompt: string; code: string; entry: Awaited<ReturnType<PerfloopApi['nextRun']>> }> {
    const perfloop = await api();
    await perfloop.historyLoaded;
    const before = llm.server.chatRequests.length;
    const finished = perfloop.nextRun();
    void start();
    const entry = await finished;
    const request = llm.server.chatRequests[before];
    assert.ok(request, `the run made no LLM request (${entry.outcome}: ${entry.report.error ?? ''})`);
    const prompt = (request.body?.messages ?? []).map((m) => m.content).join('\n');
    hostLog(`run ${entry.outcome}; prompt: ${JSON.stringify(prompt.slice(prompt.indexOf('Write a'), prompt.indexOf('Write a') + 160))}`);
    // The prompt's "## Function" section holds the target's code (context, if any, comes in a section of its own).
    const code = /## Function\n```\w*\n([\s\S]*?)\n```/.exec(prompt)?.[1];
    assert.ok(code, `no "## Function" section in the prompt:\n${prompt.slice(0, 2000)}`);
    return { prompt, code, entry };
  }

  it('"Optimize Function at Cursor" in a namespaced C++ function targets that function', async () => {
    const editor = await openFixture('geometry.cpp');
    const document = editor.document;
    const start = lineStarting(document, 'double norm(');
    const cursor = new vscode.Position(start + 3, 4); // inside the body, on the inner loop
    editor.selection = new vscode.Selection(cursor, cursor);
    const { prompt, code, entry } = await firstPrompt(() => vscode.commands.executeCommand('perfloop.optimizeFunctionAtCursor'));
    assert.match(prompt, /function `(geo::)?norm`/, 'the prompt is about norm');
    assert.ok(code.includes('double norm(const std::vector<double>& v) {'), 'with norm\'s code');
    assert.ok(code.includes('partial = v[j] * v[j];'));
    assert.ok(!code.includes('farthest'), 'and no other function');
    assert.equal(entry.outcome, 'failed', 'the refused request ends the run');
  });

  it('the lens of an overloaded C++ function runs the definition it sits above', async () => {
    const editor = await openFixture('geometry.cpp');
    const document = editor.document;
    const line = lineStarting(document, 'double scale(');
    const lens = (await optimizeLenses(document)).find((l) => l.range.start.line === line);
    assert.ok(lens?.command, 'a lens above `double scale(`');
    const command = lens.command;
    const { prompt, code } = await firstPrompt(() => vscode.commands.executeCommand(command.command, ...(command.arguments ?? [])));
    assert.match(prompt, /function `scale`/);
    assert.ok(code.includes('double scale(double x) {\n  return x * 2.0;\n}'), 'the double overload');
    assert.ok(!code.includes('int scale('), 'not the int one');
  });
});
