/**
 * `evalperf-ranking`: does Perfloop's measurement order EvalPerf's reference solutions the way EvalPerf's published
 * efficiency levels do? Each reference's instructions on the task's performance inputs (the engine's countInstructions),
 * Kendall τ-b against the levels per task and overall, beside a naive ranking by one plain timed pass per reference.
 */
import { DEFAULT_SETTINGS } from '../../optimizer/types.js';
import { PythonRunner } from '../../profilers/python/pythonRunner.js';
import { t975 } from '../../profilers/stats/studentT.js';
import { formatPercent, formatRate, formatSeconds } from '../benchStats.js';
import type { BenchContext, BenchSection, DetailTable, Figure, SectionOutcome } from '../types.js';
import { VALGRIND_SLOWDOWN } from './engineMeasures.js';
import { hasInputs, loadEvalperfTasks } from './evalperfData.js';
import { addPairs, meanWithError, pairTotal, taskAgreement, type MeanWithError, type PairCounts, type RankedItem } from './rankAgreement.js';
import { measureTaskReferences, type TaskReferenceMeasurements } from './referenceMeasurements.js';
import { CONCURRENCY, describeTaskChoice, plannedTasks, TIER_PLANS } from './tierPlan.js';
import { LARGEST_TESTS } from './workloadModule.js';

interface TaskRow {
  measurements: TaskReferenceMeasurements;
  instructions: ReturnType<typeof taskAgreement>;
  wall: ReturnType<typeof taskAgreement>;
}

function instructionItems(m: TaskReferenceMeasurements): RankedItem[] {
  return m.references.map((r) => ({ level: r.level, cost: r.instructions.capped ? Infinity : r.instructions.instructions }));
}

function wallItems(m: TaskReferenceMeasurements): RankedItem[] {
  return m.references.map((r) => ({ level: r.level, cost: r.wallSeconds }));
}

function tauText(tau: number | undefined): string {
  return tau === undefined ? '–' : tau.toFixed(2);
}

function meanText(m: MeanWithError): string {
  if (m.mean === null) return '–';
  return `${m.mean.toFixed(2)} over ${m.n} tasks`;
}

/** Half-width of the 95% interval of a mean over tasks (Student's t: a handful of tasks is a small sample). */
function halfWidth(m: MeanWithError): number | null {
  return m.standardError === null ? null : t975(m.n - 1) * m.standardError;
}

function meanNoise(m: MeanWithError): string | undefined {
  const half = halfWidth(m);
  return half === null ? undefined : `±${half.toFixed(2)} (95%, between tasks)`;
}

function signedMeanText(m: MeanWithError): string {
  if (m.mean === null) return '–';
  return `${m.mean >= 0 ? '+' : '−'}${Math.abs(m.mean).toFixed(2)} over ${m.n} tasks`;
}

function pairShare(p: PairCounts): number | null {
  const total = pairTotal(p);
  return total > 0 ? p.concordant / total : null;
}

/** Levels listed from the cheapest to the costliest measured reference ("6 5 4 …" would be EvalPerf's order). */
function measuredOrder(m: TaskReferenceMeasurements): string {
  const items = instructionItems(m).filter((i): i is RankedItem & { cost: number } => i.cost !== null);
  items.sort((a, b) => a.cost - b.cost || b.level - a.level);
  return items.map((i) => (Number.isFinite(i.cost) ? String(i.level) : `${i.level}⌛`)).join(' ');
}

function detailTable(rows: readonly TaskRow[]): DetailTable {
  return {
    title: 'Per task: τ-b against EvalPerf levels (levels listed from cheapest to costliest by instructions; ⌛ = hit the cap)',
    columns: ['task', 'inputs', 'refs', 'τ instructions', 'τ one timed pass', 'capped', 'levels by measured instructions'],
    rows: rows.map((r) => [
      r.measurements.taskId,
      r.measurements.inputSource,
      String(r.measurements.references.length),
      tauText(r.instructions.tau),
      tauText(r.wall.tau),
      String(r.measurements.references.filter((x) => x.instructions.capped).length),
      r.measurements.workloadError ? `workload failed: ${r.measurements.workloadError}` : measuredOrder(r.measurements),
    ]),
  };
}

