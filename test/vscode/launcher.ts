/**
 * Starts one code-server (a real VS Code 1.100 server with a Node extension host) for a test session: loopback only, no
 * auth, a free port, its own user-data, extensions and XDG directories under the session's temp directory, and settings
 * that point Perfloop at the tests' local OpenAI-compatible server. Stopped by killing its process group.
 */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnGroup, stopGroup, tail } from './processes.js';

export interface CodeServerOptions {
  /** code-server's out/node/entry.js (from ensureCodeServer). */
  entry: string;
  /** The folder VS Code opens. */
  workspace: string;
  /** Where this session keeps user data, logs and code-server's own config; created if missing. */
  sessionDir: string;
  /** Extensions installed for this session (may be empty when the extension comes in as extensionDevelopmentPath). */
  extensionsDir: string;
  /** false starts VS Code with Workspace Trust on and the folder untrusted (restricted mode). */
  trusted: boolean;
  /** User settings merged over the defaults below. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server; the extension host inherits it. */
  env?: NodeJS.ProcessEnv;
}

export interface CodeServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  origin: string;
  port: number;
  workspace: string;
  /** The URL that opens the workspace folder in the workbench. */
  folderUrl(): string;
  /** code-server's stdout and stderr so far (server and extension-host logs land here too). */
  output(): string;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;

/** Settings every session gets: no welcome page, tips, update checks or telemetry, so screenshots show the test's state. */
export function defaultSettings(trusted: boolean): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'chat.commandCenter.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'editor.codeLens': true,
    'files.hotExit': 'off',
    // The web workbench auto-saves after 1 s by default (desktop VS Code does not): a save behind a test's back races its
    // undo and revert, and turns "nothing is saved behind the user" into a question of timing.
    'files.autoSave': 'off',
    'window.restoreWindows': 'none',
    // Restricted sessions: no modal trust prompt on startup; the folder simply stays untrusted.
    ...(trusted ? {} : { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.enabled': true }),
  };
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const userDataDir = join(options.sessionDir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(options.extensionsDir, { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...defaultSettings(options.trusted), ...options.settings }, null, 2),
  );
  // An empty config file of our own: otherwise code-server writes ~/.config/code-server/config.yaml with a password.
  const configFile = join(options.sessionDir, 'code-server-config.yaml');
  writeFileSync(configFile, '');

  const args = [
    options.entry,
    '--config', configFile,
    '--auth', 'none',
    // Port 0: the OS picks a free one and code-server prints it, so there is no race between picking and binding.
    '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', options.extensionsDir,
    ...(options.trusted ? ['--disable-workspace-trust'] : []),
    options.workspace,
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // code-server and VS Code keep state (logs, device id, heartbeat) under XDG directories; keep it in the session.
    XDG_CONFIG_HOME: join(options.sessionDir, 'xdg-config'),
    XDG_DATA_HOME: join(options.sessionDir, 'xdg-data'),
    XDG_CACHE_HOME: join(options.sessionDir, 'xdg-cache'),
    ...options.env,
  };
  const child = spawnGroup(process.execPath, args, { env, cwd: options.workspace });
  const logFile = join(options.sessionDir, 'code-server.log');
  const output = captureOutput(child, logFile);

  let port: number;
  try {
    port = await waitForListeningPort(child, output);
    await waitForHealthy(`http://127.0.0.1:${port}`);
  } catch (error) {
    await stopGroup(child);
    throw new Error(`code-server did not start: ${(error as Error).message}\n${tail(output.text(), 30)}`);
  }
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    workspace: options.workspace,
    folderUrl: () => `${origin}/?folder=${encodeURIComponent(options.workspace)}`,
    output: () => output.text(),
    stop: () => stopGroup(child),
  };
}

interface CapturedOutput {
  text(): string;
  /** Resolves with the first match of the pattern in the output, as soon as it appears. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
}

function captureOutput(child: ChildProcess, logFile: string): CapturedOutput {
  let text = '';
  const waiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void }[] = [];
  const file = createWriteStream(logFile);
  const onData = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    file.write(chunk);
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(text);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.once('exit', () => file.end());
  return {
    text: () => text || readFileOr(logFile),
    waitFor: (pattern) =>
      new Promise((resolve) => {
        const match = pattern.exec(text);
        if (match) resolve(match);
        else waiters.push({ pattern, resolve });
      }),
  };
}

async function waitForListeningPort(child: ChildProcess, output: CapturedOutput): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`exited early (${code ?? signal})`))),
  );
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no "HTTP server listening" line within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
  });
  try {
    const match = await Promise.race([output.waitFor(/HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/), exited, timedOut]);
    return Number(match[1]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitForHealthy(origin: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${origin}/healthz never answered 200 (${last})`);
}

function readFileOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
