/** Compare With Candidate…: a hand-written rewrite goes through the same checks and measurements, no LLM involved. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PerfloopApi } from '../../../extension/extension.js';
import { FAST_DUPLICATES } from '../../support/pythonFixtures.js';
import { fixtureUri, openFixture, perfloopExtension } from './support/host.js';

describe('Compare With Candidate', function () {
  this.timeout(180_000);

  before(async () => {
    const config = vscode.workspace.getConfiguration('perfloop');
    await config.update('samples', 12, vscode.ConfigurationTarget.Global);
    await config.update('counters', 'time', vscode.ConfigurationTarget.Global);
  });

  it('verifies and measures a rewrite from another file against the function at the cursor', async () => {
    const perfloop = (await (perfloopExtension() as vscode.Extension<PerfloopApi>).activate()) as PerfloopApi;
    const candidate = fixtureUri('mine_faster.py');
    await vscode.workspace.fs.writeFile(candidate, Buffer.from(`def normalise(email):\n    return email.strip().lower()\n\n\n${FAST_DUPLICATES}\n`));
    const editor = await openFixture('duplicates.py');
    const line = editor.document.getText().split('\n').findIndex((l) => l.startsWith('def find_duplicates'));
    editor.selection = new vscode.Selection(line + 2, 0, line + 2, 0);
    const finished = perfloop.nextRun();
    void vscode.commands.executeCommand('perfloop.compareWithCandidate', candidate);
    const entry = await finished;
    assert.equal(entry.functionName, 'find_duplicates');
    assert.equal(entry.report.candidates.length, 1);
    assert.equal(entry.report.candidates[0]?.verdict, 'faster');
    assert.equal(entry.report.tokenUsage.requests, 0, 'no LLM request');
    assert.equal(entry.outcome, 'improved');
  });
});
