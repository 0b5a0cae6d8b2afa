/**
 * Runs one wrapper process in its own process group with a wall-clock timeout, an AbortSignal and bounded output capture,
 * and kills the whole group (SIGKILL) on any of them. node:child_process is used directly rather than execa because the
 * sandbox needs an extra fd for the seccomp program, group-wide kills and a byte cap that keeps (not discards) the output.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Duplex, Readable } from 'node:stream';
import type { ChannelStream } from './types.js';

export interface GroupRunOptions {
  file: string;
  args: readonly string[];
  env: Record<string, string>;
  cwd: string;
  stdin?: string;
  /**
   * What fds 3, 4, … of the child are: bytes written then closed (bwrap's seccomp program, copied files), `channel` for a
   * duplex stream handed to onChannel once the child has started (a worker driven between requests), undefined: no fd.
   */
  extraFds?: readonly (Buffer | 'channel' | undefined)[];
  onChannel?: (channel: ChannelStream, pid: number) => void;
  timeoutMs: number;
  signal?: AbortSignal;
  maxOutputBytes: number;
}

export interface GroupRunResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  outputTruncated: boolean;
  durationMs: number;
}

/** How long to wait for the output pipes to close once the wrapper has exited before giving up on stragglers. */
const PIPE_DRAIN_GRACE_MS = 2000;

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

class BoundedCapture {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly limit: number, private readonly onOverflow: () => void) {}

  attach(stream: Readable | null): void {
    stream?.on('data', (chunk: Buffer) => {
      if (this.truncated) return;
      const room = this.limit - this.size;
      if (chunk.length > room) {
        this.chunks.push(chunk.subarray(0, room));
        this.size = this.limit;
        this.truncated = true;
        this.onOverflow();
        return;
      }
      this.chunks.push(chunk);
      this.size += chunk.length;
    });
  }

  text(): string {
    return Buffer.concat(this.chunks, this.size).toString('utf8');
  }
}

export function runProcessGroup(options: GroupRunOptions): Promise<GroupRunResult> {
  const started = performance.now();
  if (options.signal?.aborted) {
    return Promise.resolve({
      stdout: '', stderr: '', exitCode: null, signal: null, timedOut: false, aborted: true, outputTruncated: false, durationMs: 0,
    });
  }
  return new Promise((resolve, reject) => {
    const stdio: ('pipe' | 'ignore')[] = [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'];
    for (const bytes of options.extraFds ?? []) stdio.push(bytes ? 'pipe' : 'ignore');
    // detached: the child leads a new process group, so one kill(-pid) reaches everything it started in that group.
    const child = spawn(options.file, options.args, { cwd: options.cwd, env: options.env, stdio, detached: true });

    let timedOut = false;
    let aborted = false;
    let settled = false;
    let exitStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let drainTimer: NodeJS.Timeout | undefined;

    const stdout = new BoundedCapture(options.maxOutputBytes, () => killGroup(child.pid));
    const stderr = new BoundedCapture(options.maxOutputBytes, () => killGroup(child.pid));
    stdout.attach(child.stdout);
    stderr.attach(child.stderr);

    const timeoutTimer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      killGroup(child.pid);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const cleanup = (): void => {
      clearTimeout(timeoutTimer);
      if (drainTimer) clearTimeout(drainTimer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const finish = (): void => {
      if (settled || !exitStatus) return;
      settled = true;
      cleanup();
      resolve({
        stdout: stdout.text(),
        stderr: stderr.text(),
        exitCode: exitStatus.code,
        signal: exitStatus.signal,
        timedOut,
        aborted,
        outputTruncated: stdout.truncated || stderr.truncated,
        durationMs: performance.now() - started,
      });
    };

    child.once('error', (error) => {
      if (settled) return;
      settled = true;
      cleanup();
      killGroup(child.pid);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      exitStatus = { code, signal };
      // Whatever the program left behind in its group (background children) dies with it.
      killGroup(child.pid);
      // A straggler outside the group may still hold the pipes open; do not wait for it forever.
      drainTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish();
      }, PIPE_DRAIN_GRACE_MS);
    });
    child.once('close', finish);

    // Writes to a child that exits early fail with EPIPE; the exit status tells the story, so the error is ignored.
    if (options.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin);
    }
    (options.extraFds ?? []).forEach((bytes, index) => {
      const fd = child.stdio[3 + index];
      if (!bytes || !fd || !('end' in fd)) return;
      fd.on('error', () => undefined);
      if (bytes !== 'channel') fd.end(bytes);
      else if (child.pid !== undefined) options.onChannel?.(fd as Duplex, child.pid);
    });
  });
}
