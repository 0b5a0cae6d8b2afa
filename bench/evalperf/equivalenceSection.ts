/**
 * `evalperf-equivalence`: Perfloop's verdicts on real LLM-written solutions of EvalPerf tasks.
 * (a) wrong rejections among 2,640 solutions that passed EvalPerf's tests, (b) efficiency levels assigned from
 * Perfloop's instruction counts against EvalPerf's, (c) broken mutants that the equivalence check must reject.
 */
import { PythonRunner } from '../../profilers/python/pythonRunner.js';
import { formatSeconds } from '../benchStats.js';
import type { BenchContext, BenchSection, SectionOutcome } from '../types.js';
import { checkCanonicals, checkSolutions } from './equivalenceCheck.js';
import {
  equivalenceFigures,
  levelFigures,
  levelTable,
  mutantFigures,
  mutantTable,
  rejectionTable,
  wrongRejectionExamples,
} from './equivalenceReport.js';
import { hasInputs, loadEvalperfTasks, loadLlmSolutions, type LlmSolution } from './evalperfData.js';
import { assignSolutionLevels } from './levelAssignment.js';
import { checkMutants } from './mutantCheck.js';
import { measureTaskReferences } from './referenceMeasurements.js';
import { seededSample } from './seededSample.js';
import { TaskWorkloads, tasksById } from './solutionPrograms.js';
import { CONCURRENCY, describeTaskChoice, EVALPERF_SEED, plannedTasks, TIER_PLANS } from './tierPlan.js';

/** Seeds of the three samples (offsets of EVALPERF_SEED, so each part draws independently). */
const SEEDS = { equivalence: EVALPERF_SEED + 1, levels: EVALPERF_SEED + 2, mutants: EVALPERF_SEED + 3 } as const;

function sampleNote(what: string, chosen: number, pool: number, seed: number): string {
  return chosen >= pool ? `${what}: all ${pool}` : `${what}: ${chosen} of ${pool} drawn with seed ${seed}`;
}

async function timed<T>(body: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await body();
  return { value, seconds: (performance.now() - started) / 1000 };
}

