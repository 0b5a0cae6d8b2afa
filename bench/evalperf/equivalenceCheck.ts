/**
 * Part (a) of evalperf-equivalence: Perfloop's equivalence check on LLM solutions that all passed EvalPerf's tests.
 * Original = the task's canonical solution. Every rejection is re-judged by the dataset's own oracle (tests and stress
 * inputs with expected outputs, EvalPerf's comparison): if the solution fails there too, the rejection is justified;
 * if it passes, Perfloop rejected a solution the dataset accepts (a wrong rejection, by cause); if the oracle cannot
 * decide (timeout), it is undecided.
 */
import type { PythonRunner } from '../../profilers/python/pythonRunner.js';
import type { EquivalenceResult } from '../../profilers/runner.js';
import { mapConcurrent } from './concurrency.js';
import { checkAgainstDataset, failsDataset, type OracleVerdict } from './datasetOracle.js';
import { runOptions } from './engineMeasures.js';
import type { EvalperfTask, LlmSolution } from './evalperfData.js';
import { canonicalProgram, solutionProgram, type TaskWorkloads } from './solutionPrograms.js';

/** The engine's mismatch kinds, `state` (results kept between calls: refused by design), other errors, timeouts. */
export type RejectionCause = 'return' | 'mutation' | 'exception' | 'stdout' | 'crash' | 'state' | 'error' | 'timeout';

/** Causes that are Perfloop's deliberate rules rather than output differences: EvalPerf's tests cannot see them. */
export const BY_DESIGN_CAUSES: readonly RejectionCause[] = ['mutation', 'state'];
export type RejectionJudgement = 'justified' | 'wrong' | 'undecided';

export interface EquivalenceItem {
  taskId: string;
  solutionIndex: number;
  status: EquivalenceResult['status'];
  cause?: RejectionCause;
  /** The engine's counterexample or reason, shortened. */
  reason?: string;
  judgement?: RejectionJudgement;
  oracle?: OracleVerdict;
  specialOracle: boolean;
  floatTolerance: boolean;
}

export interface EquivalenceSettings {
  runner: PythonRunner;
  workloads: TaskWorkloads;
  root: string;
  scratchDir: string;
  concurrency: number;
  log(message: string): void;
  signal?: AbortSignal;
}

function causeOf(result: EquivalenceResult): RejectionCause | undefined {
  if (result.status === 'different') return result.counterexample.kind;
  if (result.status === 'error') return /keeps state across calls/.test(result.reason) ? 'state' : 'error';
  if (result.status === 'timeout') return 'timeout';
  return undefined;
}

function reasonOf(result: EquivalenceResult): string | undefined {
  if (result.status === 'different') {
    const c = result.counterexample;
    return `${c.kind} on ${c.input.slice(0, 120)}: expected ${c.expected.slice(0, 120)}, got ${c.actual.slice(0, 160)}`;
  }
  if (result.status === 'error' || result.status === 'timeout') return result.reason.slice(0, 300);
  return undefined;
}

export function judge(verdict: OracleVerdict): RejectionJudgement {
  if (failsDataset(verdict)) return 'justified';
  return verdict.status === 'pass' ? 'wrong' : 'undecided';
}

export async function checkSolutions(
  tasks: ReadonlyMap<string, EvalperfTask>,
  solutions: readonly LlmSolution[],
  settings: EquivalenceSettings,
): Promise<EquivalenceItem[]> {
  let done = 0;
  return mapConcurrent(solutions, settings.concurrency, async (solution) => {
    const task = tasks.get(solution.task_id) as EvalperfTask;
    const workload = settings.workloads.fullWorkload(task);
    let result: EquivalenceResult;
    try {
      result = await settings.runner.checkEquivalence(canonicalProgram(task), solutionProgram(task, solution), workload, runOptions(settings.signal));
    } catch (error) {
      if (settings.signal?.aborted) throw error;
      result = { status: 'error', reason: (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'error' };
    }
    const item: EquivalenceItem = {
      taskId: task.task_id,
      solutionIndex: solution.index,
      status: result.status,
      specialOracle: task.comparison.special_oracle,
      floatTolerance: task.comparison.atol > 0,
    };
    const cause = causeOf(result);
    if (cause) {
      item.cause = cause;
      const reason = reasonOf(result);
      if (reason) item.reason = reason;
      item.oracle = await checkAgainstDataset(task, solution.solution, {
        root: settings.root,
        scratchDir: settings.scratchDir,
        includeStress: true,
        ...(settings.signal ? { signal: settings.signal } : {}),
      });
      item.judgement = judge(item.oracle);
    }
    done++;
    if (done % 50 === 0 || done === solutions.length) settings.log(`  equivalence ${done}/${solutions.length}`);
    return item;
  }, settings.signal);
}

/** The canonical solution against the dataset, per task: the original must pass for the judgements to mean anything. */
export async function checkCanonicals(tasks: readonly EvalperfTask[], settings: EquivalenceSettings): Promise<Map<string, OracleVerdict>> {
  const verdicts = await mapConcurrent(tasks, settings.concurrency, (task) => checkAgainstDataset(task, task.canonical_solution, {
    root: settings.root,
    scratchDir: settings.scratchDir,
    includeStress: true,
    ...(settings.signal ? { signal: settings.signal } : {}),
  }), settings.signal);
  return new Map(tasks.map((t, i) => [t.task_id, verdicts[i] as OracleVerdict]));
}
