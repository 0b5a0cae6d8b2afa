/** Turns the PIE section's records into its figures, tables, notes and raw details. */
import { median } from '../../profilers/stats/descriptive.js';
import { formatPercent, formatRate, formatSeconds } from '../benchStats.js';
import type { DetailTable, Figure, Measured, SectionOutcome } from '../types.js';
import type { WholeProgramSettings } from './measurePie.js';
import {
  countVerdicts,
  mostTelling,
  publishedDirection,
  rankAgreement,
  ratioSummary,
  startupAdjustedRatio,
  type AaCheck,
  type ExcludedPair,
  type MeasuredPair,
  type RankAgreement,
} from './pieResults.js';

export interface PieRunRecord {
  tier: string;
  seed: number;
  settings: WholeProgramSettings;
  pairsInFile: number;
  eligible: number;
  /** Strata (pair slots) the tier asked for. */
  slots: number;
  /** Slots not reached because the time budget ran out. */
  slotsLeft: number;
  budgetSeconds: number;
  measured: MeasuredPair[];
  excluded: ExcludedPair[];
  aa: AaCheck[];
  /** The empty program's median time over the runs before and after the pairs, and each one's median. */
  startupFloor?: { seconds: number; before: number; after: number; times: number[] };
  tool?: string;
  sandbox?: string;
  command?: string;
}

const SHORT_RUN_SECONDS = 0.05;
const TABLE_ROWS = 15;

const fixed = (value: number | undefined, digits = 2): string => (value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));
const times = (value: number): string => `${fixed(value)}×`;

/** Median over programs of start-up / median run time, capped at 1 (a run cannot be more than all start-up). */
function startupShare(medians: readonly number[], floor: number | undefined): number | undefined {
  if (floor === undefined || medians.length === 0) return undefined;
  return median(medians.map((m) => Math.min(1, floor / m)));
}

function measuredRank(agreement: RankAgreement): Measured {
  return {
    value: agreement.tau ?? null,
    display: agreement.tau === undefined ? '–' : `τ-b ${fixed(agreement.tau)}, Spearman ρ ${fixed(agreement.rho)}`,
  };
}

function rankNoise(agreement: RankAgreement): string {
  const interval = agreement.tauInterval ? `, bootstrap 95% CI of τ ${fixed(agreement.tauInterval[0])} to ${fixed(agreement.tauInterval[1])}` : '';
  return `${agreement.n} pairs${interval}`;
}

function rankFigures(record: PieRunRecord): Figure[] {
  const pairs = record.measured;
  const lifts = pairs.map((p) => p.publishedLift);
  const judge = pairs.map((p) => p.judgeRatio);
  const perfloop = pairs.map((p) => p.estimate.ratio);
  const naive = pairs.map((p) => p.naive.ratio);
  const vsLift = rankAgreement(perfloop, lifts);
  const publishedAgainstEachOther = rankAgreement(judge.map((j) => j ?? Number.NaN), lifts);
  const vsJudge = rankAgreement(perfloop, judge);
  return [
    {
      name: 'Rank agreement of measured speedups with PIE’s published lift',
      perfloop: measuredRank(vsLift),
      baselines: [
        { method: 'naive single run', ...measuredRank(rankAgreement(naive, lifts)) },
        { method: 'published judge CPU ratio vs PIE lift (same pairs)', ...measuredRank(publishedAgainstEachOther) },
      ],
      target: { display: 'τ-b > 0 (positive rank correlation)', met: vsLift.tau !== undefined && vsLift.tau > 0 },
      noise: rankNoise(vsLift),
    },
    {
      name: 'Rank agreement of measured speedups with the judge’s CPU-time ratio',
      perfloop: measuredRank(vsJudge),
      baselines: [{ method: 'naive single run', ...measuredRank(rankAgreement(naive, judge)) }],
      noise: rankNoise(vsJudge),
    },
  ];
}

function rate(successes: number, trials: number): Measured {
  return { value: trials > 0 ? successes / trials : null, display: trials > 0 ? formatRate(successes, trials) : '–' };
}

