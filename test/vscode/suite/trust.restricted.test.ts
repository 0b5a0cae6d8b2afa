/**
 * Restricted mode (the folder is not trusted). Files named *.restricted.test.ts run in a VS Code started WITHOUT
 * --disable-workspace-trust; everything else runs trusted.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFixture, perfloopExtension, waitFor } from './support/host.js';

describe('Restricted mode', function () {
  this.timeout(60_000);

  it('opens the fixture folder untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the harness should have started this session in restricted mode');
  });

  it('still activates on a Python file (untrustedWorkspaces: limited)', async () => {
    const extension = perfloopExtension();
    await openFixture('duplicates.py');
    await waitFor(() => extension.isActive, { timeoutMs: 30_000, message: 'Perfloop did not activate in restricted mode' });
  });
});
