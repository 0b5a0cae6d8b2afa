/**
 * Debian's Chromium driven by playwright-core (no browser download), with the flags that work on these machines, and
 * the screenshot convention: test-results/screenshots/<test>-<step>.png, meant to be looked at by a person.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results/screenshots');

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  return process.env.PERFLOOP_CHROMIUM || '/usr/bin/chromium';
}

/** `scratchDir` keeps Chromium's crash reports and caches out of the user's home directory. */
export async function launchChromium(scratchDir: string): Promise<Browser> {
  mkdirSync(scratchDir, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_FLAGS,
    headless: process.env.PERFLOOP_HEADED !== '1',
    env: { ...process.env, XDG_CONFIG_HOME: join(scratchDir, 'xdg-config'), XDG_CACHE_HOME: join(scratchDir, 'xdg-cache') },
    timeout: 60_000,
  });
}

/** A page the size of a laptop screen, so screenshots show the whole workbench legibly. */
export async function newWorkbenchPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  return context.newPage();
}

export function screenshotPath(testName: string, step: string): string {
  return join(SCREENSHOT_DIR, `${slug(testName)}-${slug(step)}.png`);
}

/** Saves `test-results/screenshots/<test>-<step>.png` and returns its path. Never throws: a screenshot is evidence, not a check. */
export async function takeScreenshot(page: Page, testName: string, step: string): Promise<string | undefined> {
  const path = screenshotPath(testName, step);
  mkdirSync(dirname(path), { recursive: true });
  try {
    await page.screenshot({ path, timeout: 15_000 });
    return path;
  } catch (error) {
    console.warn(`    (screenshot ${path} failed: ${(error as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}
