/** One run of a user's shell command in a project copy, sandboxed; failures come back with the tail of their stderr. */
import { runSandboxed } from '../sandbox/sandbox.js';
import type { SandboxMode, SandboxResult } from '../sandbox/types.js';
import { createProjectCopies, type FilePatch } from './projectCopy.js';

const STDERR_TAIL_LINES = 15;

export interface ProjectCommandOptions {
  timeoutMs: number;
  sandbox: SandboxMode;
  signal?: AbortSignal;
  env?: Readonly<Record<string, string>>;
}

export function runProjectCommand(command: string, workDir: string, options: ProjectCommandOptions): Promise<SandboxResult> {
  return runSandboxed({
    argv: ['/bin/sh', '-c', command],
    mode: options.sandbox,
    workDir,
    // The user's own command (a test runner, a benchmark script) needs to start processes; network and files stay shut.
    allowSubprocesses: true,
    // The user's build and tests write into their project copy and later runs read what they built.
    persistentWorkDir: true,
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
}

export function stderrTail(result: SandboxResult): string {
  return (result.stderr.trim() ? result.stderr : result.stdout).trimEnd().split('\n').slice(-STDERR_TAIL_LINES).join('\n');
}

export type CommandCheck =
  | { passed: true; durationMs: number }
  | { passed: false; durationMs: number; reason: string };

/** Runs `command` (e.g. the user's test suite) against a copy of the project with the patch applied. */
export async function checkCommandOnPatchedCopy(
  command: string,
  projectDir: string,
  patch: FilePatch | readonly FilePatch[],
  options: ProjectCommandOptions,
): Promise<CommandCheck> {
  const copies = createProjectCopies(projectDir, patch);
  try {
    const result = await runProjectCommand(command, copies.patched, options);
    if (result.aborted) throw new Error('Measurement aborted.');
    if (result.timedOut) return { passed: false, durationMs: result.durationMs, reason: `\`${command}\` timed out after ${options.timeoutMs} ms` };
    if (result.exitCode === 0) return { passed: true, durationMs: result.durationMs };
    const tail = stderrTail(result);
    return {
      passed: false,
      durationMs: result.durationMs,
      reason: `\`${command}\` failed with the candidate applied (exit ${result.exitCode ?? result.signal})${tail ? `:\n${tail}` : ''}`,
    };
  } finally {
    copies.dispose();
  }
}
