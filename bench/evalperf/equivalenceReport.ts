/**
 * Figures and tables of evalperf-equivalence from the three parts' items (pure: no measuring here).
 */
import { formatPercent, formatRate } from '../benchStats.js';
import type { DetailTable, Figure, Measured } from '../types.js';
import { BY_DESIGN_CAUSES, type EquivalenceItem, type RejectionCause } from './equivalenceCheck.js';
import type { LevelItem } from './levelAssignment.js';
import type { MutantItem } from './mutantCheck.js';

const CAUSES: readonly RejectionCause[] = ['return', 'mutation', 'exception', 'stdout', 'crash', 'state', 'error', 'timeout'];

function count<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.reduce((n, item) => n + (predicate(item) ? 1 : 0), 0);
}

export function equivalenceFigures(items: readonly EquivalenceItem[]): Figure[] {
  const rejected = items.filter((i) => i.cause !== undefined);
  const wrong = count(rejected, (i) => i.judgement === 'wrong');
  const wrongNotMutation = count(rejected, (i) => i.judgement === 'wrong' && !BY_DESIGN_CAUSES.includes(i.cause as RejectionCause));
  const undecided = count(rejected, (i) => i.judgement === 'undecided');
  const justified = count(rejected, (i) => i.judgement === 'justified');
  return [
    {
      name: `LLM solutions that passed EvalPerf's tests, rejected by Perfloop's equivalence check though the dataset's oracle accepts them`,
      perfloop: { value: items.length ? wrong / items.length : null, display: formatRate(wrong, items.length) },
      target: { display: '~0', met: wrong === 0 },
      noise: `${rejected.length} rejected in all: ${justified} also fail the dataset's expected outputs (justified), ${undecided} undecided (oracle timed out)`,
    },
    {
      name: 'The same, leaving out Perfloop’s by-design rules (a mutated argument, results kept between calls), which EvalPerf’s tests do not look at',
      perfloop: { value: items.length ? wrongNotMutation / items.length : null, display: formatRate(wrongNotMutation, items.length) },
      target: { display: '~0', met: wrongNotMutation === 0 },
    },
  ];
}

export function rejectionTable(items: readonly EquivalenceItem[]): DetailTable {
  const rows = CAUSES.map((cause) => {
    const of = items.filter((i) => i.cause === cause);
    return [
      cause,
      String(of.length),
      String(count(of, (i) => i.judgement === 'justified')),
      String(count(of, (i) => i.judgement === 'wrong')),
      String(count(of, (i) => i.judgement === 'undecided')),
      String(count(of, (i) => i.judgement === 'wrong' && i.specialOracle)),
      String(count(of, (i) => i.judgement === 'wrong' && i.floatTolerance)),
    ];
  }).filter((row) => row[1] !== '0');
  return {
    title: 'Equivalence rejections by cause, judged by the dataset’s own oracle',
    columns: ['cause', 'rejected', 'justified (fails dataset)', 'wrong (passes dataset)', 'undecided', 'wrong, special-oracle task', 'wrong, float-tolerance task'],
    rows,
  };
}

export function wrongRejectionExamples(items: readonly EquivalenceItem[], limit = 15): DetailTable {
  const wrong = items.filter((i) => i.judgement === 'wrong');
  return {
    title: `Wrong rejections (first ${Math.min(limit, wrong.length)} of ${wrong.length})`,
    columns: ['task', 'solution #', 'cause', 'Perfloop’s counterexample'],
    rows: wrong.slice(0, limit).map((i) => [i.taskId, String(i.solutionIndex), i.cause ?? '', i.reason ?? '']),
  };
}

function rate(items: readonly LevelItem[], pick: (i: LevelItem) => boolean | undefined): { hits: number; n: number } {
  const defined = items.filter((i) => pick(i) !== undefined);
  return { hits: count(defined, (i) => pick(i) === true), n: defined.length };
}

function rateMeasure(r: { hits: number; n: number }): Measured {
  return { value: r.n ? r.hits / r.n : null, display: formatRate(r.hits, r.n) };
}

export function levelFigures(items: readonly LevelItem[]): Figure[] {
  const figure = (kind: 'exact' | 'withinOne', label: string): Figure => {
    const chance = items.length ? items.reduce((s, i) => s + i.chance[kind], 0) / items.length : null;
    return {
      name: `Level of the nearest reference (log instructions) ${label} EvalPerf’s matching_cluster_idx (${items.length} solutions)`,
      perfloop: rateMeasure(rate(items, (i) => i.agreementInstructions?.[kind])),
      baselines: [
        { method: 'nearest reference by one plain timed pass', ...rateMeasure(rate(items, (i) => i.agreementWallTime?.[kind])) },
        { method: 'EvalPerf’s own matching rule on our counts', ...rateMeasure(rate(items, (i) => i.agreementEvalperfRule?.[kind])) },
        { method: 'a uniformly random level (expected)', value: chance, display: formatPercent(chance) },
      ],
    };
  };
  return [figure('exact', 'equals'), figure('withinOne', 'within one level of')];
}

export function levelTable(items: readonly LevelItem[]): DetailTable {
  const tasks = [...new Set(items.map((i) => i.taskId))];
  const share = (of: readonly LevelItem[], pick: (i: LevelItem) => boolean | undefined) => {
    const r = rate(of, pick);
    return r.n ? `${r.hits}/${r.n}` : '–';
  };
  return {
    title: 'Level assignment per task (agreeing / assigned)',
    columns: ['task', 'solutions', 'exact, instructions', 'within one, instructions', 'exact, one timed pass', 'exact, EvalPerf’s rule on our counts'],
    rows: tasks.map((taskId) => {
      const of = items.filter((i) => i.taskId === taskId);
      return [
        taskId,
        String(of.length),
        share(of, (i) => i.agreementInstructions?.exact),
        share(of, (i) => i.agreementInstructions?.withinOne),
        share(of, (i) => i.agreementWallTime?.exact),
        share(of, (i) => i.agreementEvalperfRule?.exact),
      ];
    }),
  };
}

export function mutantFigures(items: readonly MutantItem[]): Figure[] {
  const kept = items.filter((i) => i.kept);
  const accepted = count(kept, (i) => i.perfloop === 'equivalent');
  const baseAccepts = count(kept, (i) => i.baseTestsAccept);
  return [{
    name: 'Broken mutants (each fails the dataset’s tests) that Perfloop’s equivalence check accepts',
    perfloop: { value: kept.length ? accepted / kept.length : null, display: formatRate(accepted, kept.length) },
    baselines: [{ method: 'the base tests alone (original HumanEval/MBPP tests)', value: kept.length ? baseAccepts / kept.length : null, display: formatRate(baseAccepts, kept.length) }],
    target: { display: '0', met: kept.length > 0 && accepted === 0 },
  }];
}

export function mutantTable(items: readonly MutantItem[]): DetailTable {
  const operators = [...new Set(items.map((i) => i.operator))].sort();
  return {
    title: 'Mutants by operator',
    columns: ['operator', 'generated', 'fail the dataset (kept)', 'rejected by Perfloop', 'accepted by Perfloop', 'pass the base tests'],
    rows: operators.map((operator) => {
      const of = items.filter((i) => i.operator === operator);
      const kept = of.filter((i) => i.kept);
      return [
        operator,
        String(of.length),
        String(kept.length),
        String(count(kept, (i) => i.perfloop !== undefined && i.perfloop !== 'equivalent')),
        String(count(kept, (i) => i.perfloop === 'equivalent')),
        String(count(kept, (i) => i.baseTestsAccept)),
      ];
    }),
  };
}