/** The target the brief sets for pairs PIE saw no real gain on; present only when the selection has such pairs. */
function lowLiftFigure(record: PieRunRecord): Figure[] {
  const threshold = record.settings.noiseThreshold;
  const low = record.measured.filter((p) => p.publishedLift <= 1 + threshold);
  if (low.length === 0) return [];
  const falseFaster = low.filter((p) => p.estimate.verdict === 'faster').length;
  return [{
    name: `\`faster\` on pairs whose published lift is ≤ ${times(1 + threshold)}`,
    perfloop: rate(falseFaster, low.length),
    baselines: [{ method: 'naive single run', ...rate(low.filter((p) => p.naive.verdict === 'faster').length, low.length) }],
    target: { display: 'none', met: falseFaster === 0 },
    noise: `${low.length} pairs`,
  }];
}

function verdictFigures(record: PieRunRecord): Figure[] {
  const pairs = record.measured;
  const threshold = record.settings.noiseThreshold;
  const agrees = (verdict: string, p: MeasuredPair): boolean => verdict === publishedDirection(p.publishedLift, threshold);
  const counts = countVerdicts(pairs.map((p) => p.estimate.verdict));
  const naiveCounts = countVerdicts(pairs.map((p) => p.naive.verdict));
  const perfloopOnly = pairs.filter((p) => p.estimate.verdict === 'faster' && p.naive.verdict !== 'faster').length;
  const naiveOnly = pairs.filter((p) => p.naive.verdict === 'faster' && p.estimate.verdict !== 'faster').length;
  const aaFalse = record.aa.filter((a) => a.estimate.verdict !== 'no-difference').length;
  const aaFalseFaster = record.aa.filter((a) => a.estimate.verdict === 'faster').length;
  const aaNaiveFalse = record.aa.filter((a) => a.naive.verdict !== 'no-difference').length;
  return [
    {
      name: 'Verdict agrees with PIE’s direction (pairs called `faster`)',
      perfloop: rate(pairs.filter((p) => agrees(p.estimate.verdict, p)).length, pairs.length),
      baselines: [{ method: 'naive single run, 5% threshold', ...rate(pairs.filter((p) => agrees(p.naive.verdict, p)).length, pairs.length) }],
      noise: `Perfloop: ${counts.faster} faster, ${counts['no-difference']} no-difference, ${counts.slower} slower; ` +
        `naive: ${naiveCounts.faster} / ${naiveCounts['no-difference']} / ${naiveCounts.slower}`,
    },
    {
      name: '`faster` calls the other method does not back',
      perfloop: { value: perfloopOnly, display: `${perfloopOnly} of ${pairs.length} pairs (interval says faster, single run does not)` },
      baselines: [{ method: 'naive single run', value: naiveOnly, display: `${naiveOnly} of ${pairs.length} (single run says faster, interval does not)` }],
      noise: `${pairs.length} pairs, one measurement each`,
    },
    ...lowLiftFigure(record),
    {
      name: 'A/A control: slow program against itself, verdict other than no-difference',
      perfloop: rate(aaFalse, record.aa.length),
      baselines: [{ method: 'naive single run', ...rate(aaNaiveFalse, record.aa.length) }],
      target: { display: 'none (a false `slower` is as wrong as a false `faster`)', met: aaFalse === 0 },
      noise: `${record.aa.length} A/A measurements, ${aaFalseFaster} false faster`,
    },
  ];
}

