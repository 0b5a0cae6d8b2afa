/**
 * Child processes of the VS Code test runner. Everything long-lived (code-server) is started in its own process group and
 * registered here, so one kill(-pid) reaches the extension host, pty host and file watcher it spawned, and so the groups
 * die with the runner even when it exits on an exception, a timeout or Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { runProcessGroup, type GroupRunResult } from '../../profilers/sandbox/processGroup.js';

const liveGroups = new Set<number>();
/** Aborting it kills the group of every one-shot command still running (runProcessGroup kills on abort, synchronously). */
const shutdown = new AbortController();

export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Kills every registered group; synchronous, so it is safe inside a process 'exit' handler. */
export function killAllGroups(): void {
  shutdown.abort();
  for (const pid of liveGroups) killGroup(pid);
  liveGroups.clear();
}

process.once('exit', killAllGroups);

/** Starts a long-lived process in a new process group that is killed when the runner exits. */
export function spawnGroup(file: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; cwd: string }): ChildProcess {
  const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const pid = child.pid;
  if (pid !== undefined) {
    liveGroups.add(pid);
    child.once('exit', () => {
      // Whatever it left behind in its group goes with it.
      killGroup(pid);
      liveGroups.delete(pid);
    });
  }
  return child;
}

/** Stops a group started with spawnGroup: SIGTERM for a clean shutdown, SIGKILL if it lingers. */
export async function stopGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    killGroup(pid);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(pid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  killGroup(pid);
  liveGroups.delete(pid);
}

export interface CommandOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
}

export class CommandError extends Error {
  constructor(readonly command: string, readonly result: GroupRunResult) {
    const why = result.timedOut ? 'timed out' : result.aborted ? 'was stopped' : `exited with ${result.exitCode ?? result.signal}`;
    super(`${command} ${why}\n${tail(result.stdout + result.stderr, 40)}`);
    this.name = 'CommandError';
  }
}

/** Runs a one-shot command to completion (group-killed on timeout) and throws with its output's tail if it fails. */
export async function runCommand(file: string, args: readonly string[], options: CommandOptions): Promise<GroupRunResult> {
  const result = await runProcessGroup({
    file,
    args,
    cwd: options.cwd,
    env: stringEnv(options.env ?? process.env),
    timeoutMs: options.timeoutMs,
    maxOutputBytes: 32 * 1024 * 1024,
    signal: shutdown.signal,
  });
  if (result.exitCode !== 0 || result.aborted) throw new CommandError([file, ...args].join(' '), result);
  return result;
}

export function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
