/**
 * How much of EvalPerf each tier measures. One seeded task sample serves both sections, so the level-assignment part of
 * evalperf-equivalence reuses the reference counts evalperf-ranking made in the same run.
 */
import type { BenchTier } from '../types.js';
import { hasInputs, type EvalperfTask } from './evalperfData.js';
import { seededSample } from './seededSample.js';

export const EVALPERF_SEED = 20240328;

/** Deterministic work (equivalence checks, instruction counts) runs this many at a time; timing runs alone. */
export const CONCURRENCY = 2;

export interface EvalperfTierPlan {
  /** Fixed task ids (tiny), or how many tasks to draw with the seed; `all` for every task with inputs. */
  tasks: readonly string[] | number | 'all';
  /** Longest one instruction count may run (valgrind wall time) before it is reported as capped. */
  capSeconds: number;
  /** LLM solutions whose equivalence is checked: a count drawn with the seed, or all. */
  equivalenceSolutions: number | 'all';
  /** LLM solutions (from the measured tasks) whose level is assigned. */
  levelSolutions: number;
  /** LLM solutions mutated, and the most mutants kept per solution. */
  mutatedSolutions: number;
  mutantsPerSolution: number;
}

export const TIER_PLANS: Record<BenchTier, EvalperfTierPlan> = {
  // Two tasks with 4 references and cheap inputs, one with COFFE stress inputs and one without.
  tiny: {
    tasks: ['Mbpp/440', 'Mbpp/587'],
    capSeconds: 20,
    equivalenceSolutions: 4,
    levelSolutions: 2,
    mutatedSolutions: 2,
    mutantsPerSolution: 2,
  },
  // The cap is the bench's budget, not the engine's: at default settings the engine lets a valgrind count run 15 × 60 s.
  // At 20 s, 9 of 48 quick references capped (each ≥ ~0.2 s of plain Python, ~100× that under valgrind) and tied, which
  // cost the ranking more than the counter's error did; 150 s counts references up to ~1.5 s.
  quick: { tasks: 6, capSeconds: 150, equivalenceSolutions: 120, levelSolutions: 20, mutatedSolutions: 16, mutantsPerSolution: 2 },
  // Sized for ~40–60 min of both sections on 2 idle cores: every reference count pays two valgrind start-ups (~5 s), a
  // heavy one up to the cap, and an equivalence check ~0.7 s; all tasks and all 2,640 solutions would take over an hour.
  full: { tasks: 30, capSeconds: 150, equivalenceSolutions: 1200, levelSolutions: 100, mutatedSolutions: 60, mutantsPerSolution: 2 },
};

/** The tasks a tier measures, in file order. */
export function plannedTasks(tasks: readonly EvalperfTask[], plan: EvalperfTierPlan): EvalperfTask[] {
  const usable = tasks.filter(hasInputs);
  if (plan.tasks === 'all') return usable;
  if (typeof plan.tasks === 'number') return seededSample(usable, plan.tasks, EVALPERF_SEED);
  const wanted = new Set(plan.tasks);
  return usable.filter((t) => wanted.has(t.task_id));
}

export function describeTaskChoice(plan: EvalperfTierPlan, chosen: number, usable: number): string {
  if (plan.tasks === 'all') return `all ${usable} tasks that have inputs`;
  if (typeof plan.tasks === 'number') return `${chosen} of ${usable} tasks drawn with seed ${EVALPERF_SEED}`;
  return `the fixed tasks ${plan.tasks.join(', ')}`;
}
