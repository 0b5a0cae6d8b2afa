/**
 * A stand-in for VS Code's webview host, for looking at the report panel in a real browser: the same HTML and CSP as
 * extension/report/reportPanel.ts (per-load nonce, resources from one origin), the built dist/webview/report.js and
 * report.css, a stub acquireVsCodeApi that records what the page posts, and a VS Code theme's body class and
 * --vscode-* variables. The page is served through request interception, so no server or network is involved.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { reportPageHtml } from '../../webview-ui/reportPage.js';
import type { PreviewTheme } from './themes.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu'];
const ORIGIN = 'https://perfloop-webview.test';
const DIST = join(process.cwd(), 'dist', 'webview');

export interface PreviewOptions {
  theme: PreviewTheme;
  width?: number;
  height?: number;
  /** What getState() returns on load, as after the panel was hidden or VS Code reloaded. */
  persisted?: unknown;
}

export interface Preview {
  page: Page;
  /** Delivers a host → webview message, as webview.postMessage does. */
  post(message: unknown): Promise<void>;
  /** Messages the page posted to the host, in order. */
  posted(): Promise<unknown[]>;
  /** What the page last passed to setState. */
  saved(): Promise<unknown>;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  setTheme(theme: PreviewTheme): Promise<void>;
}

export function bundleIsBuilt(): boolean {
  return existsSync(join(DIST, 'report.js')) && existsSync(join(DIST, 'report.css'));
}

function themeScript(theme: PreviewTheme): string {
  return `(() => {
  const root = document.documentElement;
  for (const name of [...root.style]) if (name.startsWith('--vscode-')) root.style.removeProperty(name);
  const vars = ${JSON.stringify(theme.variables)};
  for (const [name, value] of Object.entries(vars)) root.style.setProperty(name, value);
  document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light');
  document.body.classList.add(${JSON.stringify(theme.bodyClass)});
  document.body.dataset.vscodeThemeKind = ${JSON.stringify(theme.bodyClass)};
})();`;
}

/** The host's page, with the stub API and the theme injected by a nonce'd script as VS Code injects its own. */
function pageHtml(options: PreviewOptions): string {
  const persisted = JSON.stringify(options.persisted ?? null).replace(/</g, '\\u003c');
  return reportPageHtml({
    nonce: randomBytes(16).toString('base64'),
    cspSource: ORIGIN,
    scriptUri: `${ORIGIN}/dist/webview/report.js`,
    styleUri: `${ORIGIN}/dist/webview/report.css`,
    runId: 'preview',
    headScript: `window.__posted = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')));
let persisted = ${persisted};
window.acquireVsCodeApi = () => ({
  postMessage: (message) => window.__posted.push(message),
  getState: () => persisted ?? undefined,
  setState: (state) => { persisted = state; window.__saved = state; },
});
${themeScript(options.theme)}`,
  });
}

export async function openPreview(browser: Browser, options: PreviewOptions): Promise<Preview> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1100, height: options.height ?? 900 }, deviceScaleFactor: 1 });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  const html = pageHtml(options);
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html') return route.fulfill({ contentType: 'text/html', body: html });
    const file = path.match(/^\/dist\/webview\/(report\.(js|css))$/);
    if (file) return route.fulfill({ contentType: file[2] === 'js' ? 'text/javascript' : 'text/css', body: readFileSync(join(DIST, file[1]!)) });
    return route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => (globalThis as unknown as { __posted: unknown[] }).__posted.length > 0);

  const evaluateGlobal = <T>(name: string): Promise<T> => page.evaluate((key) => (globalThis as unknown as Record<string, T>)[key]!, name);
  return {
    page,
    problems,
    async post(message) {
      await page.evaluate((m) => (globalThis as unknown as { postMessage(message: unknown, target: string): void }).postMessage(m, '*'), message);
      // postMessage is delivered on a later task; let it land and render.
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 30)));
    },
    posted: () => evaluateGlobal<unknown[]>('__posted'),
    saved: () => evaluateGlobal<unknown>('__saved'),
    async setTheme(theme) {
      await page.evaluate(themeScript(theme));
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 60)));
    },
  };
}

/** CSP violations the page itself recorded (some are not logged to the console). */
export async function cspViolations(preview: Preview): Promise<string[]> {
  return preview.page.evaluate(() => (globalThis as unknown as { __violations: string[] }).__violations);
}
