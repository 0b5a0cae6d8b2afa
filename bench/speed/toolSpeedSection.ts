/**
 * `tool-speed`: how fast Perfloop itself is. Verdict latency per candidate split by stage for each language's example,
 * a scripted 3 × 4 optimization run against the fake LLM server, verdict latency against workload size, and how much
 * of the machine the engine uses at once.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SETTINGS, type OptimizeSettings } from '../../optimizer/types.js';
import { median } from '../../profilers/stats/descriptive.js';
import type { WorkloadSource } from '../../profilers/runner.js';
import { formatPercent } from '../benchStats.js';
import type { BenchContext, BenchSection, BenchTier, DetailTable, Figure, SectionOutcome } from '../types.js';
import { VERDICT_STAGES } from './callRecorder.js';
import { runScripted, type ScriptedRunResult } from './scriptedRun.js';
import { describeSpread, formatDuration, spreadOf } from './spread.js';
import { LANGUAGE_CASES, measureLanguage, type LanguageLatency } from './verdictLatency.js';
import { exampleSize, measureScaling, type ScalingPoint } from './workloadScaling.js';

interface ToolSpeedPlan {
  /** Verdicts per language (languages not listed are skipped). */
  repetitions: Record<string, number>;
  settings: Partial<OptimizeSettings>;
  /** Tiny: small JSON inputs instead of the example's module (no growth curve in the baseline). */
  pythonWorkload?: WorkloadSource;
  scripted: { rounds: number; candidatesPerRound: number };
  /**
   * The scripted run's repetitions, in order: at the default parallelism, and one candidate after another (the
   * baseline). Alternated so that warm caches do not favour one side.
   */
  scriptedOrder: readonly ScriptedMode[];
  sizes: number[];
}

type ScriptedMode = 'side by side' | 'one after another';
const SCRIPTED_SETTINGS: Record<ScriptedMode, Partial<OptimizeSettings>> = {
  'side by side': {},
  'one after another': { parallelCandidates: 1 },
};

const TINY_INPUTS: WorkloadSource = {
  kind: 'json',
  origin: 'user',
  correctness: [[[]], [['a@x.org', 'A@X.org ']], [['b@x', 'a@x', 'b@x', 'a@x', 'b@x']]],
  performance: [[Array.from({ length: 200 }, (_, i) => `user${(i * 7919) % 150}@example.com`)]],
};

const PLANS: Record<BenchTier, ToolSpeedPlan> = {
  tiny: {
    repetitions: { Python: 1 },
    settings: { timingSamples: 5, sampleSeconds: 0.005, counters: 'time', timeoutMs: 30_000 },
    pythonWorkload: TINY_INPUTS,
    scripted: { rounds: 1, candidatesPerRound: 2 },
    scriptedOrder: ['side by side', 'one after another'],
    sizes: [100, 200],
  },
  // Default settings from here on: the latency a user sees.
  quick: {
    repetitions: { Python: 1, JavaScript: 1, 'C++': 1 },
    settings: {},
    scripted: { rounds: 3, candidatesPerRound: 4 },
    scriptedOrder: ['side by side', 'one after another'],
    sizes: [500, 2000, 8000],
  },
  full: {
    repetitions: { Python: 5, JavaScript: 3, 'C++': 3 },
    settings: {},
    scripted: { rounds: 3, candidatesPerRound: 4 },
    scriptedOrder: ['side by side', 'one after another', 'one after another', 'side by side'],
    sizes: [500, 2000, 8000],
  },
};

const seconds = (value: number | undefined): string => formatDuration(value);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const share = (part: number, whole: number): string => (whole > 0 ? formatPercent(part / whole, 0) : '–');

function medianStage(latency: LanguageLatency, stage: string): number {
  return median(latency.verdicts.map((v) => v.stages[stage] ?? 0));
}

