/**
 * The report panel in a real Chromium, under the host's CSP, in VS Code's dark, light and high-contrast themes: it
 * renders live and finished runs without console errors or CSP violations, posts the right messages, survives a
 * malformed message, redraws its charts on a theme change and restores its UI state. Screenshots go to
 * test-results/webview/ for a human to look at.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { doneState, failedState, runningState } from '../webview/sampleStates.js';
import { bundleIsBuilt, CHROMIUM_ARGS, CHROMIUM_PATH, cspViolations, openPreview, type Preview } from '../webview/preview.js';
import { DARK_HIGH_CONTRAST, DARK_MODERN, LIGHT_MODERN, PREVIEW_THEMES } from '../webview/themes.js';

const SHOTS = join(process.cwd(), 'test-results', 'webview');

describe('report webview in Chromium @slow', function () {
  this.timeout(60_000);
  let browser: Browser;
  const opened: Preview[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM_PATH)) {
      console.log(`      (skipped: no Chromium at ${CHROMIUM_PATH})`);
      this.skip();
    }
    assert.ok(bundleIsBuilt(), 'dist/webview/report.js is missing: run `node esbuild.mjs` (npm test does it in pretest)');
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    for (const preview of opened.splice(0)) {
      const violations = await cspViolations(preview);
      await preview.page.close();
      assert.deepEqual([...preview.problems, ...violations], [], 'console errors or CSP violations');
    }
  });

  /** The visible outcome sentence (the same words also go to a screen-reader live region). */
  const outcome = (preview: Preview, text: string) => preview.page.locator('p.outcome', { hasText: text });

  async function open(options: Parameters<typeof openPreview>[1]): Promise<Preview> {
    const preview = await openPreview(browser, options);
    opened.push(preview);
    return preview;
  }

  for (const theme of PREVIEW_THEMES) {
    it(`renders a live run and the finished report in the ${theme.name} theme`, async () => {
      const preview = await open({ theme, width: 1100 });
      await preview.post({ type: 'state', state: runningState() });
      await preview.page.getByText('checking and measuring…').waitFor();
      await preview.page.screenshot({ path: join(SHOTS, `${theme.name}-running.png`), fullPage: true });

      await preview.post({ type: 'state', state: doneState() });
      await outcome(preview, 'r1c2 is 38.6× faster').waitFor();
      await preview.page.screenshot({ path: join(SHOTS, `${theme.name}-done.png`), fullPage: true });

      await preview.page.getByRole('option', { name: /^r1c4, incorrect/ }).click();
      await preview.page.getByText('Counterexample: Returns a different value').waitFor();
      await preview.page.locator('.detail').screenshot({ path: join(SHOTS, `${theme.name}-incorrect-detail.png`) });
    });
  }

  it('fits a 400px-wide panel', async () => {
    const preview = await open({ theme: DARK_MODERN, width: 400, height: 800 });
    await preview.post({ type: 'state', state: doneState() });
    await outcome(preview, 'r1c2 is 38.6× faster').waitFor();
    const overflow = await preview.page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
      return doc.documentElement.scrollWidth - doc.documentElement.clientWidth;
    });
    await preview.page.screenshot({ path: join(SHOTS, 'dark-narrow.png'), fullPage: true });
    assert.equal(overflow, 0, 'the page scrolls sideways at 400px');
  });

  it('shows a failed run with its error and a Show log button', async () => {
    const preview = await open({ theme: DARK_MODERN });
    await preview.post({ type: 'state', state: failedState() });
    await outcome(preview, 'Failed: The LLM endpoint rejected the API key').waitFor();
    await preview.page.getByRole('button', { name: 'Show log' }).click();
    await preview.page.screenshot({ path: join(SHOTS, 'dark-failed.png'), fullPage: true });
    assert.deepEqual((await preview.posted()).at(-1), { type: 'showLog' });
  });

  it('posts ready on load, cancel while running, and apply for the selected faster candidate', async () => {
    const preview = await open({ theme: LIGHT_MODERN });
    assert.deepEqual((await preview.posted())[0], { type: 'ready' });
    await preview.post({ type: 'state', state: runningState() });
    await preview.page.getByRole('button', { name: 'Cancel' }).click();
    assert.deepEqual((await preview.posted()).at(-1), { type: 'cancel' });

    await preview.post({ type: 'state', state: doneState() });
    await preview.page.getByRole('button', { name: 'Apply', exact: true }).click();
    assert.deepEqual((await preview.posted()).at(-1), { type: 'apply', candidateId: 'r1c2' });

    await preview.post({ type: 'state', state: { ...doneState(), applied: { candidateId: 'r1c2', at: new Date().toISOString() } } });
    await preview.page.locator('.applied-line', { hasText: /Applied r1c2 at \d\d:\d\d/ }).waitFor();
  });

  it('moves the selection with the arrow keys and explains why Apply is unavailable', async () => {
    const preview = await open({ theme: DARK_MODERN });
    await preview.post({ type: 'state', state: doneState() });
    const selected = preview.page.locator('[role="option"][aria-selected="true"]');
    await selected.focus();
    assert.match((await selected.getAttribute('aria-label')) ?? '', /^r1c2, faster, best/);
    await preview.page.keyboard.press('ArrowDown');
    await preview.page.keyboard.press('ArrowDown');
    assert.match((await selected.getAttribute('aria-label')) ?? '', /^r1c3, no difference/);
    assert.equal(await preview.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id), 'candidate-r1c3');
    await preview.page.getByText('Equivalent but not measurably faster').waitFor();
    await preview.page.keyboard.press('End');
    assert.match((await selected.getAttribute('aria-label')) ?? '', /^r2c2, error/);
  });

  it('shows a visible error line for a malformed message and keeps the last good state', async () => {
    const preview = await open({ theme: DARK_MODERN });
    await preview.post({ type: 'state', state: doneState() });
    await preview.post({ type: 'state', state: { runId: 7, status: 'exploded' } });
    await preview.page.getByRole('alert').filter({ hasText: 'could not read' }).waitFor();
    await outcome(preview, 'r1c2 is 38.6× faster').waitFor();
    await preview.page.screenshot({ path: join(SHOTS, 'dark-malformed.png') });
    // The panel logs it as a warning, not an error: drop it from the problem list checked after each test.
    preview.problems.splice(0);
  });

  it('waits visibly for the first state, then shows notices from the host until dismissed', async () => {
    const preview = await open({ theme: LIGHT_MODERN });
    await preview.page.getByText('Waiting for Perfloop to start the run…').waitFor();
    await preview.post({ type: 'state', state: { ...doneState(), stale: true } });
    await preview.page.getByText('The file changed since this run started.').waitFor();
    await preview.post({ type: 'notice', level: 'warning', text: 'r1c2 could not be applied: the function moved.' });
    const notice = preview.page.locator('.banner', { hasText: 'could not be applied' });
    await notice.waitFor();
    await preview.page.screenshot({ path: join(SHOTS, 'light-stale-notice.png') });
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'detached' });
  });

  it('redraws the charts when the theme changes', async () => {
    const preview = await open({ theme: DARK_MODERN });
    await preview.post({ type: 'state', state: doneState() });
    const pixels = (): Promise<string> => preview.page.locator('.speedup-chart canvas').evaluate((canvas) => (canvas as unknown as { toDataURL(): string }).toDataURL());
    const dark = await pixels();
    await preview.setTheme(LIGHT_MODERN);
    assert.notEqual(await pixels(), dark);
    await preview.setTheme(DARK_HIGH_CONTRAST);
    await preview.page.screenshot({ path: join(SHOTS, 'switched-to-high-contrast.png'), fullPage: true });
  });

  it('restores the selected candidate and collapsed sections from its saved state', async () => {
    const first = await open({ theme: DARK_MODERN });
    await first.post({ type: 'state', state: doneState() });
    await first.page.getByRole('option', { name: /^r1c4, incorrect/ }).click();
    await first.page.locator('details[data-section="baseline"] > summary').click();
    await first.page.waitForFunction(() => JSON.stringify((globalThis as unknown as { __saved: unknown }).__saved).includes('"collapsedSections":["baseline"]'));
    const saved = await first.saved();

    const second = await open({ theme: DARK_MODERN, persisted: saved });
    // Before the host answers `ready`, the saved snapshot is already on screen, as the user left it.
    await second.page.getByText('Counterexample: Returns a different value').waitFor();
    assert.equal(await second.page.locator('details[data-section="baseline"]').getAttribute('open'), null);
  });
});
