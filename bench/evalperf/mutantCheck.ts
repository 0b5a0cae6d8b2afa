/**
 * Part (c) of evalperf-equivalence: deliberately broken mutants of LLM solutions (mutate.py, pure `ast` transforms run
 * in the sandbox; the code is never executed there). A mutant is kept only when it demonstrably fails the dataset's own
 * tests with expected outputs (a wrong output or an exception, through the sandboxed oracle); Perfloop's equivalence
 * check against the canonical solution must then reject every kept mutant.
 */
import type { PythonRunner } from '../../profilers/python/pythonRunner.js';
import type { EquivalenceResult } from '../../profilers/runner.js';
import { mapConcurrent } from './concurrency.js';
import { checkAgainstDataset, failsDataset, passesBaseTests, type OracleVerdict } from './datasetOracle.js';
import { runOptions } from './engineMeasures.js';
import type { EvalperfTask, LlmSolution } from './evalperfData.js';
import { helperScript, runSandboxedScript } from './sandboxedScript.js';
import { canonicalProgram, type TaskWorkloads } from './solutionPrograms.js';

/** Candidates generated per kept mutant wanted: many mutants turn out equivalent or only slower, and are dropped. */
const CANDIDATES_PER_KEPT = 3;

export interface GeneratedMutant {
  itemId: string;
  operator: string;
  site: string;
  source: string;
}

export interface MutantItem {
  taskId: string;
  solutionIndex: number;
  operator: string;
  site: string;
  oracle: OracleVerdict;
  /** Fails the dataset's tests (wrong output or exception): the mutants the figure is about. */
  kept: boolean;
  /** Every base test passes (the failure is in a plus test): checking on the base tests alone would accept it. */
  baseTestsAccept: boolean;
  perfloop?: EquivalenceResult['status'];
  perfloopReason?: string;
}

export interface MutantSettings {
  runner: PythonRunner;
  workloads: TaskWorkloads;
  root: string;
  scratchDir: string;
  concurrency: number;
  seed: number;
  perSolution: number;
  log(message: string): void;
  signal?: AbortSignal;
}

export async function generateMutants(
  solutions: readonly LlmSolution[],
  settings: Pick<MutantSettings, 'root' | 'scratchDir' | 'seed' | 'perSolution' | 'signal'>,
): Promise<GeneratedMutant[]> {
  const run = await runSandboxedScript<{ mutants: GeneratedMutant[] }>(
    helperScript(settings.root, 'mutate.py'),
    { items: solutions.map((s) => ({ id: String(s.index), source: s.solution })), perItem: settings.perSolution * CANDIDATES_PER_KEPT, seed: settings.seed },
    { scratchDir: settings.scratchDir, timeoutMs: 120_000, ...(settings.signal ? { signal: settings.signal } : {}) },
  );
  if (!run.answer) throw new Error(`mutate.py gave no answer${run.timedOut ? ' (timed out)' : ''}: ${run.stderrTail}`);
  return run.answer.mutants;
}

function perfloopReason(result: EquivalenceResult): string | undefined {
  if (result.status === 'different') return `${result.counterexample.kind} on ${result.counterexample.input.slice(0, 120)}`;
  if (result.status === 'error' || result.status === 'timeout') return result.reason.slice(0, 200);
  return undefined;
}

export async function checkMutants(
  tasks: ReadonlyMap<string, EvalperfTask>,
  solutions: readonly LlmSolution[],
  settings: MutantSettings,
): Promise<{ generated: number; items: MutantItem[] }> {
  const byIndex = new Map(solutions.map((s) => [String(s.index), s]));
  const generated = await generateMutants(solutions, settings);
  settings.log(`${generated.length} mutants generated from ${solutions.length} solutions; checking them against the dataset's tests`);
  const oracles = await mapConcurrent(generated, settings.concurrency, (mutant) => {
    const task = tasks.get((byIndex.get(mutant.itemId) as LlmSolution).task_id) as EvalperfTask;
    return checkAgainstDataset(task, mutant.source, {
      root: settings.root,
      scratchDir: settings.scratchDir,
      includeStress: false,
      ...(settings.signal ? { signal: settings.signal } : {}),
    });
  }, settings.signal);
  // Keep the first `perSolution` failing mutants of each solution, in generation order.
  const keptPerSolution = new Map<string, number>();
  const items: (MutantItem & { source: string })[] = generated.map((mutant, i) => {
    const oracle = oracles[i] as OracleVerdict;
    const solution = byIndex.get(mutant.itemId) as LlmSolution;
    const task = tasks.get(solution.task_id) as EvalperfTask;
    const count = keptPerSolution.get(mutant.itemId) ?? 0;
    const kept = failsDataset(oracle) && count < settings.perSolution;
    if (kept) keptPerSolution.set(mutant.itemId, count + 1);
    return {
      taskId: task.task_id,
      solutionIndex: solution.index,
      operator: mutant.operator,
      site: mutant.site,
      oracle,
      kept,
      baseTestsAccept: kept && passesBaseTests(task, oracle),
      source: mutant.source,
    };
  });
  const kept = items.filter((item) => item.kept);
  settings.log(`${kept.length} mutants fail the dataset's tests; running Perfloop's equivalence check on them`);
  await mapConcurrent(kept, settings.concurrency, async (item) => {
    const task = tasks.get(item.taskId) as EvalperfTask;
    const mutant = { id: `${task.task_id}#mutant`, source: item.source, functionName: task.entry_point };
    let result: EquivalenceResult;
    try {
      result = await settings.runner.checkEquivalence(canonicalProgram(task), mutant, settings.workloads.fullWorkload(task), runOptions(settings.signal));
    } catch (error) {
      if (settings.signal?.aborted) throw error;
      result = { status: 'error', reason: (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'error' };
    }
    item.perfloop = result.status;
    const reason = perfloopReason(result);
    if (reason) item.perfloopReason = reason;
  }, settings.signal);
  return { generated: generated.length, items: items.map(({ source: _source, ...rest }) => rest) };
}
