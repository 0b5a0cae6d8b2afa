/** The extension as VS Code loads it: activation on Python files and the commands its manifest promises. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFixture, perfloopExtension, waitFor } from './support/host.js';

describe('Activation', function () {
  this.timeout(60_000);

  it('activates when a Python file is opened', async () => {
    const extension = perfloopExtension();
    const editor = await openFixture('duplicates.py');
    assert.equal(editor.document.languageId, 'python');
    await waitFor(() => extension.isActive, { timeoutMs: 30_000, message: 'Perfloop did not activate after a Python file was opened' });
  });

  it('registers every command contributed in package.json', async () => {
    const extension = perfloopExtension();
    await extension.activate();
    const contributed = (extension.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? [];
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});
