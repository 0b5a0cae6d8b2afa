/**
 * The dataset's own verdict on a solution: its tests and stress inputs with their expected outputs, compared the way
 * EvalPerf compares (datasetOracle.py), run in Perfloop's sandbox. This is the ground truth Perfloop's equivalence check is
 * judged against: a rejection of a solution that also fails here is not a wrong rejection, and a mutant counts only if it
 * demonstrably fails here.
 */
import type { EvalperfTask } from './evalperfData.js';
import { helperScript, runSandboxedScript } from './sandboxedScript.js';

export type OracleStatus = 'pass' | 'wrong-output' | 'exception' | 'timeout' | 'load-error' | 'error';

export interface OracleVerdict {
  status: OracleStatus;
  /** Inputs run before the verdict. */
  checked: number;
  /** Where it failed: a test (index into task.tests, base tests first) or a stress input. */
  failedKind?: 'test' | 'stress';
  failedIndex?: number;
  detail?: string;
}

/** Per-input limits: tests are small; stress inputs may take a slow but correct solution a while. */
const TEST_SECONDS = 2;
const STRESS_SECONDS = 10;
const PROCESS_TIMEOUT_MS = 150_000;

/** Demonstrably fails the dataset: a wrong output or an exception (a timeout or a load problem proves nothing). */
export function failsDataset(verdict: OracleVerdict): boolean {
  return verdict.status === 'wrong-output' || verdict.status === 'exception';
}

/** Whether the failure came only after every base test passed: the base tests alone would have accepted the code. */
export function passesBaseTests(task: EvalperfTask, verdict: OracleVerdict): boolean {
  if (verdict.status === 'pass') return true;
  if (verdict.failedKind === 'stress') return true;
  if (verdict.failedKind !== 'test' || verdict.failedIndex === undefined) return false;
  return task.tests[verdict.failedIndex]?.kind !== 'base';
}

/**
 * A stress input built from unseeded `random` (HumanEval/33 has one): its recorded expected output cannot be reproduced,
 * so it is run (a crash or a hang still shows) but its output is not compared.
 */
export function drawsRandomly(argsExpr: string): boolean {
  return /\brandom\./.test(argsExpr);
}

/** The job datasetOracle.py takes, from the task (pure: tested without running anything). */
export function oracleJob(task: EvalperfTask, source: string, includeStress: boolean): Record<string, unknown> {
  return {
    source,
    entryPoint: task.entry_point,
    tests: task.tests.map((t) => ({ args: t.args_repr, expected: t.expected_output_repr })),
    stress: includeStress
      ? (task.perf_inputs ?? []).map((p) => (drawsRandomly(p.args_expr) ? { expr: p.args_expr } : {
          expr: p.args_expr,
          ...(p.expected_output_repr !== undefined ? { expected: p.expected_output_repr } : {}),
          ...(p.expected_output_sha256_of_repr !== undefined ? { sha256: p.expected_output_sha256_of_repr } : {}),
        }))
      : [],
    atol: task.comparison.atol,
    specialOracle: task.comparison.special_oracle,
    loadSeconds: 10,
    testSeconds: TEST_SECONDS,
    stressSeconds: STRESS_SECONDS,
  };
}

export async function checkAgainstDataset(
  task: EvalperfTask,
  source: string,
  options: { root: string; scratchDir: string; includeStress: boolean; signal?: AbortSignal },
): Promise<OracleVerdict> {
  const run = await runSandboxedScript<OracleVerdict>(helperScript(options.root, 'datasetOracle.py'), oracleJob(task, source, options.includeStress), {
    scratchDir: options.scratchDir,
    timeoutMs: PROCESS_TIMEOUT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (run.answer) return run.answer;
  if (run.timedOut) return { status: 'timeout', checked: 0, detail: `the whole check took longer than ${PROCESS_TIMEOUT_MS / 1000} s` };
  return { status: 'error', checked: 0, detail: `the checker died: ${run.stderrTail}` };
}
