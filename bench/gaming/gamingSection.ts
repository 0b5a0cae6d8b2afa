/**
 * `gaming`: how many candidates written to game the judge (bench/gaming/catalogue.ts) it calls `faster`, per language
 * and per attack family (target 0), and how many honest controls it still calls `faster` (target all). Each entry runs
 * through compareCandidate, as `perfloop compare` would run it. The baseline is the same catalogue judged by the code
 * before the judge fix (bench/gaming/beforeFix.ts), counted over the entries this tier judges.
 */
import { formatInterval, formatRatio, truncate } from '../../optimizer/report/format.js';
import type { BenchContext, BenchSection, BenchTier, DetailTable, Figure, SectionOutcome } from '../types.js';
import { BEFORE_FIX } from './beforeFix.js';
import { GAMING_CATALOGUE } from './catalogue.js';
import { FAMILY_LABELS, LANGUAGE_LABELS, type GamingEntry, type GamingLanguage } from './gamingEntry.js';
import { copyCatalogue, judgeEntry, type EntryVerdict } from './judgeEntry.js';

/** Tiny: the test suite's run, a few entries (a control and forgeries) to prove the section works end to end. */
export function entriesForTier(tier: BenchTier): readonly GamingEntry[] {
  return tier === 'tiny' ? GAMING_CATALOGUE.filter((e) => e.tiny) : GAMING_CATALOGUE;
}

const LANGUAGES = Object.keys(LANGUAGE_LABELS) as GamingLanguage[];

export interface JudgedEntry {
  entry: GamingEntry;
  result: EntryVerdict;
}

function speedupText(result: Pick<EntryVerdict, 'speedup'>): string {
  return result.speedup ? `${formatRatio(result.speedup.ratio)} [${formatInterval(result.speedup)}]` : '–';
}

function beforeFaster(entries: readonly GamingEntry[]): number {
  return entries.filter((e) => BEFORE_FIX.verdicts[e.id]?.verdict === 'faster').length;
}

const BEFORE_METHOD = `the judge before the fix (commit ${BEFORE_FIX.commit}, ${BEFORE_FIX.date})`;

function fasterFigure(name: string, judged: readonly JudgedEntry[]): Figure {
  const gaming = judged.filter((j) => j.entry.expected === 'not-faster');
  const faster = gaming.filter((j) => j.result.verdict === 'faster').length;
  const before = beforeFaster(gaming.map((j) => j.entry));
  return {
    name,
    perfloop: { value: faster, display: `${faster} of ${gaming.length}` },
    baselines: [{ method: BEFORE_METHOD, value: before, display: `${before} of ${gaming.length}` }],
    target: { display: '0', met: faster === 0 },
  };
}

export function gamingFigures(judged: readonly JudgedEntry[]): Figure[] {
  const figures = [fasterFigure('Gaming candidates called `faster`, all languages', judged)];
  for (const language of LANGUAGES) {
    const ofLanguage = judged.filter((j) => j.entry.language === language && j.entry.expected === 'not-faster');
    if (ofLanguage.length > 0) figures.push(fasterFigure(`Gaming candidates called \`faster\`, ${LANGUAGE_LABELS[language]}`, ofLanguage));
  }
  const controls = judged.filter((j) => j.entry.expected === 'faster');
  const kept = controls.filter((j) => j.result.verdict === 'faster').length;
  const keptBefore = beforeFaster(controls.map((j) => j.entry));
  figures.push({
    name: 'Honest controls still called `faster`',
    perfloop: { value: kept, display: `${kept} of ${controls.length}` },
    baselines: [{ method: BEFORE_METHOD, value: keptBefore, display: `${keptBefore} of ${controls.length}` }],
    target: { display: `all ${controls.length}`, met: kept === controls.length },
  });
  return figures;
}

export function gamingTables(judged: readonly JudgedEntry[]): DetailTable[] {
  const entries: DetailTable = {
    title: 'Verdict per entry (expected: not faster, except the controls)',
    columns: ['entry', 'language', 'family', 'verdict', 'speedup [95% CI]', 'before the fix', 'reason'],
    rows: judged.map(({ entry, result }) => {
      const before = BEFORE_FIX.verdicts[entry.id];
      return [
        entry.expected === 'faster' ? `${entry.id} (control)` : entry.id,
        LANGUAGE_LABELS[entry.language],
        FAMILY_LABELS[entry.family],
        result.verdict === 'faster' && entry.expected === 'not-faster' ? `**faster** ❌` : result.verdict,
        speedupText(result),
        before ? `${before.verdict}${before.speedup ? ` ${formatRatio(before.speedup)}` : ''}` : 'not measured',
        truncate((result.reason ?? '').replace(/\s+/g, ' '), 140) || '–',
      ];
    }),
  };
  const families = [...new Set(judged.map((j) => j.entry.family))].filter((f) => f !== 'control');
  const byFamily: DetailTable = {
    title: 'Gaming candidates called `faster`, per attack family',
    columns: ['family', 'entries', 'faster now', 'faster before the fix'],
    rows: families.map((family) => {
      const ofFamily = judged.filter((j) => j.entry.family === family);
      return [
        FAMILY_LABELS[family],
        String(ofFamily.length),
        String(ofFamily.filter((j) => j.result.verdict === 'faster').length),
        String(beforeFaster(ofFamily.map((j) => j.entry))),
      ];
    }),
  };
  return [entries, byFamily];
}

export function gamingNotes(judged: readonly JudgedEntry[]): string[] {
  const wins = judged.filter((j) => j.entry.expected === 'not-faster' && j.result.verdict === 'faster');
  const lostControls = judged.filter((j) => j.entry.expected === 'faster' && j.result.verdict !== 'faster');
  const leaked = judged.filter((j) => j.result.secretInReport);
  return [
    wins.length === 0
      ? 'No gaming candidate was called `faster`.'
      : `Called \`faster\`: ${wins.map((j) => `${j.entry.id} (${speedupText(j.result)})`).join(', ')}.`,
    ...(lostControls.length > 0 ? [`Controls no longer \`faster\`: ${lostControls.map((j) => `${j.entry.id} (${j.result.verdict})`).join(', ')}.`] : []),
    ...(leaked.length > 0 ? [`The .env canary appears in the report of: ${leaked.map((j) => j.entry.id).join(', ')}.`] : []),
    'Every gaming candidate keeps the original’s algorithm on its honest path, so a `faster` verdict measures the trick. ' +
      'Verdicts are timed (counters: time; instruction counts decide nothing at the default `auto`).',
  ];
}

export const gamingSection: BenchSection = {
  id: 'gaming',
  title: 'Gaming candidates the judge calls faster',
  async run(ctx: BenchContext): Promise<SectionOutcome> {
    const judged: JudgedEntry[] = [];
    const catalogueDir = copyCatalogue(ctx.root, ctx.scratchDir);
    for (const entry of entriesForTier(ctx.tier)) {
      if (ctx.signal?.aborted) throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('cancelled');
      const result = await judgeEntry(entry, catalogueDir, ctx.signal);
      ctx.log(`${entry.id}: ${result.verdict}${result.speedup ? ` ${formatRatio(result.speedup.ratio)}` : ''} (${result.seconds.toFixed(0)} s)`);
      judged.push({ entry, result });
    }
    return {
      figures: gamingFigures(judged),
      tables: gamingTables(judged),
      notes: gamingNotes(judged),
      details: { tier: ctx.tier, before: { commit: BEFORE_FIX.commit, date: BEFORE_FIX.date, command: BEFORE_FIX.command }, entries: judged.map((j) => j.result) },
    };
  },
};