function worstTasksNote(rows: readonly TaskRow[]): string {
  const worst = rows
    .filter((r) => r.instructions.tau !== undefined && (r.instructions.tau as number) < 0.5)
    .sort((a, b) => (a.instructions.tau as number) - (b.instructions.tau as number))
    .slice(0, 6);
  if (worst.length === 0) return 'Every measured task has τ ≥ 0.5 between instructions and the published levels.';
  const parts = worst.map((r) => `${r.measurements.taskId} (τ ${tauText(r.instructions.tau)}, cheapest→costliest levels: ${measuredOrder(r.measurements)})`);
  return `Largest disagreements with the published levels: ${parts.join('; ')}. EvalPerf clustered on its own performance input, `
    + 'not included in the data; on these inputs a published "faster" reference can do more work (e.g. an early-exit loop that '
    + 'is quick when a match comes early and quadratic when none exists). These are findings about the inputs, not corrected.';
}

export async function runRanking(ctx: BenchContext): Promise<SectionOutcome> {
  const plan = TIER_PLANS[ctx.tier];
  const all = loadEvalperfTasks(ctx.dataDir);
  const tasks = plannedTasks(all, plan);
  const usable = all.filter(hasInputs).length;
  const measurements = await measureTaskReferences(tasks, {
    runner: new PythonRunner(),
    root: ctx.root,
    scratchDir: ctx.scratchDir,
    capSeconds: plan.capSeconds,
    concurrency: CONCURRENCY,
    log: ctx.log,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const rows: TaskRow[] = measurements.map((m) => ({ measurements: m, instructions: taskAgreement(instructionItems(m)), wall: taskAgreement(wallItems(m)) }));
  const tauInstructions = meanWithError(rows.map((r) => r.instructions.tau));
  const tauWall = meanWithError(rows.map((r) => r.wall.tau));
  // Both rankings of a task face the same references and inputs, so their difference per task is the fair comparison.
  const tauDifference = meanWithError(rows.map((r) => (r.instructions.tau === undefined || r.wall.tau === undefined ? undefined : r.instructions.tau - r.wall.tau)));
  // Capped references tie in instructions but keep their order in the timed pass: compare also where nothing was capped.
  const uncapped = rows.filter((r) => !r.measurements.workloadError && r.measurements.references.every((x) => !x.instructions.capped));
  const tauInstructionsUncapped = meanWithError(uncapped.map((r) => r.instructions.tau));
  const tauWallUncapped = meanWithError(uncapped.map((r) => r.wall.tau));
  const zero: PairCounts = { concordant: 0, discordant: 0, tied: 0 };
  const pairsInstructions = rows.reduce((s, r) => addPairs(s, r.instructions.pairs), zero);
  const pairsWall = rows.reduce((s, r) => addPairs(s, r.wall.pairs), zero);
  const references = measurements.flatMap((m) => m.references);
  const capped = references.filter((r) => r.instructions.capped).length;
  const failed = references.filter((r) => r.instructions.instructions === null && !r.instructions.capped);
  const counter = references.find((r) => r.instructions.instructions !== null) ? 'countInstructions' : 'no counter';

  const figures: Figure[] = [
    {
      name: `Kendall τ-b, instruction ranking vs EvalPerf levels (mean per task, ${references.length} references)`,
      perfloop: { value: tauInstructions.mean, display: meanText(tauInstructions) },
      baselines: [{ method: 'one plain timed pass per reference', value: tauWall.mean, display: meanText(tauWall) }],
      target: {
        display: '≥ the naive timed-pass τ',
        met: tauInstructions.mean !== null && tauWall.mean !== null && tauInstructions.mean >= tauWall.mean,
      },
      ...(meanNoise(tauInstructions) ? { noise: meanNoise(tauInstructions) as string } : {}),
    },
    {
      name: 'The same τ-b on the tasks where no reference count hit the cap',
      perfloop: { value: tauInstructionsUncapped.mean, display: meanText(tauInstructionsUncapped) },
      baselines: [{ method: 'one plain timed pass per reference', value: tauWallUncapped.mean, display: meanText(tauWallUncapped) }],
      ...(meanNoise(tauInstructionsUncapped) ? { noise: meanNoise(tauInstructionsUncapped) as string } : {}),
    },
    {
      name: 'Per-task difference τ instructions − τ timed pass (paired, mean over tasks)',
      perfloop: { value: tauDifference.mean, display: signedMeanText(tauDifference) },
      ...(meanNoise(tauDifference) ? { noise: `${meanNoise(tauDifference) as string}; an interval that holds 0 is no measured difference` } : {}),
    },
    {
      name: 'Reference pairs ordered as EvalPerf orders them (pooled over tasks)',
      perfloop: { value: pairShare(pairsInstructions), display: `${formatPercent(pairShare(pairsInstructions))} of ${pairTotal(pairsInstructions)} pairs` },
      baselines: [{ method: 'one plain timed pass per reference', value: pairShare(pairsWall), display: `${formatPercent(pairShare(pairsWall))} of ${pairTotal(pairsWall)} pairs` }],
      noise: `${pairsInstructions.discordant} reversed, ${pairsInstructions.tied} tied (both capped); pairs of one task are not independent, so no interval`,
    },
    {
      name: `Reference instruction counts that hit the ${plan.capSeconds} s cap`,
      perfloop: { value: references.length ? capped / references.length : null, display: formatRate(capped, references.length) },
    },
  ];
  const notes = [
    `Tasks: ${describeTaskChoice(plan, tasks.length, usable)} (of ${all.length}; a task without tests or stress inputs cannot be measured).`,
    `Measured with Perfloop's PythonRunner in its sandbox: ${counter} (valgrind/cachegrind on this machine where perf stat has no `
      + `hardware counter) on the task's performance inputs — the COFFE stress inputs (perf_inputs[].args_expr) where the task has `
      + `them, otherwise its ${LARGEST_TESTS} largest tests by length of args_repr ("largest-tests"). Instructions of all inputs are summed; `
      + `start-up is subtracted by the engine. A count running past ${plan.capSeconds} s is "capped": ranked costlier than every `
      + 'measured reference of its task, tied with the other capped ones. The cap is the bench\'s time budget; the engine at its '
      + `default settings lets a count run ${(DEFAULT_SETTINGS.timeoutMs * VALGRIND_SLOWDOWN) / 1000} s.`,
    'Baseline: one plain timed pass per reference over the same performance inputs (wallTimer.py in the sandbox: inputs built and '
      + 'copied first, no warm-up, no repeat), run one at a time after all counting. τ-b is computed per '
      + 'task against the published levels (levels ascend with speed, so τ = 1 means the costs descend exactly with the level).',
    worstTasksNote(rows),
  ];
  if (failed.length > 0) notes.push(`${failed.length} reference counts failed (left out of τ): ${[...new Set(failed.map((f) => f.instructions.error))].slice(0, 3).join(' | ')}`);
  const notPassing = references.filter((r) => !r.allTestsPassedHere).length;
  if (notPassing > 0) notes.push(`${notPassing} measured references are marked all_tests_passed_here = false in the data (timeouts on some tests here); they are ranked like the others.`);
  const countSeconds = references.reduce((s, r) => s + r.instructions.seconds, 0);
  notes.push(`The counts took ${formatSeconds(countSeconds)} added up (${CONCURRENCY} ran at a time; each count is two valgrind runs, with and without the calls).`);
  return { figures, tables: [detailTable(rows)], notes, details: { tier: ctx.tier, plan, tasks: measurements } };
}

export const evalperfRankingSection: BenchSection = {
  id: 'evalperf-ranking',
  title: 'EvalPerf: reference ranking by Perfloop’s measurement vs published efficiency levels',
  run: runRanking,
};
