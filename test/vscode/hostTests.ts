/**
 * Runs the extension-host suite (out/vscode-host/*.test.cjs) inside a real VS Code, the way VS Code's own browser
 * integration tests do: code-server serves the workbench, Chromium opens it with an `extensionDevelopmentPath` and
 * `extensionTestsPath` payload, the extension host loads suite/index.cjs and calls run(), and the workbench reports the
 * exit code through `window.codeAutomationExit`, which this side exposes on the page.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsoleMessage } from 'playwright-core';
import { startFakeLlmServer } from '../support/fakeLlmServer.js';
import { launchChromium, newWorkbenchPage, takeScreenshot } from './browser.js';
import { startCodeServer } from './launcher.js';
import { HOST_EVENT_PREFIX, type HostEvent, type HostRunConfig, type HostTestResult } from './suite/hostProtocol.js';
import { prepareWorkspace } from './workspace.js';

export type TrustMode = 'trusted' | 'restricted';

export interface HostSuiteOptions {
  codeServerEntry: string;
  /** The installed extension's directory, loaded as the extension under development. */
  extensionPath: string;
  /** out/vscode-host (bundled by test/vscode/build.mjs). */
  bundleDir: string;
  /** A fresh directory for this session's workspace copy, user data and logs. */
  sessionDir: string;
  mode: TrustMode;
  grep?: string;
  /** Per mocha test inside the host. */
  testTimeoutMs?: number;
  /** The whole session, startup included. */
  sessionTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface HostSuiteResult {
  mode: TrustMode;
  results: HostTestResult[];
  /** True when run() finished and VS Code reported exit code 0. */
  ok: boolean;
  /** Why the session itself failed (timeout, no exit code), beside failing tests. */
  problem?: string;
}

/** `*.restricted.test.cjs` run in restricted mode, every other `*.test.cjs` trusted. */
export function hostTestFiles(bundleDir: string, mode: TrustMode): string[] {
  if (!existsSync(bundleDir)) return [];
  return readdirSync(bundleDir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.cjs'))
    .filter((name) => name.endsWith('.restricted.test.cjs') === (mode === 'restricted'))
    .sort()
    .map((name) => join(bundleDir, name));
}

export async function runHostSuite(options: HostSuiteOptions): Promise<HostSuiteResult> {
  const log = options.log ?? console.log;
  const files = hostTestFiles(options.bundleDir, options.mode);
  if (files.length === 0) return { mode: options.mode, results: [], ok: true };

  mkdirSync(options.sessionDir, { recursive: true });
  const workspace = prepareWorkspace(options.sessionDir);
  const resultsFile = join(options.sessionDir, 'host-results.json');
  const config: HostRunConfig = {
    files,
    timeoutMs: options.testTimeoutMs ?? 60_000,
    resultsFile,
    ...(options.grep ? { grep: options.grep } : {}),
  };
  // Nothing in the host suite should reach a real LLM: the default endpoint answers every request with an error.
  // Tests that need replies start their own server (useFakeLlm in suite/support/host.ts).
  const llm = await startFakeLlmServer(() => ({ status: 503, body: { error: { message: 'no LLM replies scripted for the host suite' } } }));
  const results: HostTestResult[] = [];
  let problem: string | undefined;
  let exitCode: number | undefined;
  try {
    const server = await startCodeServer({
      entry: options.codeServerEntry,
      workspace,
      sessionDir: options.sessionDir,
      // Empty: the extension comes in as the extension under development, so it is not installed twice.
      extensionsDir: join(options.sessionDir, 'extensions'),
      trusted: options.mode === 'trusted',
      settings: { 'perfloop.baseUrl': llm.baseURL, 'perfloop.model': 'fake-model' },
      env: { PERFLOOP_HOST_TESTS: JSON.stringify(config) },
    });
    try {
      const browser = await launchChromium(join(options.sessionDir, 'chromium'));
      try {
        const page = await newWorkbenchPage(browser);
        let reportExit!: (code: number) => void;
        const exited = new Promise<number>((resolve) => (reportExit = resolve));
        // Must be in place before the workbench loads: it calls window.codeAutomationExit(code) when run() settles.
        await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
        page.on('console', (message) => onConsole(message, results, log));
        page.on('pageerror', (error) => log(`    [page error] ${error.message}`));

        const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
        const payload = [
          ['extensionDevelopmentPath', remote(options.extensionPath)],
          ['extensionTestsPath', remote(join(options.bundleDir, 'index.cjs'))],
          ['skipWelcome', 'true'],
        ];
        await page.goto(`${server.folderUrl()}&payload=${encodeURIComponent(JSON.stringify(payload))}`);

        const sessionTimeoutMs = options.sessionTimeoutMs ?? 10 * 60_000;
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), sessionTimeoutMs)));
        exitCode = await Promise.race([exited, timedOut]);
        clearTimeout(timer);
        await takeScreenshot(page, `host-${options.mode}`, exitCode === undefined ? 'timeout' : 'end');
        if (exitCode === undefined) problem = `no exit code from VS Code within ${sessionTimeoutMs / 1000} s`;
      } finally {
        await browser.close().catch(() => undefined);
      }
    } finally {
      await server.stop();
    }
  } finally {
    await llm.close();
  }

  // The results file is the authoritative record; console lines may have been lost if the host died.
  const recorded = readResults(resultsFile);
  const finalResults = recorded ?? results;
  if (!recorded && !problem) problem = `run() wrote no results (${resultsFile}); see ${join(options.sessionDir, 'code-server.log')}`;
  const failed = finalResults.some((r) => r.state === 'failed');
  return { mode: options.mode, results: finalResults, ok: exitCode === 0 && !failed && !problem, ...(problem ? { problem } : {}) };
}

function onConsole(message: ConsoleMessage, results: HostTestResult[], log: (line: string) => void): void {
  const text = message.text();
  if (process.env.PERFLOOP_DEBUG_CONSOLE) log(`    [console:${message.type()}] ${JSON.stringify(text).slice(0, 300)}`);
  const at = text.indexOf(HOST_EVENT_PREFIX);
  if (at === -1) {
    // Surface what the extension itself complains about; the workbench's own chatter stays out of the way.
    if (message.type() === 'error' && /perfloop|Extension Host|extension host/i.test(text)) log(`    [console] ${text.split('\n')[0]}`);
    return;
  }
  let event: HostEvent;
  try {
    // Forwarded console lines may carry a trailing source location or styling; the JSON object is complete in itself.
    event = JSON.parse(firstJsonObject(text.slice(at + HOST_EVENT_PREFIX.length))) as HostEvent;
  } catch {
    return;
  }
  if (event.type === 'suite') log(`  ${event.title}`);
  if (event.type === 'console') log(indent(`[${event.level}] ${event.text}`, 6));
  if (event.type === 'test') {
    results.push(event);
    const mark = event.state === 'passed' ? '✓' : event.state === 'failed' ? '✗' : '-';
    log(`    ${mark} ${event.title}${event.state === 'passed' ? ` (${event.durationMs} ms)` : ''}`);
    if (event.error) log(indent(event.error.split('\n').slice(0, 12).join('\n'), 8));
  }
}

function firstJsonObject(text: string): string {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(0, i + 1);
  }
  return text;
}

function readResults(path: string): HostTestResult[] | undefined {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { results: HostTestResult[] }).results;
  } catch {
    return undefined;
  }
}

function indent(text: string, spaces: number): string {
  return text.split('\n').map((line) => ' '.repeat(spaces) + line).join('\n');
}
