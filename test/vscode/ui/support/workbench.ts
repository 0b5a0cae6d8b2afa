/**
 * What a person does in the VS Code workbench, as Playwright steps: Quick Open a file, run a command from the palette,
 * find a CodeLens, find the frame of a webview. Selectors are VS Code 1.100's DOM; keep them here so a VS Code update
 * changes one file.
 */
import type { Frame, Locator, Page } from 'playwright-core';

/** Ctrl+P, the file name, Enter; resolves once the file's tab is active and its text is rendered. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(fileName);
  // Wait for the result row so Enter does not pick a stale entry.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await activeTab(page, fileName).waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 15_000 });
}

/** Ctrl+Shift+P, the command's title as shown in the palette (e.g. "Perfloop: Show History"), Enter. */
export async function runCommandFromPalette(page: Page, title: string): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
}

export function activeTab(page: Page, fileName: string): Locator {
  return page.locator('.tabs-container .tab.active', { hasText: fileName });
}

/** The CodeLens links in the active editor whose text matches, in document order. */
export function codeLenses(page: Page, text: RegExp | string): Locator {
  return page.locator('.editor-group-container.active .codelens-decoration a', { hasText: text });
}

/**
 * The CodeLens shown directly above the line containing `lineText`: lenses sit in their own view zone above the line
 * they belong to, so it is the lens with the greatest y above that line.
 */
export async function codeLensAbove(page: Page, lensText: RegExp | string, lineText: string): Promise<Locator> {
  const line = page.locator('.editor-group-container.active .view-line', { hasText: lineText }).first();
  await line.waitFor({ state: 'visible', timeout: 15_000 });
  const lineBox = await line.boundingBox();
  if (!lineBox) throw new Error(`the line "${lineText}" is not on screen`);
  const lenses = codeLenses(page, lensText);
  let best: { index: number; y: number } | undefined;
  for (let index = 0; index < (await lenses.count()); index++) {
    const box = await lenses.nth(index).boundingBox();
    if (box && box.y < lineBox.y && (!best || box.y > best.y)) best = { index, y: box.y };
  }
  if (!best) throw new Error(`no CodeLens matching ${String(lensText)} above "${lineText}"`);
  return lenses.nth(best.index);
}

/**
 * The frame of a webview whose document satisfies `predicate`. VS Code renders each webview as an iframe (the host page)
 * holding another iframe (the extension's HTML), so the frames are searched rather than addressed.
 */
export async function findWebviewFrame(page: Page, predicate: (frame: Frame) => Promise<boolean>, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      try {
        if (await predicate(frame)) return frame;
      } catch {
        // A frame navigating or detaching mid-check is simply not the one yet.
      }
    }
    if (Date.now() > deadline) {
      const frames = page.frames().map((f) => f.url()).join(', ');
      throw new Error(`no webview frame matched within ${timeoutMs / 1000} s (frames: ${frames})`);
    }
    await page.waitForTimeout(250);
  }
}

/** A predicate for findWebviewFrame: the frame's visible text matches. */
export function frameTextMatches(pattern: RegExp): (frame: Frame) => Promise<boolean> {
  return async (frame) => pattern.test(await frame.locator('body').innerText({ timeout: 1000 }));
}

/** Keyboard shortcuts go to whatever has focus; the editor area is a safe place to start from. */
async function focusWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, timeout: 10_000 }).catch(() => undefined);
}
