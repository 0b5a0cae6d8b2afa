/**
 * Runs one of this directory's Python helper scripts on a JSON job inside Perfloop's sandbox (the same door the engine
 * uses for LLM-written code) and reads its JSON answer from a file (stdout belongs to whatever code the script runs).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS } from '../../optimizer/types.js';
import { resolvePythonInterpreter } from '../../profilers/python/pythonInterpreter.js';
import { runSandboxed } from '../../profilers/sandbox/sandbox.js';

export interface ScriptRun<T> {
  /** The script's answer; undefined when it wrote none (killed, timed out, crashed). */
  answer?: T;
  timedOut: boolean;
  /** Last lines of stderr, for a failed run. */
  stderrTail: string;
}

/** The helper script's path in the repository (ctx.root), e.g. bench/evalperf/datasetOracle.py. */
export function helperScript(root: string, name: string): string {
  return path.join(root, 'bench', 'evalperf', name);
}

export async function runSandboxedScript<T>(
  script: string,
  job: Record<string, unknown>,
  options: { scratchDir: string; timeoutMs: number; readOnlyPaths?: readonly string[]; signal?: AbortSignal },
): Promise<ScriptRun<T>> {
  const python = await resolvePythonInterpreter();
  const workDir = mkdtempSync(path.join(options.scratchDir, 'script-'));
  try {
    const resultPath = path.join(workDir, 'result.json');
    const jobPath = path.join(workDir, 'job.json');
    writeFileSync(jobPath, JSON.stringify({ ...job, resultPath }));
    const result = await runSandboxed({
      argv: [python.executable, '-s', '-B', script, jobPath],
      mode: DEFAULT_SETTINGS.sandbox,
      workDir,
      timeoutMs: options.timeoutMs,
      readOnlyPaths: [path.dirname(script), ...(options.readOnlyPaths ?? [])],
      outputFiles: [resultPath],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let answer: T | undefined;
    try {
      answer = JSON.parse(readFileSync(resultPath, 'utf8')) as T;
    } catch {
      answer = undefined;
    }
    const stderrTail = result.stderr.trim().split('\n').slice(-5).join('\n');
    return { ...(answer !== undefined ? { answer } : {}), timedOut: result.timedOut, stderrTail };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
