/**
 * Show diff and the diff editor's Accept and Reject, in a real VS Code: the diff is the file as Apply writes it, and
 * Accept writes exactly its right side. A whole-file reply that leaves out the function's docstring is the case where
 * the reply's code and the applied file differ.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { PerfloopApi } from '../../../extension/extension.js';
import { fakeReplies } from '../../support/fakeLlmServer.js';
import { candidateReply } from '../../support/pythonFixtures.js';
import { openFixture, perfloopExtension, useFakeLlm, useQuickRuns, waitFor } from './support/host.js';

const WHOLE_FILE_REPLY = `"""Pair counting, faster."""
from collections import Counter


def count_pairs_with_sum(numbers, target):
    seen = Counter()
    count = 0
    for x in numbers:
        count += seen[target - x]
        seen[x] += 1
    return count


if __name__ == "__main__":
    print(count_pairs_with_sum([1, 2, 3], 4))`;

async function api(): Promise<PerfloopApi> {
  const extension = perfloopExtension() as vscode.Extension<PerfloopApi>;
  return extension.isActive ? extension.exports : extension.activate();
}

describe('The diff editor of a candidate', function () {
  this.timeout(240_000);
  useFakeLlm((_body, index) => (index === 0 ? fakeReplies.text(candidateReply([{ rationale: 'counter of complements', code: WHOLE_FILE_REPLY }])) : fakeReplies.text('Nothing more.')));

  useQuickRuns({ rounds: 1, candidates: 1, samples: 12 });

  it('shows the file as Apply writes it; Reject writes nothing, Accept writes exactly the right side', async () => {
    const perfloop = await api();
    await perfloop.historyLoaded;
    const editor = await openFixture('pairs.py');
    const original = editor.document.getText();
    const finished = perfloop.nextRun();
    void vscode.commands.executeCommand('perfloop.optimizeFunction', editor.document.uri, 'count_pairs_with_sum');
    const entry = await finished;
    assert.equal(entry.outcome, 'improved', entry.report.error);
    const candidateId = entry.best!.candidateId;
    const openDiff = async (): Promise<vscode.TabInputTextDiff> => {
      await perfloop.sendReportMessage(entry.id, { type: 'showDiff', candidateId });
      return waitFor(
        () => {
          const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
          return input instanceof vscode.TabInputTextDiff && input.modified.scheme === 'perfloop-proposal' ? input : undefined;
        },
        { timeoutMs: 10_000, message: 'Show diff did not open an acceptable diff editor' },
      );
    };
    const isOpen = (diff: vscode.TabInputTextDiff): boolean =>
      vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === diff.modified.toString()));

    const rejected = await openDiff();
    await vscode.commands.executeCommand('perfloop.diff.reject', rejected.modified);
    await waitFor(() => !isOpen(rejected) || undefined, { timeoutMs: 10_000, message: 'Reject did not close the diff' });
    assert.equal(editor.document.getText(), original, 'Reject writes nothing');

    const diff = await openDiff();
    assert.equal((await vscode.workspace.openTextDocument(diff.original)).getText(), original);
    const right = (await vscode.workspace.openTextDocument(diff.modified)).getText();
    assert.match(right, /"""How many index pairs i < j have numbers\[i\] \+ numbers\[j\] == target\."""\n {4}seen = Counter\(\)/, 'the docstring the reply left out is kept');
    assert.doesNotMatch(right, /faster\."""|__main__/, 'the reply’s module docstring and demo are not applied');
    await vscode.commands.executeCommand('perfloop.diff.accept', diff.modified);
    await waitFor(() => editor.document.getText() === right || undefined, { timeoutMs: 10_000, message: 'Accept did not write the diff’s right side' });
    await waitFor(() => !isOpen(diff) || undefined, { timeoutMs: 10_000, message: 'Accept did not close the diff' });
    assert.equal(readFileSync(editor.document.uri.fsPath, 'utf8'), original, 'Accept edits the buffer; nothing is saved behind the user');

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor(() => editor.document.getText() === original || undefined, { timeoutMs: 10_000, message: 'Revert did not restore pairs.py' });
  });
});