export async function runEquivalence(ctx: BenchContext): Promise<SectionOutcome> {
  const plan = TIER_PLANS[ctx.tier];
  const allTasks = loadEvalperfTasks(ctx.dataDir);
  const tasks = tasksById(allTasks);
  const planned = plannedTasks(allTasks, plan);
  // tiny keeps to its two tasks; the other tiers draw solutions from every task with tests.
  const poolTasks = new Set((ctx.tier === 'tiny' ? planned : allTasks.filter((t) => t.tests.length > 0)).map((t) => t.task_id));
  const pool = loadLlmSolutions(ctx.dataDir).filter((s) => poolTasks.has(s.task_id));
  const runner = new PythonRunner();
  const workloads = new TaskWorkloads(ctx.scratchDir);
  const common = { runner, root: ctx.root, scratchDir: ctx.scratchDir, concurrency: CONCURRENCY, log: ctx.log, ...(ctx.signal ? { signal: ctx.signal } : {}) };

  // (a) equivalence of solutions that passed EvalPerf's tests.
  const equivalenceCount = plan.equivalenceSolutions === 'all' ? pool.length : plan.equivalenceSolutions;
  const equivalenceSample = seededSample(pool, equivalenceCount, SEEDS.equivalence);
  const sampledTasks = [...new Set(equivalenceSample.map((s) => s.task_id))].map((id) => tasks.get(id)).filter((t) => t !== undefined);
  ctx.log(`(a) checking the canonical solutions of ${sampledTasks.length} tasks against the dataset, then ${equivalenceSample.length} LLM solutions`);
  const canonicals = await checkCanonicals(sampledTasks, { ...common, workloads });
  const a = await timed(() => checkSolutions(tasks, equivalenceSample, { ...common, workloads }));

  // (b) level assignment on the planned tasks (their reference counts are shared with evalperf-ranking).
  const references = await measureTaskReferences(planned, { ...common, capSeconds: plan.capSeconds });
  const measuredTasks = new Set(references.filter((r) => !r.workloadError && r.references.length > 0).map((r) => r.taskId));
  const levelPool = pool.filter((s) => measuredTasks.has(s.task_id));
  const levelSample = seededSample(levelPool, plan.levelSolutions, SEEDS.levels);
  ctx.log(`(b) assigning levels to ${levelSample.length} LLM solutions of ${measuredTasks.size} measured tasks`);
  const b = await timed(() => assignSolutionLevels(tasks, new Map(references.map((r) => [r.taskId, r])), levelSample, { ...common, capSeconds: plan.capSeconds }));

  // (c) mutants that fail the dataset's tests.
  const mutantPool: LlmSolution[] = seededSample(pool, plan.mutatedSolutions, SEEDS.mutants);
  ctx.log(`(c) mutating ${mutantPool.length} LLM solutions`);
  const c = await timed(() => checkMutants(tasks, mutantPool, { ...common, workloads, seed: SEEDS.mutants, perSolution: plan.mutantsPerSolution }));

  const canonicalFailures = [...canonicals.entries()].filter(([, v]) => v.status !== 'pass');
  const notes = [
    `(a) Original = each task's canonical_solution (the ground truth the dataset's expected outputs come from), compared by `
      + `runner.checkEquivalence at default settings (float tolerance relative ${1e-7}) on a generated workload module per task: `
      + 'every test (base and plus) as a correctness input, the COFFE stress inputs (else the five largest tests) as performance inputs. '
      + 'Each rejection is re-run in the sandbox against the dataset\'s tests and stress inputs with expected outputs, compared as '
      + 'EvalPerf does (==, floats within max(atol, 1e-6) + relative 1e-7, a special oracle as sets): a solution failing there makes '
      + 'the rejection justified, one passing there makes it a wrong rejection, an oracle timeout leaves it undecided.',
    sampleNote('(a) solutions', equivalenceSample.length, pool.length, SEEDS.equivalence)
      + ` (${formatSeconds(a.seconds)}); the pool leaves out solutions of tasks without tests (Mbpp/88: no tests, no stress inputs).`,
    canonicalFailures.length === 0
      ? `The canonical solutions of all ${canonicals.size} tasks involved pass the dataset's oracle.`
      : `Canonical solutions failing the dataset's oracle (judgements on these tasks are suspect): ${canonicalFailures.map(([id, v]) => `${id} ${v.status}: ${v.detail ?? ''}`).join('; ')}.`,
    '(b) EvalPerf\'s matching_cluster_idx indexes the slow→fast reference list, i.e. it equals efficiency_level (references carry '
      + 'levels 0..n−1 in that order; leaderboard values lie in 0..n−1 or −1 = slower than the slowest; the one leaderboard solution '
      + 'identical to a reference, Mbpp/240 level 4, carries cluster 4). Our level: the reference nearest in log instructions on '
      + 'the same performance inputs as evalperf-ranking; "within one" counts a neighbouring level too. Solutions with several '
      + 'published indexes agree when any matches. A capped count gets no level.',
    sampleNote('(b) solutions', levelSample.length, levelPool.length, SEEDS.levels) + ` from ${describeTaskChoice(plan, planned.length, allTasks.filter(hasInputs).length)} (${formatSeconds(b.seconds)}).`,
    `(c) Mutants: mutate.py (pure ast transforms, run in the sandbox, never executing the code) makes up to `
      + `${plan.mutantsPerSolution * 3} candidates per solution; a candidate is kept (at most ${plan.mutantsPerSolution} per solution) when `
      + 'the sandboxed oracle shows it fails a test with a wrong output or an exception; timeouts alone do not count. '
      + sampleNote('Solutions mutated', mutantPool.length, pool.length, SEEDS.mutants) + ` (${formatSeconds(c.seconds)}).`,
  ];
  return {
    figures: [...equivalenceFigures(a.value), ...levelFigures(b.value), ...mutantFigures(c.value.items)],
    tables: [rejectionTable(a.value), wrongRejectionExamples(a.value), levelTable(b.value), mutantTable(c.value.items)],
    notes,
    details: {
      tier: ctx.tier,
      plan,
      seeds: SEEDS,
      canonicals: Object.fromEntries(canonicals),
      equivalence: a.value,
      levels: b.value,
      mutants: { generated: c.value.generated, items: c.value.items },
    },
  };
}

export const evalperfEquivalenceSection: BenchSection = {
  id: 'evalperf-equivalence',
  title: 'EvalPerf: Perfloop’s equivalence check and level assignment on real LLM solutions',
  run: runEquivalence,
};
