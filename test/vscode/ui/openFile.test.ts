/** A person opens the workspace and a Python file in it; the screenshots show what they see. */
import assert from 'node:assert/strict';
import { takeScreenshot } from '../browser.js';
import { useVsCodeSession } from './support/session.js';
import { quickOpen } from './support/workbench.js';

describe('Opening a Python file', function () {
  this.timeout(120_000);
  const session = useVsCodeSession();

  it('shows the workbench with the fixture workspace, then the file in an editor', async function () {
    const name = this.test?.fullTitle() ?? 'open-file';
    const page = await session.openWorkbench();
    await takeScreenshot(page, name, '1-workbench');

    await quickOpen(page, 'duplicates.py');
    const editorText = await page.locator('.editor-group-container.active .view-lines').first().innerText();
    assert.match(editorText, /def\s+find_duplicates\(emails\):/);
    await takeScreenshot(page, name, '2-editor');
  });
});
