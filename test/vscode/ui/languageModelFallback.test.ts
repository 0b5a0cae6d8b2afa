/**
 * With `perfloop.provider` = `vscode-lm` where VS Code offers no language model (code-server has no Copilot), the user
 * gets a clear message with a way out, and nothing runs.
 */
import assert from 'node:assert/strict';
import { takeScreenshot } from '../browser.js';
import { useVsCodeSession } from './support/session.js';
import { quickOpen, runCommandFromPalette } from './support/workbench.js';

describe('VS Code language model provider', function () {
  this.timeout(180_000);
  const session = useVsCodeSession({ llm: [], settings: { 'perfloop.provider': 'vscode-lm' } });

  it('explains that no language model is available and offers the setting', async function () {
    const name = this.test?.fullTitle() ?? 'lm-fallback';
    const page = await session.openWorkbench();
    await quickOpen(page, 'duplicates.py');
    await page.getByText('def find_duplicates').first().click();
    await runCommandFromPalette(page, 'Perfloop: Optimize Function at Cursor');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /No VS Code language model is available/ });
    await toast.first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok(await toast.first().getByRole('button', { name: 'Open Settings' }).isVisible());
    await takeScreenshot(page, name, '1-no-model');
    assert.equal(session.llm.chatRequests.length, 0, 'nothing was sent anywhere');
  });
});
