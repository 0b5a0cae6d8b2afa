/**
 * Every reference solution of a set of EvalPerf tasks measured on the task's performance inputs: instruction counts first
 * (deterministic, two at a time), then one plain timed pass each (alone). Results are kept for the process, so the
 * level-assignment part of evalperf-equivalence reuses what evalperf-ranking measured in the same `npm run bench`.
 */
import type { PythonRunner } from '../../profilers/python/pythonRunner.js';
import type { Program, WorkloadSource } from '../../profilers/runner.js';
import { mapConcurrent } from './concurrency.js';
import { countProgramInstructions, prepareWorkload, singleWallTime, type InstructionMeasure } from './engineMeasures.js';
import { referencesOf, type EvalperfTask } from './evalperfData.js';
import { performanceInputsOf, writeTaskWorkload, type PerformanceInputSource } from './workloadModule.js';

export interface ReferenceMeasurement {
  level: number;
  rank: number;
  allTestsPassedHere: boolean;
  instructions: InstructionMeasure;
  wallSeconds: number | null;
}

export interface TaskReferenceMeasurements {
  taskId: string;
  entryPoint: string;
  inputSource: PerformanceInputSource;
  references: ReferenceMeasurement[];
  /** Set when the workload itself could not be used (then no reference was measured). */
  workloadError?: string;
}

export interface MeasureSettings {
  runner: PythonRunner;
  /** The repository root (for the helper scripts). */
  root: string;
  scratchDir: string;
  capSeconds: number;
  concurrency: number;
  log(message: string): void;
  signal?: AbortSignal;
}

const cache = new Map<string, TaskReferenceMeasurements>();

function cacheKey(task: EvalperfTask, capSeconds: number): string {
  return `${task.task_id}|${capSeconds}`;
}

/** The measuring workload of a task: a few tests for the engine's check, the performance inputs for the counts. */
export function countingWorkload(task: EvalperfTask, dir: string): WorkloadSource {
  return writeTaskWorkload(task, dir, { correctness: 'few', performance: true });
}

export function referenceProgram(task: EvalperfTask, level: number, source: string): Program {
  return { id: `${task.task_id}#L${level}`, source, functionName: task.entry_point };
}

interface Job {
  task: EvalperfTask;
  workload: WorkloadSource;
  level: number;
  program: Program;
}

/** Checks each task's workload with its fastest reference (falling back to the canonical solution). */
async function preparedJobs(tasks: readonly EvalperfTask[], settings: MeasureSettings, failures: Map<string, string>): Promise<Job[]> {
  const jobs: Job[] = [];
  for (const task of tasks) {
    const workload = countingWorkload(task, settings.scratchDir);
    const refs = referencesOf(task);
    const fastest = refs[refs.length - 1];
    const candidates = [
      ...(fastest ? [referenceProgram(task, fastest.efficiency_level, fastest.solution)] : []),
      { id: `${task.task_id}#canonical`, source: task.canonical_solution, functionName: task.entry_point },
    ];
    let error: string | undefined;
    for (const program of candidates) {
      try {
        await prepareWorkload(settings.runner, program, workload, settings.signal);
        error = undefined;
        break;
      } catch (e) {
        if (settings.signal?.aborted) throw e;
        error = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      }
    }
    if (error !== undefined) {
      failures.set(task.task_id, error);
      continue;
    }
    for (const ref of refs) jobs.push({ task, workload, level: ref.efficiency_level, program: referenceProgram(task, ref.efficiency_level, ref.solution) });
  }
  return jobs;
}

export async function measureTaskReferences(
  tasks: readonly EvalperfTask[],
  settings: MeasureSettings,
): Promise<TaskReferenceMeasurements[]> {
  const missing = tasks.filter((t) => !cache.has(cacheKey(t, settings.capSeconds)));
  if (missing.length > 0) {
    const failures = new Map<string, string>();
    const jobs = await preparedJobs(missing, settings, failures);
    settings.log(`counting instructions of ${jobs.length} references of ${missing.length} tasks (cap ${settings.capSeconds} s each)`);
    let done = 0;
    const counts = await mapConcurrent(jobs, settings.concurrency, async (job) => {
      const measure = await countProgramInstructions(settings.runner, job.program, job.workload, settings.capSeconds, settings.signal);
      done++;
      if (done % 20 === 0 || done === jobs.length) settings.log(`  counted ${done}/${jobs.length}`);
      return measure;
    }, settings.signal);
    settings.log(`timing ${jobs.length} references, one plain timed pass each, one at a time`);
    const walls: (number | null)[] = [];
    for (const job of jobs) walls.push(await singleWallTime(settings.root, settings.scratchDir, job.program, job.workload, settings.signal));
    for (const task of missing) {
      const error = failures.get(task.task_id);
      const references: ReferenceMeasurement[] = [];
      jobs.forEach((job, i) => {
        if (job.task !== task) return;
        const ref = referencesOf(task).find((r) => r.efficiency_level === job.level);
        references.push({
          level: job.level,
          rank: ref?.rank ?? job.level,
          allTestsPassedHere: ref?.all_tests_passed_here ?? false,
          instructions: counts[i] as InstructionMeasure,
          wallSeconds: walls[i] ?? null,
        });
      });
      cache.set(cacheKey(task, settings.capSeconds), {
        taskId: task.task_id,
        entryPoint: task.entry_point,
        inputSource: performanceInputsOf(task).source,
        references,
        ...(error !== undefined ? { workloadError: error } : {}),
      });
    }
  }
  return tasks.map((t) => cache.get(cacheKey(t, settings.capSeconds)) as TaskReferenceMeasurements);
}
