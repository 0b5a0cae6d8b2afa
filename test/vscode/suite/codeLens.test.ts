/** The "⚡ Optimize" CodeLens: one above each function, and fast enough on a large module. */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { BIG_MODULE_FUNCTIONS } from '../bigModule.js';
import { bigModuleUri, codeLensesFor, hostLog, openFixture, perfloopExtension, pythonFunctionLines, waitFor } from './support/host.js';

const isOptimizeLens = (lens: vscode.CodeLens): boolean => /Optimize/.test(lens.command?.title ?? '');


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
