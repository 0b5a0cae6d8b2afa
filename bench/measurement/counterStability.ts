/**
 * Figure 1, counter stability: the instruction count of the same program over repeated runs (per language), beside the
 * wall time of a single timed run of it; and the wall-time speedup estimate of one pair over repeated runs, beside the
 * single-run speedup a naive timer reports.
 */
import { DEFAULT_SETTINGS } from '../../optimizer/types.js';
import { coefficientOfVariation } from '../../profilers/stats/descriptive.js';
import { estimatePairedSpeedup } from '../../profilers/stats/speedup.js';
import { formatPercent } from '../benchStats.js';
import type { BenchContext, BenchSection, DetailTable, Figure, SectionOutcome } from '../types.js';
import { defaultTiming, loadExamplePair, runOptions, type BenchPair } from './benchPrograms.js';

const EXAMPLES = [
  { language: 'Python', file: 'python/duplicates.py', fn: 'find_duplicates', fast: 'python/duplicates_fast.py' },
  { language: 'JavaScript', file: 'javascript/orders.mjs', fn: 'repeatedCustomers', fast: 'javascript/orders_fast.mjs' },
  { language: 'C', file: 'c/column_sums.c', fn: 'column_sums', fast: 'c/column_sums_fast.c' },
] as const;

const PLAN = {
  tiny: { runs: 2, languages: 1 },
  quick: { runs: 5, languages: EXAMPLES.length },
  full: { runs: 5, languages: EXAMPLES.length },
} as const;
const TARGET_CV = 0.0001;

interface LanguageStability {
  language: string;
  label: string;
  counter?: string;
  instructions: number[];
  singleRunSeconds: number[];
}

function cvDisplay(values: readonly number[]): string {
  if (values.length < 2) return '–';
  const cv = coefficientOfVariation(values);
  return cv === 0 ? '0 (identical)' : formatPercent(cv, cv >= 0.01 ? 1 : 2);
}

async function measureLanguage(pair: BenchPair, language: string, runs: number, ctx: BenchContext): Promise<LanguageStability> {
  const result: LanguageStability = { language, label: pair.label, instructions: [], singleRunSeconds: [] };
  for (let i = 0; i < runs; i++) {
    const count = await pair.runner.countInstructions(pair.original, pair.workload, runOptions(ctx.signal));
    if (count) {
      result.instructions.push(count.instructions);
      result.counter = count.counter;
    }
    // A naive timer's single run: one calibrated sample of the same function, in its own process.
    const timed = await pair.runner.measureTime(pair.original, pair.original, pair.workload, pair.mutatesArguments, { ...defaultTiming(ctx.signal), samples: 1 });
    result.singleRunSeconds.push(timed.original[0] as number);
  }
  ctx.log(`${language}: instructions CV ${cvDisplay(result.instructions)}, single-run time CV ${cvDisplay(result.singleRunSeconds)}`);
  return result;
}

export const counterStabilitySection: BenchSection = {
  id: 'counter-stability',
  title: 'Counter stability',
  async run(ctx: BenchContext): Promise<SectionOutcome> {
    const plan = PLAN[ctx.tier];
    const languages: LanguageStability[] = [];
    let speedupPair: BenchPair | undefined;
    for (const example of EXAMPLES.slice(0, plan.languages)) {
      const pair = await loadExamplePair(ctx.root, example.file, example.fn, example.fast, ctx.signal);
      speedupPair ??= pair;
      languages.push(await measureLanguage(pair, example.language, plan.runs, ctx));
    }

    const speedups: number[] = [];
    const singleRunSpeedups: number[] = [];
    const pair = speedupPair as BenchPair;
    for (let i = 0; i < plan.runs; i++) {
      const samples = await pair.runner.measureTime(pair.original, pair.candidate, pair.workload, pair.mutatesArguments, defaultTiming(ctx.signal));
      speedups.push(estimatePairedSpeedup(samples.original, samples.candidate, { noiseThreshold: DEFAULT_SETTINGS.noiseThreshold }).ratio);
      singleRunSpeedups.push((samples.original[0] as number) / (samples.candidate[0] as number));
    }

    const figures: Figure[] = languages.map((l) => ({
      name: `Instruction count CV over ${l.instructions.length} runs, ${l.language} (${l.label})`,
      perfloop: { value: l.instructions.length > 1 ? coefficientOfVariation(l.instructions) : null, display: `${cvDisplay(l.instructions)}${l.counter ? ` (${l.counter})` : ' (no counter)'}` },
      baselines: [{ method: 'wall time, single run', value: l.singleRunSeconds.length > 1 ? coefficientOfVariation(l.singleRunSeconds) : null, display: cvDisplay(l.singleRunSeconds) }],
      target: { display: `≤ ${formatPercent(TARGET_CV, 2)}`, met: l.instructions.length > 1 && coefficientOfVariation(l.instructions) <= TARGET_CV },
    }));
    figures.push({
      name: `Wall-time speedup estimate CV over ${plan.runs} runs (${pair.label})`,
      perfloop: { value: coefficientOfVariation(speedups), display: `${cvDisplay(speedups)} (${Math.min(...speedups).toFixed(1)}–${Math.max(...speedups).toFixed(1)}×)` },
      baselines: [{ method: 'single-run speedup', value: coefficientOfVariation(singleRunSpeedups), display: `${cvDisplay(singleRunSpeedups)} (${Math.min(...singleRunSpeedups).toFixed(1)}–${Math.max(...singleRunSpeedups).toFixed(1)}×)` }],
    });
    const table: DetailTable = {
      title: 'Instruction counts per run',
      columns: ['language', 'counter', 'counts', 'spread (max − min)'],
      rows: languages.map((l) => [
        l.language,
        l.counter ?? 'none',
        l.instructions.map((n) => n.toLocaleString('en-US')).join(', '),
        l.instructions.length ? (Math.max(...l.instructions) - Math.min(...l.instructions)).toLocaleString('en-US') : '–',
      ]),
    };
    return {
      figures,
      tables: [table],
      notes: [
        'Each instruction count is one `countInstructions` call (a fresh sandboxed process under perf or cachegrind, the harness start-up subtracted), exactly as a run counts a candidate.',
        'The speedup estimate is Perfloop’s paired trimmed-mean ratio at the default settings; the single-run speedup is the first sample pair of the same run.',
      ],
      details: { languages, speedups, singleRunSpeedups },
    };
  },
};