function compressionFigures(record: PieRunRecord): Figure[] {
  const pairs = record.measured;
  const vsLift = ratioSummary(pairs.map((p) => p.estimate.ratio), pairs.map((p) => p.publishedLift));
  const naiveVsLift = ratioSummary(pairs.map((p) => p.naive.ratio), pairs.map((p) => p.publishedLift));
  const vsJudge = ratioSummary(pairs.map((p) => p.estimate.ratio), pairs.map((p) => p.judgeRatio));
  const allRuns = pairs.flatMap((p) => [...p.slowTimes, ...p.fastTimes]);
  const short = allRuns.filter((t) => t < SHORT_RUN_SECONDS).length;
  const summary = (s: typeof vsLift): Measured => ({
    value: s?.median ?? null,
    display: s ? `${times(s.median)} (IQR ${fixed(s.q1)}–${fixed(s.q3)})` : '–',
  });
  const floor = record.startupFloor?.seconds;
  const slowHere = pairs.length ? median(pairs.map((p) => p.estimate.originalSeconds)) : undefined;
  const slowPie = pairs.length ? median(pairs.map((p) => p.pieSlowSeconds)) : undefined;
  return [
    {
      name: 'Median measured / published speedup (PIE lift)',
      perfloop: summary(vsLift),
      baselines: [
        { method: 'naive single run / PIE lift', ...summary(naiveVsLift) },
        { method: 'Perfloop / judge CPU ratio', ...summary(vsJudge) },
      ],
      noise: `${vsLift?.n ?? 0} pairs`,
    },
    {
      name: 'Interpreter start-up’s share of a timed run (median over pairs, slow / fast program)',
      perfloop: {
        value: startupShare(pairs.map((p) => p.estimate.originalSeconds), floor) ?? null,
        display: `${formatPercent(startupShare(pairs.map((p) => p.estimate.originalSeconds), floor), 0)} / ${formatPercent(startupShare(pairs.map((p) => p.estimate.candidateSeconds), floor), 0)}`,
      },
      baselines: [
        { method: 'Python start-up, empty program', value: floor ?? null, display: formatSeconds(floor) },
        { method: `timed runs under ${SHORT_RUN_SECONDS * 1000} ms`, value: allRuns.length ? short / allRuns.length : null, display: allRuns.length ? `${short} of ${allRuns.length} (${formatPercent(short / allRuns.length)})` : '–' },
        { method: 'median slow program here / PIE’s (hidden tests)', value: slowHere ?? null, display: `${formatSeconds(slowHere)} / ${formatSeconds(slowPie)}` },
      ],
      noise: `${pairs.length} pairs × ${record.settings.runs} runs × 2 programs; start-up from ${record.startupFloor?.times.length ?? 0} runs, ` +
        `median ${formatSeconds(record.startupFloor?.before)} before the pairs and ${formatSeconds(record.startupFloor?.after)} after`,
    },
  ];
}

