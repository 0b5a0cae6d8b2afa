/**
 * The main path as a person walks it: open a Python file, click "⚡ Optimize" above a function, watch the report
 * webview fill in. The fake LLM proposes the set-based rewrite, which is genuinely faster.
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { fakeReplies } from '../../support/fakeLlmServer.js';
import { candidateReply, FAST_DUPLICATES } from '../../support/pythonFixtures.js';
import { takeScreenshot } from '../browser.js';
import { useVsCodeSession } from './support/session.js';
import { codeLensAbove, findWebviewFrame, frameTextMatches, quickOpen, runCommandFromPalette } from './support/workbench.js';

describe('Optimize from the CodeLens', function () {
  this.timeout(240_000);
  const session = useVsCodeSession({
    llm: [fakeReplies.text(candidateReply([{ rationale: 'Sets make the membership tests O(1)', code: FAST_DUPLICATES }]))],
    // One round, one candidate, few samples: the run proves the path, not the statistics.
    settings: { 'perfloop.rounds': 1, 'perfloop.candidates': 1, 'perfloop.samples': 10, 'perfloop.counters': 'time' },
  });

  it('runs on the function under the lens, shows the report, applies the best, and finds the run in the history', async function () {
    const name = this.test?.fullTitle() ?? 'codelens-run';
    const page = await session.openWorkbench();
    await quickOpen(page, 'duplicates.py');

    const lens = await waitForLens(page);
    await takeScreenshot(page, name, '1-codelens');
    await lens.click();

    const report = await findWebviewFrame(page, frameTextMatches(/find_duplicates/), 60_000);
    await takeScreenshot(page, name, '2-report-opened');

    // The candidate is a real improvement, so the run ends with a measured speedup ("… is 51.0× faster …").
    await report.getByText(/\d(\.\d+)?× faster/).first().waitFor({ state: 'visible', timeout: 180_000 });
    await takeScreenshot(page, name, '3-report-finished');
    assert.equal(session.llm.chatRequests.length, 1, 'the extension asked the (fake) LLM once');

    // Apply: the editor now holds the candidate (the best is selected when the run ends).
    // Monaco renders spaces as non-breaking spaces: \s matches both.
    const editorText = page.locator('.monaco-editor .view-lines').first();
    assert.doesNotMatch(await editorText.innerText(), /seen\s=\sset\(\)/, 'nothing changed before Apply');
    await report.locator('vscode-button', { hasText: /^\s*Apply/ }).first().click();
    await page.waitForFunction(
      "[...document.querySelectorAll('.monaco-editor .view-lines')].some((e) => /seen\\s=\\sset\\(\\)/.test(e.innerText))",
      undefined,
      { timeout: 30_000 },
    );
    await report.getByText(/Applied r1c1/).first().waitFor({ state: 'visible', timeout: 15_000 });
    await takeScreenshot(page, name, '4-applied');

    // Discard closes the report; the history keeps the run and reopens it.
    await report.locator('vscode-button', { hasText: /^\s*Discard/ }).first().click();
    await page.waitForTimeout(1000);
    await runCommandFromPalette(page, 'Perfloop: Show History');
    const row = page.locator('.pane-body .monaco-list-row', { hasText: 'find_duplicates' }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await row.innerText(), /faster/);
    await takeScreenshot(page, name, '5-history');
    await row.click();
    const reopened = await findWebviewFrame(page, frameTextMatches(/r1c1 is \d+(\.\d+)?× faster/), 30_000);
    await reopened.getByText(/Applied r1c1/).first().waitFor({ state: 'visible', timeout: 15_000 });
    await takeScreenshot(page, name, '6-report-reopened');

    // VS Code restores the open report after a window reload (the webview serializer finds the run in the history).
    await runCommandFromPalette(page, 'Developer: Reload Window');
    await page.waitForTimeout(2000);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    const restored = await findWebviewFrame(page, frameTextMatches(/r1c1 is \d+(\.\d+)?× faster/), 60_000);
    await restored.getByText(/Applied r1c1/).first().waitFor({ state: 'visible', timeout: 15_000 });
    await takeScreenshot(page, name, '7-report-restored-after-reload');
  });
});

/** The lens appears once the extension has activated and parsed the file. */
async function waitForLens(page: Page): Promise<Locator> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await codeLensAbove(page, /Optimize/, 'def find_duplicates');
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.waitForTimeout(500);
    }
  }
}
