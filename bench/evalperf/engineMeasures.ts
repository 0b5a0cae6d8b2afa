/**
 * The two ways a program is measured here, both in Perfloop's sandbox: its instruction count through Perfloop's own
 * Python runner (the engine's `countInstructions`, valgrind/cachegrind or perf stat) within a time cap, and the naive
 * baseline, one plain timed pass (never run beside anything else).
 */
import path from 'node:path';
import { DEFAULT_SETTINGS } from '../../optimizer/types.js';
import type { PythonRunner } from '../../profilers/python/pythonRunner.js';
import type { Program, RunOptions, WorkloadSource } from '../../profilers/runner.js';
import { helperScript, runSandboxedScript } from './sandboxedScript.js';

/** One naive timing pass may take this long (a quadratic reference on a stress input takes seconds). */
const WALL_TIMER_LIMIT_MS = 120_000;

/** The engine multiplies the time limit by this for valgrind runs (PythonRunner's COUNTER_SLOWDOWN). */
export const VALGRIND_SLOWDOWN = 15;

export interface InstructionMeasure {
  /** Instructions of the calls (start-up subtracted); null when not measured. */
  instructions: number | null;
  /** True when the count hit the time cap: the program needs more than the cap allows (a censored, large value). */
  capped: boolean;
  error?: string;
  seconds: number;
}

export function runOptions(signal?: AbortSignal, timeoutMs = DEFAULT_SETTINGS.timeoutMs): RunOptions {
  return {
    sandbox: DEFAULT_SETTINGS.sandbox,
    timeoutMs,
    floatTolerance: DEFAULT_SETTINGS.floatTolerance,
    ...(signal ? { signal } : {}),
  };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/**
 * Checks the workload once with the given program (the engine does this before its first count; done here with the
 * default time limit so that the short counting limit does not apply to it).
 */
export async function prepareWorkload(runner: PythonRunner, program: Program, workload: WorkloadSource, signal?: AbortSignal) {
  return runner.checkWorkload(program, workload, runOptions(signal));
}

/** Instructions of one program on the workload's performance inputs; a run past `capSeconds` is reported as capped. */
export async function countProgramInstructions(
  runner: PythonRunner,
  program: Program,
  workload: WorkloadSource,
  capSeconds: number,
  signal?: AbortSignal,
): Promise<InstructionMeasure> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const count = await runner.countInstructions(program, workload, runOptions(signal, (capSeconds * 1000) / VALGRIND_SLOWDOWN));
    if (!count) return { instructions: null, capped: false, error: 'no instruction counter on this machine', seconds: seconds() };
    return { instructions: count.instructions, capped: false, seconds: seconds() };
  } catch (error) {
    if (signal?.aborted) throw error;
    const message = firstLine(error);
    // Only the whole counting run hitting its limit is the cap; an input generator's own per-call limit is an error.
    const capped = /took longer than the [\d.]+ s limit|the run timed out/i.test(message);
    return { instructions: null, capped, error: message, seconds: seconds() };
  }
}

/**
 * The naive baseline: ONE timed pass over the workload's performance inputs (wallTimer.py in the sandbox), no warm-up,
 * no repeats, no interval. Null when it failed or ran past the limit. Never run beside anything else.
 */
export async function singleWallTime(
  root: string,
  scratchDir: string,
  program: Program,
  workload: WorkloadSource,
  signal?: AbortSignal,
): Promise<number | null> {
  if (workload.kind !== 'module') return null;
  const run = await runSandboxedScript<{ seconds?: number; error?: string }>(
    helperScript(root, 'wallTimer.py'),
    { source: program.source, entryPoint: program.functionName, workloadPath: workload.path },
    { scratchDir, timeoutMs: WALL_TIMER_LIMIT_MS, readOnlyPaths: [path.dirname(workload.path)], ...(signal ? { signal } : {}) },
  );
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
  return typeof run.answer?.seconds === 'number' ? run.answer.seconds : null;
}
