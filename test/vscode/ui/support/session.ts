/**
 * A VS Code session for UI tests, set up by mocha hooks: a fresh workspace copy, a fake OpenAI-compatible server, a
 * code-server with the packaged extension installed, and Chromium. Call `useVsCodeSession()` inside a `describe`; each
 * file gets its own session, so tests in different files cannot see each other's edits or settings.
 *
 * The harness (test/vscode/run.ts) says where code-server and the installed extension are through environment
 * variables; see harnessEnvironment().
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startFakeLlmServer, type FakeLlmServer, type ReplyScript } from '../../../support/fakeLlmServer.js';
import { launchChromium, newWorkbenchPage, takeScreenshot } from '../../browser.js';
import { startCodeServer, type CodeServer } from '../../launcher.js';
import { prepareWorkspace } from '../../workspace.js';

export interface HarnessEnvironment {
  /** code-server's out/node/entry.js. */
  codeServerEntry: string;
  /** Extensions directory holding the installed .vsix. */
  extensionsDir: string;
  /** Parent of the per-session temp directories. */
  runDir: string;
}

/** Set by run.ts; a test file started some other way gets a message saying how to run it. */
export function harnessEnvironment(): HarnessEnvironment {
  const codeServerEntry = process.env.PERFLOOP_CODE_SERVER_ENTRY;
  const extensionsDir = process.env.PERFLOOP_VSCODE_EXTENSIONS_DIR;
  const runDir = process.env.PERFLOOP_VSCODE_RUN_DIR;
  if (!codeServerEntry || !extensionsDir || !runDir) {
    throw new Error('UI tests need the harness: run `node out/test/vscode/run.js --suite ui` (see test/vscode/README.md)');
  }
  return { codeServerEntry, extensionsDir, runDir };
}

export interface SessionOptions {
  /** false: Workspace Trust on and the folder untrusted (restricted mode). Default true. */
  trusted?: boolean;
  /** Replies of the fake LLM server, in order (or a function of the request). Default: none (every request fails). */
  llm?: ReplyScript;
  /** User settings on top of the defaults (which already point perfloop.baseUrl at the fake server). */
  settings?: Record<string, unknown>;
  /** Environment of code-server and so of the extension host. */
  env?: NodeJS.ProcessEnv;
  /** Builds the folder VS Code opens inside the session's directory and returns its path. Default: the fixture workspace. */
  workspace?: (sessionDir: string) => string;
}

export interface VsCodeSession {
  readonly server: CodeServer;
  readonly llm: FakeLlmServer;
  readonly browser: Browser;
  /** The workspace copy VS Code has open; tests may read the files the extension changed. */
  readonly workspace: string;
  /** A new page showing the workbench with the workspace open, ready for input. */
  openWorkbench(): Promise<Page>;
}

export function useVsCodeSession(options: SessionOptions = {}): VsCodeSession {
  let state: { server: CodeServer; llm: FakeLlmServer; browser: Browser; workspace: string } | undefined;
  const pages: Page[] = [];

  before(async function () {
    this.timeout(120_000);
    const harness = harnessEnvironment();
    mkdirSync(harness.runDir, { recursive: true });
    const sessionDir = mkdtempSync(join(harness.runDir, 'ui-'));
    const workspace = (options.workspace ?? prepareWorkspace)(sessionDir);
    const llm = await startFakeLlmServer(options.llm ?? []);
    try {
      const server = await startCodeServer({
        entry: harness.codeServerEntry,
        workspace,
        sessionDir,
        extensionsDir: harness.extensionsDir,
        trusted: options.trusted ?? true,
        settings: { 'perfloop.baseUrl': llm.baseURL, 'perfloop.model': 'fake-model', ...options.settings },
        ...(options.env ? { env: options.env } : {}),
      });
      try {
        state = { server, llm, browser: await launchChromium(join(sessionDir, 'chromium')), workspace };
      } catch (error) {
        await server.stop();
        throw error;
      }
    } catch (error) {
      await llm.close();
      throw error;
    }
  });

  // A failing test leaves a picture of every open page behind.
  afterEach(async function () {
    const test = this.currentTest;
    if (test?.state !== 'failed') return;
    for (const [index, page] of pages.entries()) {
      if (!page.isClosed()) await takeScreenshot(page, test.fullTitle(), `failure-${index}`);
    }
  });

  after(async function () {
    this.timeout(30_000);
    if (!state) return;
    await state.browser.close().catch(() => undefined);
    await state.server.stop();
    await state.llm.close();
  });

  const get = () => {
    assert.ok(state, 'the VS Code session starts in a before() hook; use it inside tests');
    return state;
  };
  return {
    get server() {
      return get().server;
    },
    get llm() {
      return get().llm;
    },
    get browser() {
      return get().browser;
    },
    get workspace() {
      return get().workspace;
    },
    async openWorkbench() {
      const { server, browser } = get();
      const page = await newWorkbenchPage(browser);
      pages.push(page);
      await page.goto(server.folderUrl());
      await waitForWorkbench(page);
      return page;
    },
  };
}

/** The workbench is up when the Explorer lists the workspace's files (the remote file system is connected). */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
}
