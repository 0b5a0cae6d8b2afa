/**
 * Programs and workloads shared by the three parts of evalperf-equivalence: the original every solution is compared
 * with (the task's canonical solution, the ground truth the expected outputs come from), one full workload per task
 * (every test as a correctness input, the stress inputs as performance inputs), written once per section run.
 */
import type { Program, WorkloadSource } from '../../profilers/runner.js';
import type { EvalperfTask, LlmSolution } from './evalperfData.js';
import { writeTaskWorkload } from './workloadModule.js';

export function canonicalProgram(task: EvalperfTask): Program {
  return { id: `${task.task_id}#canonical`, source: task.canonical_solution, functionName: task.entry_point };
}

export function solutionProgram(task: EvalperfTask, solution: LlmSolution): Program {
  return { id: `${task.task_id}#llm${solution.index}`, source: solution.solution, functionName: task.entry_point };
}

/** One workload module per task and scratch directory; the same object each time (the runner keys state by it). */
export class TaskWorkloads {
  private readonly full = new Map<string, WorkloadSource>();

  constructor(private readonly dir: string) {}

  /** Every test for checking, the stress inputs (or the largest tests) for measuring: what a user would hand Perfloop. */
  fullWorkload(task: EvalperfTask): WorkloadSource {
    let workload = this.full.get(task.task_id);
    if (!workload) {
      workload = writeTaskWorkload(task, this.dir, { correctness: 'all', performance: true });
      this.full.set(task.task_id, workload);
    }
    return workload;
  }
}

/** Tasks by id, for looking solutions' tasks up. */
export function tasksById(tasks: readonly EvalperfTask[]): Map<string, EvalperfTask> {
  return new Map(tasks.map((t) => [t.task_id, t]));
}