/** "instructions 63%, timing 29%": the stages that take most of a median verdict. */
function dominantStages(latency: LanguageLatency): string {
  const total = median(latency.verdicts.map((v) => v.seconds));
  return VERDICT_STAGES.map((stage) => ({ stage, s: medianStage(latency, stage) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, 2)
    .map(({ stage, s }) => `${stage} ${share(s, total)}`)
    .join(', ');
}

function languageFigure(c: (typeof LANGUAGE_CASES)[number], latency: LanguageLatency | undefined, error: string | undefined): Figure {
  const name = `Verdict latency per candidate, ${c.label} (${path.basename(c.candidate)} against ${path.basename(c.file)})`;
  if (!latency) return { name, perfloop: { value: null, display: error ? `failed: ${error.split('\n')[0]}` : 'not run at this tier' } };
  const spread = spreadOf(latency.verdicts.map((v) => v.seconds));
  return {
    name,
    perfloop: { value: spread.median, display: `${formatDuration(spread.median)} (${dominantStages(latency)})` },
    baselines: [{ method: 'preparing the original (once per run)', value: median(latency.prepareSeconds), display: seconds(median(latency.prepareSeconds)) }],
    noise: describeSpread(spread),
  };
}

function stageTable(latencies: LanguageLatency[]): DetailTable {
  return {
    title: 'Verdict latency by stage (median over the verdicts; stages as measureCandidate calls the runner)',
    columns: ['case', 'verdicts', 'verdict', ...VERDICT_STAGES, 'preparation (per run)', '`compare` end to end', 'counter'],
    rows: latencies.map((l) => [
      l.label,
      String(l.verdicts.length),
      seconds(median(l.verdicts.map((v) => v.seconds))),
      ...VERDICT_STAGES.map((stage) => seconds(medianStage(l, stage))),
      seconds(median(l.prepareSeconds)),
      seconds(l.compareSeconds),
      l.instructionCounter,
    ]),
  };
}

/** The scripted runs of one mode. */
interface ScriptedRuns {
  mode: ScriptedMode;
  runs: ScriptedRunResult[];
}

const withoutLlm = (run: ScriptedRunResult): number => run.totalSeconds - run.llmSeconds;

/** Candidates whose verdict differs between two runs of the same script. */
function verdictChanges(a: ScriptedRunResult, b: ScriptedRunResult): string[] {
  return Object.keys(a.verdictById)
    .filter((id) => b.verdictById[id] !== undefined && b.verdictById[id] !== a.verdictById[id])
    .map((id) => `${id} ${a.verdictById[id]} → ${b.verdictById[id]}`);
}

function scriptedFigures(parallel: ScriptedRuns, serial: ScriptedRuns, plan: ToolSpeedPlan): Figure[] {
  const shape = `${plural(plan.scripted.rounds, 'round')} × ${plural(plan.scripted.candidatesPerRound, 'candidate')}`;
  const run = parallel.runs[0] as ScriptedRunResult;
  const spread = spreadOf(parallel.runs.flatMap((r) => r.verdictSeconds));
  const parallelSeconds = median(parallel.runs.map(withoutLlm));
  const serialSeconds = median(serial.runs.map(withoutLlm));
  const runsNote = (runs: ScriptedRuns) => (runs.runs.length > 1 ? `median of ${runs.runs.length} runs` : '1 run');
  const timingCalls = parallel.runs.reduce((n, r) => n + r.parallelism.timingCalls, 0);
  const timingOverlaps = parallel.runs.reduce((n, r) => n + r.parallelism.timingOverlaps, 0);
  const changes = parallel.runs.flatMap((p) => serial.runs.flatMap((s) => verdictChanges(s, p)));
  const compared = parallel.runs.length * serial.runs.length * Object.keys(run.verdictById).length;
  return [
    {
      name: `Scripted optimization run, ${shape} (Python, fake LLM), excluding LLM latency`,
      perfloop: {
        value: parallelSeconds,
        display: `${seconds(parallelSeconds)} (${run.parallelism.parallelCandidates} candidates side by side; ${(serialSeconds / parallelSeconds).toFixed(2)}× faster)`,
      },
      baselines: [
        { method: 'one candidate after another (parallelCandidates 1)', value: serialSeconds, display: `${seconds(serialSeconds)} (${runsNote(serial)})` },
        { method: 'whole run including the LLM requests', value: run.totalSeconds, display: seconds(run.totalSeconds) },
        { method: `LLM requests (${run.llmRequests}, fake server answers at once)`, value: run.llmSeconds, display: seconds(run.llmSeconds) },
      ],
      noise: `${runsNote(parallel)}; ${plural(run.rounds, 'round')}, ${plural(run.candidates, 'candidate')}: ${Object.entries(run.verdicts).map(([v, n]) => `${n} ${v}`).join(', ')}`,
    },
    {
      name: `Verdict latency across that run's ${plural(run.verdictSeconds.length, 'candidate')} (mixed verdicts; side by side, waits for the gate included)`,
      perfloop: { value: spread.median, display: seconds(spread.median) },
      baselines: [{ method: 'one after another', value: median(serial.runs.flatMap((r) => r.verdictSeconds)), display: seconds(median(serial.runs.flatMap((r) => r.verdictSeconds))) }],
      noise: describeSpread(spread),
    },
    {
      name: 'Candidates measured at once by the engine',
      perfloop: {
        value: run.parallelism.candidatesAtOnce,
        display: run.parallelism.candidatesAtOnce === 1 ? '1 (one after another)' : `${run.parallelism.candidatesAtOnce} (setting: ${run.parallelism.parallelCandidates})`,
      },
      baselines: [
        { method: 'CPU cores here', value: os.availableParallelism(), display: String(os.availableParallelism()) },
        {
          method: 'sandboxed processes at once (max / mean over the run)',
          value: run.parallelism.processesAtOnce,
          display: `${run.parallelism.processesAtOnce} / ${run.parallelism.meanProcessesRunning.toFixed(2)}`,
        },
        {
          method: 'one after another: sandboxed processes at once (max / mean)',
          value: (serial.runs[0] as ScriptedRunResult).parallelism.processesAtOnce,
          display: `${(serial.runs[0] as ScriptedRunResult).parallelism.processesAtOnce} / ${(serial.runs[0] as ScriptedRunResult).parallelism.meanProcessesRunning.toFixed(2)}`,
        },
      ],
      noise: `runner calls at once: max ${run.parallelism.runnerCallsAtOnce}`,
    },
    {
      name: 'Candidate timing runs that overlapped any other runner call (side by side)',
      perfloop: { value: timingOverlaps, display: `${timingOverlaps} of ${timingCalls}` },
      target: { display: '0 (wall-time sampling runs alone)', met: timingOverlaps === 0 },
      noise: 'from the recorded start and end of every runner call',
    },
    {
      name: 'Verdicts that differ between the side-by-side and the one-after-another runs',
      perfloop: { value: changes.length, display: `${changes.length} of ${compared}${changes.length ? ` (${changes.slice(0, 4).join('; ')})` : ''}` },
      noise: 'same script, same candidates; a timing verdict near the 5% threshold may flip from noise alone',
    },
  ];
}

function scriptedTables(run: ScriptedRunResult, serial: ScriptedRunResult): DetailTable[] {
  const verdictTotal = Object.values(run.stages).reduce((a, b) => a + b, 0);
  return [
    {
      title: "Where the scripted run's time goes (verdicts: wall time while any verdict was open)",
      columns: ['part', 'side by side', 'share of the run', 'one after another', 'share of the run'],
      rows: Object.entries(run.parts).map(([part, s]) => [
        part,
        seconds(s),
        share(s, run.totalSeconds),
        seconds(serial.parts[part]),
        share(serial.parts[part] ?? 0, serial.totalSeconds),
      ]),
    },
    {
      title: 'Verdict stages summed over the scripted run (side by side), and the sandboxed processes behind them',
      columns: ['stage or process', 'seconds', 'share'],
      rows: [
        ...Object.entries(run.stages).map(([stage, s]) => [`stage: ${stage}`, seconds(s), `${share(s, verdictTotal)} of verdict time`]),
        ...Object.entries(run.processSeconds).map(([tool, s]) => [`process: ${tool}`, seconds(s), `${share(s, run.totalSeconds)} of wall time`]),
      ],
    },
  ];
}

function scalingFigure(points: ScalingPoint[]): Figure | undefined {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last || first === last) return undefined;
  const a = median(first.latency.verdicts.map((v) => v.seconds));
  const b = median(last.latency.verdicts.map((v) => v.seconds));
  const oa = first.latency.originalSecondsPerCall;
  const ob = last.latency.originalSecondsPerCall;
  return {
    name: `Verdict latency growth with workload size (Python, n = ${first.n} → ${last.n})`,
    perfloop: { value: b / a, display: `${(b / a).toFixed(1)}× (${seconds(a)} → ${seconds(b)})` },
    ...(oa && ob ? { baselines: [{ method: "original's time per call", value: ob / oa, display: `${(ob / oa).toFixed(0)}× (${seconds(oa)} → ${seconds(ob)})` }] } : {}),
    noise: '1 verdict per size',
  };
}

function scalingTable(points: ScalingPoint[]): DetailTable {
  return {
    title: 'Verdict latency against workload size (Python duplicates, timed input of n addresses)',
    columns: ['n', "original's time per call", 'preparation', 'verdict', 'equivalence', 'timing', 'memory', 'instructions'],
    rows: points.map(({ n, latency, reused }) => [
      reused ? `${n} (the Python case above)` : String(n),
      seconds(latency.originalSecondsPerCall),
      seconds(median(latency.prepareSeconds)),
      seconds(median(latency.verdicts.map((v) => v.seconds))),
      ...['equivalence', 'timing', 'memory', 'instructions'].map((stage) => seconds(medianStage(latency, stage))),
    ]),
  };
}

function findings(latencies: LanguageLatency[], run: ScriptedRunResult | undefined, points: ScalingPoint[], samples: number): string[] {
  const notes: string[] = [];
  for (const l of latencies) {
    const total = median(l.verdicts.map((v) => v.seconds));
    const processes = Object.entries(l.processSeconds).sort((a, b) => b[1] - a[1]).map(([tool, s]) => `${tool} ${seconds(s)}`).join(', ');
    notes.push(`${l.label}: a verdict takes ${seconds(total)}, most of it ${dominantStages(l)}; sandboxed processes over the whole case: ${processes}.`);
  }
  const counter = latencies.find((l) => l.instructionCounterDetail);
  if (counter) notes.push(`Instruction counter: ${counter.instructionCounter} (${counter.instructionCounterDetail}).`);
  if (run) {
    const verdictTime = Object.values(run.stages).reduce((a, b) => a + b, 0);
    const [topStage, topSeconds] = Object.entries(run.stages).sort((a, b) => b[1] - a[1])[0] ?? ['none', 0];
    notes.push(
      `Scripted run: verdicts take ${share(run.parts.verdicts ?? 0, run.totalSeconds)} of the run and preparing the original ${share(run.parts.preparation ?? 0, run.totalSeconds)}; ` +
        `the largest verdict stage is ${topStage} (${share(topSeconds, verdictTime)} of verdict time). Candidates that fail the equivalence check cost well under a second; ` +
        `every equivalent one pays for ${samples} interleaved timing pairs (each at least one call of the original, so a slow original makes every verdict slow) and an instruction count.`,
    );
  }
  const last = points[points.length - 1];
  if (last && points.length > 1) {
    notes.push(
      `At n = ${last.n} the original takes ${seconds(last.latency.originalSecondsPerCall)} per call: timing needs ≥ samples × that, and the baseline's instruction count runs the original under ${last.latency.instructionCounter} (${seconds(last.latency.prepareStages.instructions)} of preparation).`,
    );
    const counts = points.map((p) => medianStage(p.latency, 'instructions'));
    if (Math.max(...counts) < 2 * Math.min(...counts)) {
      notes.push(
        `The candidate's instruction count costs about the same at every size (${counts.map((c) => seconds(c)).join(', ')} for n = ${points.map((p) => p.n).join(', ')}): ` +
          `it is the fixed cost of starting the interpreter under ${last.latency.instructionCounter} (the start-up run and the one-call run, side by side), not the candidate's own work.`,
      );
    }
  }
  return notes;
}

const METHOD_NOTES = [
  'Stages are timed by wrapping the language runner from profilers/registry.ts (runnerForFile) in a proxy that times each call; the run events (candidate-start → candidate) delimit each verdict. The engine is unchanged.',
  'The first verdict per language is `compareCandidate` (what `perfloop compare` runs); further verdicts measure the same candidate against a freshly prepared run, its code changed by a comment so that no compile cache keyed on the source helps.',
  'The scripted run uses the real `openai` client against test/support/fakeLlmServer.ts, which answers at once; the provider calls are timed and subtracted. Rounds 1–2 carry only slower, no-difference and failing candidates (so the engine goes on to repair), round 3 the faster one.',
  'Parallelism: optimizer/optimize.ts measures up to `parallelCandidates` candidates of a round at once (default one per core, at most 4), and optimizer/measurementGate.ts orders their work — builds, equivalence checks, memory and instruction counts share the machine, while each timing run waits until they have finished and holds new ones back. Inside runners, countInstructions runs the start-up count and the one-call count side by side (two valgrind processes), and the C/C++ runner compiles the objects of a harness side by side and prebuilds the sanitizer build in the background during the baseline’s instruction counts; its wall-time measurements wait until those compiles are done (`quiet()`). The verdict latencies per language above are single candidates, so they gain nothing from it.',
];

export const toolSpeedSection: BenchSection = {
  id: 'tool-speed',
  title: 'Speed of the tool itself',
  async run(ctx: BenchContext): Promise<SectionOutcome> {
    const plan = PLANS[ctx.tier];
    const signal = ctx.signal ? { signal: ctx.signal } : {};
    const latencies: LanguageLatency[] = [];
    const figures: Figure[] = [];
    const notes: string[] = [];
    for (const c of LANGUAGE_CASES) {
      const repetitions = plan.repetitions[c.label];
      if (!repetitions) continue;
      ctx.log(`verdict latency: ${c.label}, ${repetitions} verdict(s)`);
      const workload = c.label === 'Python' && plan.pythonWorkload ? { workload: plan.pythonWorkload } : {};
      try {
        const latency = await measureLanguage({ ...c, ...workload }, { root: ctx.root, repetitions, settings: plan.settings, ...signal });
        latencies.push(latency);
        figures.push(languageFigure(c, latency, undefined));
      } catch (error) {
        if (ctx.signal?.aborted) throw error;
        const message = (error as Error).message;
        notes.push(`${c.label} could not be measured: ${message}`);
        figures.push(languageFigure(c, undefined, message));
      }
    }

    const scripted: Record<ScriptedMode, ScriptedRuns> = {
      'side by side': { mode: 'side by side', runs: [] },
      'one after another': { mode: 'one after another', runs: [] },
    };
    for (const mode of plan.scriptedOrder) {
      ctx.log(`scripted run: ${plan.scripted.rounds} × ${plan.scripted.candidatesPerRound}, ${mode}`);
      const result = await runScripted({
        root: ctx.root,
        ...plan.scripted,
        settings: { ...plan.settings, ...SCRIPTED_SETTINGS[mode] },
        ...(plan.pythonWorkload ? { workload: plan.pythonWorkload } : {}),
        ...signal,
      });
      ctx.log(`  ${seconds(withoutLlm(result))} without the LLM; timing overlaps ${result.parallelism.timingOverlaps}`);
      scripted[mode].runs.push(result);
    }
    const parallel = scripted['side by side'];
    const serial = scripted['one after another'];
    const run = parallel.runs[0] as ScriptedRunResult;
    figures.push(...scriptedFigures(parallel, serial, plan));

    // The Python case ran the example's own inputs module: that is the point at its size, no need to measure it twice.
    const python = latencies.find((l) => l.label === 'Python');
    const size = exampleSize(readFileSync(`${ctx.root}examples/python/duplicates.perfloop.py`, 'utf8'));
    const known = new Map(python && size && !plan.pythonWorkload ? [[size, python]] : []);
    const points = await measureScaling({ root: ctx.root, scratchDir: ctx.scratchDir, sizes: plan.sizes, settings: plan.settings, log: ctx.log, known, ...signal });
    const growth = scalingFigure(points);
    if (growth) figures.push(growth);

    return {
      figures,
      tables: [stageTable(latencies), ...scriptedTables(run, serial.runs[0] as ScriptedRunResult), scalingTable(points)],
      notes: [...findings(latencies, run, points, plan.settings.timingSamples ?? DEFAULT_SETTINGS.timingSamples), ...notes, ...METHOD_NOTES],
      details: { tier: ctx.tier, settings: plan.settings, latencies, scripted: { sideBySide: parallel.runs, oneAfterAnother: serial.runs }, scaling: points },
    };
  },
};
