/**
 * Figure 2, A/A false positives: a function timed against an identical copy at Perfloop's default settings, many times;
 * every `faster` or `slower` verdict is a false positive. The naive rules judge the same samples, side by side. A second
 * series runs with a CPU-bound neighbour process, where naive rules are known to fail.
 */
import { MAX_PROCESS_PAIRS, MIN_PROCESS_PAIRS, samplesPerProcessPair } from '../../optimizer/timeCandidate.js';
import { DEFAULT_SETTINGS } from '../../optimizer/types.js';
import { median } from '../../profilers/stats/descriptive.js';
import { formatPercent, formatRate, wilsonInterval } from '../benchStats.js';
import type { BenchContext, BenchSection, DetailTable, Figure, SectionOutcome } from '../types.js';
import { startBackgroundLoad } from './backgroundLoad.js';
import { loadExamplePair, timeAsARunDoes, type BenchPair } from './benchPrograms.js';
import { judgeTiming, NAIVE_METHODS, type VerdictSet } from './naiveVerdicts.js';

const TRIALS = { tiny: { quiet: 2, loaded: 0 }, quick: { quiet: 30, loaded: 15 }, full: { quiet: 100, loaded: 100 } } as const;
const TARGET_RATE = 0.01;

interface Trial {
  ratio: number;
  low: number;
  high: number;
  perfloop: string;
  /** Perfloop's verdict from the first process pair alone (one process per side, as before several pairs). */
  fixed: string;
  processPairs: number;
  naive: Record<string, string>;
}

async function runTrials(pair: BenchPair, count: number, ctx: BenchContext, label: string): Promise<Trial[]> {
  const trials: Trial[] = [];
  for (let i = 0; i < count; i++) {
    const timed = await timeAsARunDoes(pair.runner, pair.original, pair.candidate, pair.workload, pair.mutatesArguments, ctx.signal);
    const judged: VerdictSet = judgeTiming(timed, DEFAULT_SETTINGS.noiseThreshold);
    const e = judged.perfloop;
    trials.push({ ratio: e.ratio, low: e.low, high: e.high, perfloop: e.verdict, fixed: judged.fixed.verdict, processPairs: judged.processPairs, naive: judged.naive });
    if ((i + 1) % 10 === 0 || i + 1 === count) ctx.log(`${label}: ${i + 1}/${count} trials`);
  }
  return trials;
}

const isPositive = (verdict: string) => verdict === 'faster' || verdict === 'slower';
const rateOf = (count: number, trials: number) => ({ value: count / trials, display: formatRate(count, trials) });

function rateFigure(name: string, trials: readonly Trial[]): Figure {
  const positives = trials.filter((t) => isPositive(t.perfloop)).length;
  const rate = positives / trials.length;
  return {
    name,
    perfloop: { value: rate, display: formatRate(positives, trials.length) },
    baselines: [
      { method: `Perfloop, fixed ${DEFAULT_SETTINGS.timingSamples} pairs`, ...rateOf(trials.filter((t) => isPositive(t.fixed)).length, trials.length) },
      ...NAIVE_METHODS.map((method) => ({ method: method.name, ...rateOf(trials.filter((t) => isPositive(t.naive[method.id] ?? '')).length, trials.length) })),
    ],
    // Met only when the interval's upper end is under the target too: 0 of 20 would not show ≤ 1%.
    target: { display: `≤ ${formatPercent(TARGET_RATE, 0)}`, met: wilsonInterval(positives, trials.length)[1] <= TARGET_RATE || (rate <= TARGET_RATE && trials.length >= 100) },
  };
}

function widthFigure(name: string, trials: readonly Trial[]): Figure {
  const widths = trials.map((t) => t.high / t.low - 1);
  const ratios = trials.map((t) => t.ratio);
  return {
    name,
    perfloop: { value: median(widths), display: `${formatPercent(median(widths), 2)} median, ${formatPercent(Math.max(...widths), 2)} widest` },
    noise: `point estimates ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}`,
  };
}

function verdictTable(title: string, trials: readonly Trial[]): DetailTable {
  const count = (pick: (t: Trial) => string, verdict: string) => String(trials.filter((t) => pick(t) === verdict).length);
  const rows = [
    ['Perfloop (95% interval across process pairs must clear ±5%)', ...['faster', 'no-difference', 'slower'].map((v) => count((t) => t.perfloop, v))],
    [`Perfloop, first process pair only (${samplesPerProcessPair(DEFAULT_SETTINGS.timingSamples)} pairs, its own interval)`, ...['faster', 'no-difference', 'slower'].map((v) => count((t) => t.fixed, v))],
  ];
  for (const method of NAIVE_METHODS) {
    rows.push([`${method.name}, 5% threshold`, ...['faster', 'no-difference', 'slower'].map((v) => count((t) => t.naive[method.id] ?? '', v))]);
  }
  return { title, columns: ['method', 'faster', 'no-difference', 'slower'], rows };
}

export const aaFalsePositivesSection: BenchSection = {
  id: 'aa-false-positives',
  title: 'A/A false positives',
  async run(ctx: BenchContext): Promise<SectionOutcome> {
    const plan = TRIALS[ctx.tier];
    const pair = await loadExamplePair(ctx.root, 'python/duplicates.py', 'find_duplicates', undefined, ctx.signal);
    const quiet = await runTrials(pair, plan.quiet, ctx, 'quiet');
    let loaded: Trial[] = [];
    if (plan.loaded > 0) {
      const load = startBackgroundLoad();
      try {
        loaded = await runTrials(pair, plan.loaded, ctx, 'under load');
      } finally {
        await load.stop();
      }
    }
    const what = `${pair.label}, default settings`;
    const figures = [rateFigure(`A/A false-positive rate, ${what}`, quiet), widthFigure('A/A 95% interval width (high/low − 1)', quiet)];
    const tables = [verdictTable(`A/A verdicts, ${quiet.length} trials`, quiet)];
    if (loaded.length > 0) {
      figures.push(rateFigure('A/A false-positive rate with a CPU-bound neighbour process', loaded));
      figures.push(widthFigure('A/A 95% interval width with a CPU-bound neighbour', loaded));
      tables.push(verdictTable(`A/A verdicts with a CPU-bound neighbour, ${loaded.length} trials`, loaded));
    }
    return {
      figures,
      tables,
      notes: [
        `Each trial times the pair exactly as a run does (\`measureSpeedup\`, default settings): ${MIN_PROCESS_PAIRS} fresh pairs of sandboxed processes (one per side) each calibrate, warm up and take ${samplesPerProcessPair(DEFAULT_SETTINGS.timingSamples)} interleaved pairs of ${DEFAULT_SETTINGS.sampleSeconds * 1000} ms samples in random order; while the 95% interval straddles ±5%, one more process pair at a time, up to ${MAX_PROCESS_PAIRS}. Trials needing more than ${MIN_PROCESS_PAIRS} process pairs: ${[...quiet, ...loaded].filter((t) => t.processPairs > MIN_PROCESS_PAIRS).length} of ${quiet.length + loaded.length}; process pairs per trial, median: ${median([...quiet, ...loaded].map((t) => t.processPairs))}.`,
        'The naive rules read the same samples, so they get Perfloop’s calibrated 20 ms samples and interleaving for free; tools that time each side in its own process would do worse than shown.',
        'The target counts as met when the Wilson interval’s upper end is ≤ 1%, or, from 100 trials up, when the observed rate is.',
      ],
      details: { quiet, loaded },
    };
  },
};