function pairTable(record: PieRunRecord): DetailTable {
  const rows = mostTelling(record.measured, TABLE_ROWS).map((p) => [
    p.id.replace(/^pie\//, ''),
    `${p.test} (${p.inputBytes} B)`,
    times(p.publishedLift),
    p.judgeRatio === undefined ? '–' : times(p.judgeRatio),
    `${times(p.estimate.ratio)} [${fixed(p.estimate.low)}–${fixed(p.estimate.high)}]`,
    p.estimate.verdict,
    `${times(p.naive.ratio)} ${p.naive.verdict}`,
    `${formatSeconds(p.estimate.originalSeconds)} / ${formatSeconds(p.estimate.candidateSeconds)}`,
  ]);
  return {
    title: `PIE pairs: the ${rows.length} most telling of ${record.measured.length} (methods disagreeing first, then the largest gap to PIE)`,
    columns: ['pair', 'sample test', 'PIE lift', 'judge CPU ratio', 'Perfloop speedup [95% CI]', 'verdict', 'naive single run', 'median slow / fast here'],
    rows,
  };
}

function otherTables(record: PieRunRecord): DetailTable[] {
  const tables: DetailTable[] = [];
  if (record.aa.length > 0) {
    tables.push({
      title: 'A/A control (slow program against itself)',
      columns: ['pair', 'Perfloop speedup [95% CI]', 'verdict', 'naive single run'],
      rows: record.aa.map((a) => [a.id.replace(/^pie\//, ''), `${times(a.estimate.ratio)} [${fixed(a.estimate.low)}–${fixed(a.estimate.high)}]`, a.estimate.verdict, `${times(a.naive.ratio)} ${a.naive.verdict}`]),
    });
  }
  if (record.excluded.length > 0) {
    tables.push({ title: 'PIE pairs excluded here', columns: ['pair', 'reason'], rows: record.excluded.map((e) => [e.id.replace(/^pie\//, ''), e.reason]) });
  }
  return tables;
}

function notes(record: PieRunRecord): string[] {
  const pairs = record.measured;
  const s = record.settings;
  const floor = record.startupFloor?.seconds;
  const lifts = pairs.map((p) => p.publishedLift);
  const adjusted = floor === undefined ? [] : pairs.map((p) => startupAdjustedRatio(p.estimate.originalSeconds, p.estimate.candidateSeconds, floor) ?? Number.NaN);
  const adjustedAgreement = rankAgreement(adjusted, lifts);
  const adjustedSummary = ratioSummary(adjusted.filter(Number.isFinite), lifts.filter((_, i) => Number.isFinite(adjusted[i])));
  const vsLift = ratioSummary(pairs.map((p) => p.estimate.ratio), lifts);
  const minLift = lifts.length ? Math.min(...lifts) : undefined;
  const minJudge = Math.min(...pairs.flatMap((p) => (p.judgeRatio === undefined ? [] : [p.judgeRatio])));
  const lowLift = pairs.filter((p) => p.publishedLift <= 1 + s.noiseThreshold);
  const published = rankAgreement(pairs.map((p) => p.judgeRatio ?? Number.NaN), lifts);
  return [
    `Tier ${record.tier}: ${record.slots} pair slot(s) from the ${record.eligible} of ${record.pairsInFile} pairs that pass their sample tests per the data set` +
      `${record.slots < record.eligible ? ', one slot per stratum of the published lift' : ''}; seed ${record.seed}; measured in seeded random order. ` +
      `${pairs.length} measured, ${record.excluded.length} excluded here (table), ${record.slotsLeft} slot(s) not reached within the ${formatSeconds(record.budgetSeconds)} budget.`,
    `Method: whole-program mode as the optimizer runs it — a project of prog.py (the slow program) and input.txt, the command \`${record.command ?? 'python prog.py < input.txt'}\`, ` +
      `the fast program as the patch, measureCommandPair with ${record.tool ?? 'the available timer'} in the ${record.sandbox ?? 'auto'} sandbox (${s.runs} timed runs and ${s.warmup} warm-ups per side), ` +
      `then commandPairSpeedup (paired estimate over the interleaved runs, as the optimizer does) with the default ${formatPercent(s.noiseThreshold, 0)} noise threshold.`,
    'Before timing, both programs ran every sample test in the sandbox (process creation refused) and their stdout was compared token-wise, decimal numbers within 1e-6; a pair failing here is excluded, the next pair of its stratum stands in (at most 3 tries).',
    'The timed test is the sample test with the longest input (ties: the one the data set recorded as slower). The data set\'s recorded run times were not used first: single runs dominated by start-up, they point at the trivial case of many problems. Sample inputs are never concatenated or repeated: a stdin program reads one case, so that would change what it computes.',
    'Naive baseline: the first timed run of each program in the same measurement (after the warm-ups), called faster when slow/fast > 1.05 — one run each, no interval.',
    `Finding — compression: the sample inputs are tiny, so interpreter start-up (${formatSeconds(floor)} for an empty program here, ` +
      `a median ${formatPercent(startupShare(pairs.map((p) => p.estimate.originalSeconds), floor), 0)} of the slow program's run and ${formatPercent(startupShare(pairs.map((p) => p.estimate.candidateSeconds), floor), 0)} of the fast one's) ` +
      `is a fixed cost on both sides that pulls measured speedups toward 1: measured/published has a median of ${vsLift ? times(vsLift.median) : '–'} over ${vsLift?.n ?? 0} pairs. PIE timed hidden, larger tests. ` +
      `With the empty program's time subtracted from both medians, measured/published becomes a median ${adjustedSummary ? times(adjustedSummary.median) : '–'} of PIE's lift (τ-b ${fixed(adjustedAgreement.tau)} over ${adjustedAgreement.n} pairs); that estimate is noisy where little work remains after start-up.`,
    lowLift.length === 0
      ? `No measured pair has a published lift below ${times(1 + s.noiseThreshold)} (smallest PIE lift ${minLift === undefined ? '–' : times(minLift)}, smallest judge CPU ratio ${Number.isFinite(minJudge) ? times(minJudge) : '–'}), so "no false faster where PIE saw none" cannot be tested on this data; the A/A control (slow program against itself) stands in for it.`
      : `${lowLift.length} measured pair(s) have a published lift below ${times(1 + s.noiseThreshold)}; Perfloop called ${lowLift.filter((p) => p.estimate.verdict === 'faster').length} of them faster (figure above).`,
    `The published figures agree with each other only so far: over these pairs, the judge's CPU-time ratio against PIE's lift has τ-b ${fixed(published.tau)} (${published.n} pairs) — one is the judge's CPU time on the contest's tests, the other PIE's re-run on its own machine.`,
  ];
}

export function buildPieOutcome(record: PieRunRecord): SectionOutcome {
  return {
    figures: [...rankFigures(record), ...verdictFigures(record), ...compressionFigures(record)],
    tables: [pairTable(record), ...otherTables(record)],
    notes: notes(record),
    details: record,
  };
}
