/** Cancel Run stops a run while the LLM request hangs: the HTTP request is dropped and the run ends as cancelled. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PerfloopApi } from '../../../extension/extension.js';
import { fakeReplies } from '../../support/fakeLlmServer.js';
import { openFixture, perfloopExtension, useFakeLlm, useQuickRuns, waitFor } from './support/host.js';

describe('Cancel Run', function () {
  this.timeout(120_000);
  const llm = useFakeLlm([fakeReplies.hang()]);

  useQuickRuns({ rounds: 1, samples: 10 });

  it('cancels the running optimization and records it as cancelled', async () => {
    const perfloop = (await (perfloopExtension() as vscode.Extension<PerfloopApi>).activate()) as PerfloopApi;
    const editor = await openFixture('pairs.py');
    const finished = perfloop.nextRun();
    const functionName = /^def (\w+)/m.exec(editor.document.getText())?.[1];
    assert.ok(functionName, 'pairs.py defines a function');
    void vscode.commands.executeCommand('perfloop.optimizeFunction', editor.document.uri, functionName);
    await waitFor(() => (llm.server.chatRequests.length > 0 ? true : undefined), { timeoutMs: 60_000, message: 'the run never asked the LLM' });
    await vscode.commands.executeCommand('perfloop.cancelRun');
    const entry = await finished;
    assert.equal(entry.outcome, 'cancelled');
    await llm.server.chatRequests[0]?.settled;
    assert.equal(llm.server.chatRequests[0]?.closedByClient, true, 'the HTTP request was dropped');
  });
});
