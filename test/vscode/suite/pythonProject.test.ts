/**
 * A function of a real Python project (examples/projects/python, copied into the workspace under projects/python): the
 * package imports itself relatively and absolutely and reads a data file it ships, so the run only works when the
 * editor's run finds the project root and runs the function as the project imports it. From the function's lens to
 * Apply, with the example's known rewrite as the fake LLM's reply; then the saved file is exactly the report's diff.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { PerfloopApi } from '../../../extension/extension.js';
import { diffFromUnifiedPatch } from '../../../webview-ui/src/model/diffModel.js';
import { fakeReplies } from '../../support/fakeLlmServer.js';
import { candidateReply } from '../../support/pythonFixtures.js';
import { fileAfterDiff } from '../fileAfterDiff.js';
import { codeLensesFor, fixtureUri, hostLog, openFixture, perfloopExtension, useFakeLlm, useQuickRuns, waitFor } from './support/host.js';

const MODULE = 'projects/python/inventory/inventory/pricing.py';
const REWRITE = 'projects/python/candidates/order_total_fast.py';

async function api(): Promise<PerfloopApi> {
  const extension = perfloopExtension() as vscode.Extension<PerfloopApi>;
  return extension.isActive ? extension.exports : extension.activate();
}

describe('A Python project function from the editor', function () {
  this.timeout(300_000);
  const llm = useFakeLlm((body) =>
    (body.messages ?? []).some((m) => m.content.includes('### Candidate N:'))
      ? fakeReplies.text(candidateReply([{ rationale: 'a dict of the price list', code: readFileSync(fixtureUri(REWRITE).fsPath, 'utf8') }]))
      : fakeReplies.text('Nothing more to improve.'),
  );

  useQuickRuns({ rounds: 1, candidates: 1, samples: 12 });

  it('optimizes inventory.pricing.order_total from its lens; the saved file after Apply is exactly the report\'s diff', async () => {
    const perfloop = await api();
    await perfloop.historyLoaded;
    const editor = await openFixture(MODULE);
    const original = editor.document.getText();
    const lens = await waitFor(async () => (await codeLensesFor(editor.document.uri)).find((l) => l.command?.command === 'perfloop.optimizeFunction' && l.command.arguments?.[1] === 'order_total'), {
      timeoutMs: 15_000,
      message: 'no "Optimize" lens for order_total',
    });
    assert.match(lens.command?.title ?? '', /Optimize/);
    const requestsBefore = llm.server.chatRequests.length;
    const finished = perfloop.nextRun();
    void vscode.commands.executeCommand(lens.command?.command ?? '', ...(lens.command?.arguments ?? []));
    const entry = await finished;
    const report = entry.report;
    hostLog(`Python project run ${entry.id}: ${entry.outcome}, best ${entry.best?.ratio.toFixed(2)}× in ${(report.durationMs / 1000).toFixed(1)} s`);
    assert.equal(entry.outcome, 'improved', report.error);
    assert.equal(entry.functionName, 'order_total');
    assert.equal(report.workload?.origin, 'user-module', 'the inputs come from pricing.perfloop.py, which imports the package');
    assert.equal(llm.server.chatRequests.length - requestsBefore, 1, 'one request: the candidates (no input generator)');
    const candidate = report.candidates[0];
    assert.equal(candidate?.verdict, 'faster', candidate?.reason);
    assert.ok(candidate.diff, 'the report shows the candidate\'s diff of the file');
    assert.equal(editor.document.getText(), original, 'nothing touched the file before Apply');

    await perfloop.sendReportMessage(entry.id, { type: 'apply', candidateId: candidate.id });
    await waitFor(() => editor.document.getText() !== original || undefined, { timeoutMs: 10_000, message: 'Apply did not edit the document' });
    // save() answers false when there is nothing left to save; what counts is the file on disk.
    await editor.document.save();
    const onDisk = await waitFor(() => {
      const text = readFileSync(editor.document.uri.fsPath, 'utf8');
      return text !== original ? text : undefined;
    }, { timeoutMs: 10_000, message: 'the applied file was not saved' });
    const shown = diffFromUnifiedPatch(candidate.diff);
    assert.ok(shown.available, 'the panel can show the diff');
    assert.equal(onDisk, fileAfterDiff(original, shown.rows), 'the file is the original with exactly the diff\'s lines changed');
    // And the diff changed the function and nothing else: the lines around it are the original's, byte for byte, and the
    // function is the rewrite's (its imports are the module's own, so nothing else is added).
    const lines = original.split('\n');
    const before = lines.slice(0, report.target.range.start - 1).join('\n');
    const after = lines.slice(report.target.range.end).join('\n');
    const rewrite = readFileSync(fixtureUri(REWRITE).fsPath, 'utf8');
    const fastFunction = rewrite.slice(rewrite.indexOf('def order_total')).trimEnd();
    assert.equal(onDisk, `${before}\n${fastFunction}\n${after}`);
  });
});
