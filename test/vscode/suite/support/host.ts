/**
 * Helpers for tests that run inside VS Code's extension host. They talk to VS Code only through the public API, the
 * way the extension and its users do.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { format } from 'node:util';
import { BIG_MODULE_NAME, bigModuleText } from '../../bigModule.js';
import { HOST_EVENT_PREFIX, type HostEvent } from '../hostProtocol.js';
import { startFakeLlmServer, type FakeLlmServer, type ReplyScript } from '../../../support/fakeLlmServer.js';

/** `publisher.name` from package.json. */
export const EXTENSION_ID = 'perfloop.perfloop';

/**
 * Prints a line in the outer runner's output, under the running test. Plain console.log only reaches the browser's
 * console, mixed into the workbench's own log lines: VS Code installs its console forwarder as non-writable properties,
 * so the runner cannot capture console.* itself.
 */
export function hostLog(...args: unknown[]): void {
  const event: HostEvent = { type: 'console', level: 'log', text: format(...args) };
  console.log(`${HOST_EVENT_PREFIX}${JSON.stringify(event)}`);
}

export function perfloopExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  return extension;
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'VS Code was started without the fixture workspace folder');
  return folder.uri;
}

export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), relativePath);
}

/** Opens a workspace file in an editor, as a user double-clicking it in the Explorer would. */
export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  return vscode.window.showTextDocument(document, { preview: false });
}

/**
 * The generated 10,000-line module: the outer runner puts it into the workspace copy; a run without it (the desktop
 * configuration in .vscode-test.mjs) gets one in a temp directory.
 */
export function bigModuleUri(): vscode.Uri {
  const inWorkspace = fixtureUri(BIG_MODULE_NAME);
  if (existsSync(inWorkspace.fsPath)) return inWorkspace;
  const path = join(mkdtempSync(join(tmpdir(), 'perfloop-big-')), BIG_MODULE_NAME);
  writeFileSync(path, bigModuleText());
  return vscode.Uri.file(path);
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Said when the condition never held; the last value seen is appended. */
  message: string;
}

/** Polls until `probe` returns something truthy, and returns it. */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitOptions): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) assert.fail(`${options.message} (last value: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}

/** The CodeLenses every provider gives for a document, with their commands resolved (what the editor would show). */
export async function codeLensesFor(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>('vscode.executeCodeLensProvider', uri, Number.MAX_SAFE_INTEGER);
  return lenses ?? [];
}

/** 0-based line numbers of the module-level `def` lines of a Python document (what Perfloop can optimize). */
export function pythonFunctionLines(document: vscode.TextDocument): number[] {
  const lines: number[] = [];
  for (let line = 0; line < document.lineCount; line++) {
    if (/^(async\s+)?def\s+\w+\s*\(/.test(document.lineAt(line).text)) lines.push(line);
  }
  return lines;
}

/**
 * Quick run settings (user settings) for a suite's runs: the runs prove a path through the editor, not the statistics, so
 * few rounds, candidates and samples, and time only (instruction counting runs valgrind). Call inside `describe`.
 */
export function useQuickRuns(settings: { rounds: number; candidates?: number; samples: number }): void {
  before(async () => {
    const config = vscode.workspace.getConfiguration('perfloop');
    await config.update('rounds', settings.rounds, vscode.ConfigurationTarget.Global);
    if (settings.candidates !== undefined) await config.update('candidates', settings.candidates, vscode.ConfigurationTarget.Global);
    await config.update('samples', settings.samples, vscode.ConfigurationTarget.Global);
    await config.update('counters', 'time', vscode.ConfigurationTarget.Global);
  });
}

/**
 * Starts a fake OpenAI-compatible server in the extension host and points `perfloop.baseUrl`/`perfloop.model` at it
 * (user settings) for the duration of a suite; call inside `describe`. The server is a real HTTP server, so the
 * extension's real `openai` client talks to it.
 */
export function useFakeLlm(script: ReplyScript): { readonly server: FakeLlmServer } {
  let server: FakeLlmServer | undefined;
  const config = () => vscode.workspace.getConfiguration('perfloop');
  let previous: { baseUrl: unknown; model: unknown } | undefined;
  before(async () => {
    server = await startFakeLlmServer(script);
    previous = { baseUrl: config().inspect('baseUrl')?.globalValue, model: config().inspect('model')?.globalValue };
    await config().update('baseUrl', server.baseURL, vscode.ConfigurationTarget.Global);
    await config().update('model', 'fake-model', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    if (previous) {
      await config().update('baseUrl', previous.baseUrl, vscode.ConfigurationTarget.Global);
      await config().update('model', previous.model, vscode.ConfigurationTarget.Global);
    }
    await server?.close();
  });
  return {
    get server() {
      assert.ok(server, 'useFakeLlm: the server starts in a before() hook; use it inside tests');
      return server;
    },
  };
}
