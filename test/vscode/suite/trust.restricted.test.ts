/**
 * Restricted mode (the folder is not trusted). Files named *.restricted.test.ts run in a VS Code started WITHOUT
 * --disable-workspace-trust; everything else runs trusted.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PerfloopApi } from '../../../extension/extension.js';
import { fakeReplies } from '../../support/fakeLlmServer.js';
import { openFixture, perfloopExtension, useFakeLlm, waitFor } from './support/host.js';

describe('Restricted mode', function () {
  this.timeout(60_000);
  const llm = useFakeLlm([fakeReplies.text('### Candidate 1: never asked\n```python\ndef find_duplicates(emails):\n    return []\n```')]);

  it('opens the fixture folder untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the harness should have started this session in restricted mode');
  });

  it('still activates on a Python file (untrustedWorkspaces: limited)', async () => {
    const extension = perfloopExtension();
    await openFixture('duplicates.py');
    await waitFor(() => extension.isActive, { timeoutMs: 30_000, message: 'Perfloop did not activate in restricted mode' });
  });

  it('executes nothing: Optimize explains instead of running', async () => {
    const perfloop = (await (perfloopExtension() as vscode.Extension<PerfloopApi>).activate()) as PerfloopApi;
    const editor = await openFixture('duplicates.py');
    const before = editor.document.getText();
    // The command waits on a notification nobody answers here; what matters is what it does not do.
    void vscode.commands.executeCommand('perfloop.optimizeFunction', editor.document.uri, 'find_duplicates');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal(llm.server.chatRequests.length, 0, 'no LLM request');
    assert.equal(perfloop.history().length, 0, 'no run recorded');
    assert.equal(editor.document.getText(), before);
  });
});
