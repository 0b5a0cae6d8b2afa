/**
 * Part (b) of evalperf-equivalence: give a sample of LLM solutions an efficiency level from Perfloop's measurement (the
 * level of the nearest reference in log instructions, on the same performance inputs as the references) and compare it
 * with the level EvalPerf matched the solution to (`matching_cluster_idx`). Baseline: the same rule on one plain timed
 * pass per program; also EvalPerf's own matching rule applied to our counts.
 */
import type { PythonRunner } from '../../profilers/python/pythonRunner.js';
import type { WorkloadSource } from '../../profilers/runner.js';
import { mapConcurrent } from './concurrency.js';
import { countProgramInstructions, prepareWorkload, singleWallTime, type InstructionMeasure } from './engineMeasures.js';
import { referencesOf, type EvalperfTask, type LlmSolution } from './evalperfData.js';
import { chanceAgreement, evalperfRuleLevel, levelAgreement, nearestLevel, type LevelAgreement, type LevelReference } from './levels.js';
import { countingWorkload, referenceProgram, type TaskReferenceMeasurements } from './referenceMeasurements.js';
import { solutionProgram } from './solutionPrograms.js';

export interface LevelItem {
  taskId: string;
  solutionIndex: number;
  published: number[];
  levels: number;
  instructions: InstructionMeasure;
  wallSeconds: number | null;
  /** Nearest reference in log instructions (null: the solution's count or every reference count is missing). */
  byInstructions: number | null;
  byWallTime: number | null;
  byEvalperfRule: number | null;
  agreementInstructions?: LevelAgreement;
  agreementWallTime?: LevelAgreement;
  agreementEvalperfRule?: LevelAgreement;
  chance: { exact: number; withinOne: number };
}

export interface LevelSettings {
  runner: PythonRunner;
  root: string;
  scratchDir: string;
  capSeconds: number;
  concurrency: number;
  log(message: string): void;
  signal?: AbortSignal;
}

function instructionReferences(m: TaskReferenceMeasurements): LevelReference[] {
  return m.references.map((r) => ({ level: r.level, cost: r.instructions.capped ? Infinity : r.instructions.instructions }));
}

function wallReferences(m: TaskReferenceMeasurements): LevelReference[] {
  return m.references.map((r) => ({ level: r.level, cost: r.wallSeconds }));
}

/** Levels from the measured costs; a capped solution count gets no instruction level (its cost is unknown). */
export function assignLevels(item: Omit<LevelItem, 'byInstructions' | 'byWallTime' | 'byEvalperfRule' | 'chance'>, refs: TaskReferenceMeasurements): LevelItem {
  const count = item.instructions.instructions;
  const byInstructions = count === null ? null : nearestLevel(count, instructionReferences(refs));
  const byWallTime = item.wallSeconds === null ? null : nearestLevel(item.wallSeconds, wallReferences(refs));
  const byEvalperfRule = count === null ? null : evalperfRuleLevel(count, instructionReferences(refs));
  return {
    ...item,
    byInstructions,
    byWallTime,
    byEvalperfRule,
    ...(byInstructions !== null ? { agreementInstructions: levelAgreement(byInstructions, item.published) } : {}),
    ...(byWallTime !== null ? { agreementWallTime: levelAgreement(byWallTime, item.published) } : {}),
    ...(byEvalperfRule !== null ? { agreementEvalperfRule: levelAgreement(byEvalperfRule, item.published) } : {}),
    chance: chanceAgreement(item.levels, item.published),
  };
}

export async function assignSolutionLevels(
  tasks: ReadonlyMap<string, EvalperfTask>,
  references: ReadonlyMap<string, TaskReferenceMeasurements>,
  solutions: readonly LlmSolution[],
  settings: LevelSettings,
): Promise<LevelItem[]> {
  const workloads = new Map<string, WorkloadSource>();
  for (const taskId of new Set(solutions.map((s) => s.task_id))) {
    const task = tasks.get(taskId) as EvalperfTask;
    const workload = countingWorkload(task, settings.scratchDir);
    const fastest = referencesOf(task).at(-1);
    if (fastest) await prepareWorkload(settings.runner, referenceProgram(task, fastest.efficiency_level, fastest.solution), workload, settings.signal);
    workloads.set(taskId, workload);
  }
  settings.log(`counting instructions of ${solutions.length} LLM solutions`);
  const measured = await mapConcurrent(solutions, settings.concurrency, async (solution) => {
    const task = tasks.get(solution.task_id) as EvalperfTask;
    const program = solutionProgram(task, solution);
    const workload = workloads.get(task.task_id) as WorkloadSource;
    return countProgramInstructions(settings.runner, program, workload, settings.capSeconds, settings.signal);
  }, settings.signal);
  settings.log(`timing ${solutions.length} LLM solutions, one plain timed pass each, one at a time`);
  const items: LevelItem[] = [];
  for (const [i, solution] of solutions.entries()) {
    const task = tasks.get(solution.task_id) as EvalperfTask;
    const program = solutionProgram(task, solution);
    const wallSeconds = await singleWallTime(settings.root, settings.scratchDir, program, workloads.get(task.task_id) as WorkloadSource, settings.signal);
    const refs = references.get(task.task_id) as TaskReferenceMeasurements;
    items.push(assignLevels({
      taskId: task.task_id,
      solutionIndex: solution.index,
      published: solution.matching_cluster_idx_values,
      levels: referencesOf(task).length,
      instructions: measured[i] as InstructionMeasure,
      wallSeconds,
    }, refs));
  }
  return items;
}
