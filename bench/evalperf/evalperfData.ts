/**
 * The EvalPerf development split (shared/bench-data): tasks with their ranked reference solutions, tests and COFFE stress
 * inputs, and the leaderboard's LLM-written solutions. Validated at the border: a malformed row is an error naming it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const TASKS_FILE = 'evalperf_python.dev.jsonl';
export const SOLUTIONS_FILE = 'evalperf_llm_solutions.dev.jsonl';

const reference = z.object({
  rank: z.number().int(),
  efficiency_level: z.number().int(),
  n_levels: z.number().int(),
  evalperf_score: z.number(),
  all_tests_passed_here: z.boolean(),
  solution: z.string(),
});

const test = z.object({
  kind: z.string(),
  args_repr: z.string(),
  expected_output_repr: z.string(),
});

const perfInput = z.object({
  source: z.string(),
  args_expr: z.string(),
  expected_output_repr: z.string().optional(),
  expected_output_sha256_of_repr: z.string().optional(),
});

const task = z.object({
  task_id: z.string(),
  dataset: z.string(),
  entry_point: z.string(),
  canonical_solution: z.string(),
  slow_reference: reference,
  fast_references: z.array(reference),
  comparison: z.object({ atol: z.number(), special_oracle: z.boolean() }),
  tests: z.array(test),
  perf_inputs: z.array(perfInput).nullish(),
});

const solution = z.object({
  task_id: z.string(),
  solution: z.string(),
  matching_cluster_idx_values: z.array(z.number().int()),
  observations: z.array(z.object({ model: z.string(), matching_cluster_idx: z.number().int() })),
});

export type EvalperfReference = z.infer<typeof reference>;
export type EvalperfTest = z.infer<typeof test>;
export type EvalperfPerfInput = z.infer<typeof perfInput>;
export type EvalperfTask = z.infer<typeof task>;
export type LlmSolution = z.infer<typeof solution> & { /** Position in the file: a stable id. */ index: number };

function readJsonl<T extends z.ZodTypeAny>(file: string, schema: T): z.infer<T>[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
  return lines.map((line, i) => {
    const parsed = schema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${path.basename(file)} line ${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  });
}

export function loadEvalperfTasks(dataDir: string): EvalperfTask[] {
  return readJsonl(path.join(dataDir, TASKS_FILE), task);
}

export function loadLlmSolutions(dataDir: string): LlmSolution[] {
  return readJsonl(path.join(dataDir, SOLUTIONS_FILE), solution).map((s, index) => ({ ...s, index }));
}

/** Slow reference then fast references, by published efficiency level (ascending with speed). */
export function referencesOf(t: EvalperfTask): EvalperfReference[] {
  return [t.slow_reference, ...t.fast_references].sort((a, b) => a.efficiency_level - b.efficiency_level);
}

/** A task can be measured only when it has inputs: COFFE stress inputs or at least one test. */
export function hasInputs(t: EvalperfTask): boolean {
  return (t.perf_inputs?.length ?? 0) > 0 || t.tests.length > 0;
}

/** A short id usable in file names ("HumanEval/0" → "HumanEval_0"). */
export function fileSafeId(taskId: string): string {
  return taskId.replace(/[^A-Za-z0-9_-]/g, '_');
}
