/**
 * Bench section `pie-whole-program`: whole-program mode's speedups on PIE's slow→fast Python program pairs, against the
 * speedups PIE published. Each pair is verified here in the sandbox, then timed one pair at a time (never two things at
 * once) with the engine's measureCommandPair and commandPairSpeedup, as whole-program mode does.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { WHOLE_PROGRAM_RUNS, WHOLE_PROGRAM_WARMUP } from '../../optimizer/projectCommands.js';
import { DEFAULT_SETTINGS } from '../../optimizer/types.js';
import { resolveHostPython } from '../../profilers/sandbox/hostPython.js';
import { median } from '../../profilers/stats/descriptive.js';
import type { BenchContext, BenchSection, BenchTier, SectionOutcome } from '../types.js';
import { measureProgramPair, measureStartupFloor, type MeasureContext, type WholeProgramSettings } from './measurePie.js';
import { heaviestTestIndex, loadPiePairs, selectPairs, type PiePair } from './pieData.js';
import { buildPieOutcome, type PieRunRecord } from './pieOutcome.js';
import type { AaCheck, ExcludedPair, MeasuredPair } from './pieResults.js';
import { verifyPair } from './verifyPrograms.js';

export const PIE_SEED = 20_240_611;

interface TierPlan {
  /** Pair slots (strata of the published lift); MAX_SAFE_INTEGER: every eligible pair. */
  pairs: number;
  runs: number;
  warmup: number;
  /** An A/A measurement after every n-th measured pair (the first included). */
  aaEvery: number;
  /** No new pair is started after this many seconds. */
  budgetSeconds: number;
  maxRecordedSeconds?: number;
}

export const PIE_TIERS: Record<BenchTier, TierPlan> = {
  // Only proves the code runs: two quick pairs, the fewest runs the estimate accepts.
  tiny: { pairs: 2, runs: 5, warmup: 1, aaEvery: 2, budgetSeconds: 40, maxRecordedSeconds: 0.3 },
  // The optimizer's own whole-program settings.
  quick: { pairs: 20, runs: WHOLE_PROGRAM_RUNS, warmup: WHOLE_PROGRAM_WARMUP, aaEvery: 5, budgetSeconds: 480 },
  full: { pairs: Number.MAX_SAFE_INTEGER, runs: WHOLE_PROGRAM_RUNS, warmup: WHOLE_PROGRAM_WARMUP, aaEvery: 8, budgetSeconds: 900 },
};

const TRIES_PER_SLOT = 3;
const VERIFY_TIMEOUT_MS = 20_000;

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n').slice(0, 3).join(' ').slice(0, 300);
}

interface SlotOutcome {
  measured?: MeasuredPair;
  aaSource?: { pair: PiePair; input: string };
}

async function measureSlot(candidates: readonly PiePair[], ctx: BenchContext, measure: MeasureContext, record: PieRunRecord): Promise<SlotOutcome> {
  for (const pair of candidates.slice(0, TRIES_PER_SLOT)) {
    if (ctx.signal?.aborted) throw new Error('Interrupted');
    const verification = await verifyPair(pair, {
      python: measure.python,
      workRoot: path.join(ctx.scratchDir, 'verify'),
      timeoutMs: VERIFY_TIMEOUT_MS,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    if (!verification.passed) {
      record.excluded.push({ id: pair.id, reason: `fails here: ${verification.reason ?? 'unknown'}` });
      ctx.log(`${pair.id}: excluded (${verification.reason ?? 'failed'})`);
      continue;
    }
    const testIndex = heaviestTestIndex(pair);
    const input = (pair.tests[testIndex] as PiePair['tests'][number]).input;
    try {
      const m = await measureProgramPair(pair.slowProgram, pair.fastProgram, input, measure);
      record.tool = m.toolVersion ?? m.tool;
      record.sandbox = m.sandbox;
      record.command = m.command;
      ctx.log(`${pair.id}: ${m.estimate.ratio.toFixed(2)}× [${m.estimate.low.toFixed(2)}–${m.estimate.high.toFixed(2)}] ${m.estimate.verdict}; PIE ${pair.publishedLift.toFixed(2)}×; naive ${m.naive.ratio.toFixed(2)}×`);
      return {
        measured: {
          id: pair.id,
          problemId: pair.problemId,
          publishedLift: pair.publishedLift,
          judgeRatio: pair.judgeRatio,
          pieSlowSeconds: pair.pieSlowSeconds,
          test: testIndex + 1,
          inputBytes: Buffer.byteLength(input),
          slowTimes: m.slowTimes,
          fastTimes: m.fastTimes,
          estimate: m.estimate,
          naive: m.naive,
        },
        aaSource: { pair, input },
      };
    } catch (error) {
      if (ctx.signal?.aborted) throw error;
      record.excluded.push({ id: pair.id, reason: `measurement failed: ${errorText(error)}` });
      ctx.log(`${pair.id}: measurement failed (${errorText(error)})`);
    }
  }
  return {};
}

async function measureAa(source: { pair: PiePair; input: string }, ctx: BenchContext, measure: MeasureContext): Promise<AaCheck | undefined> {
  try {
    const m = await measureProgramPair(source.pair.slowProgram, source.pair.slowProgram, source.input, measure);
    ctx.log(`A/A ${source.pair.id}: ${m.estimate.ratio.toFixed(2)}× ${m.estimate.verdict}; naive ${m.naive.ratio.toFixed(2)}× ${m.naive.verdict}`);
    return { id: source.pair.id, slowTimes: m.slowTimes, fastTimes: m.fastTimes, estimate: m.estimate, naive: m.naive };
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    ctx.log(`A/A ${source.pair.id}: failed (${errorText(error)})`);
    return undefined;
  }
}

export async function runPieWholeProgram(ctx: BenchContext, plan: TierPlan = PIE_TIERS[ctx.tier]): Promise<SectionOutcome> {
  const started = performance.now();
  const python = await resolveHostPython();
  if (!python) throw new Error('python3 is needed to run the PIE programs.');
  const pairs = loadPiePairs(path.join(ctx.dataDir, 'pie_python.dev.jsonl'));
  const selection = selectPairs(pairs, {
    count: plan.pairs,
    seed: PIE_SEED,
    ...(plan.maxRecordedSeconds !== undefined ? { maxRecordedSeconds: plan.maxRecordedSeconds } : {}),
  });
  const settings: WholeProgramSettings = {
    runs: plan.runs,
    warmup: plan.warmup,
    timeoutMs: DEFAULT_SETTINGS.timeoutMs,
    noiseThreshold: DEFAULT_SETTINGS.noiseThreshold,
  };
  const scratch = path.join(ctx.scratchDir, 'pie');
  mkdirSync(scratch, { recursive: true });
  const measure: MeasureContext = { python, scratchDir: scratch, settings, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const record: PieRunRecord = {
    tier: ctx.tier,
    seed: PIE_SEED,
    settings,
    pairsInFile: pairs.length,
    eligible: selection.eligible,
    slots: selection.strata.length,
    slotsLeft: 0,
    budgetSeconds: plan.budgetSeconds,
    measured: [],
    excluded: [],
    aa: [],
  };
  ctx.log(`${selection.strata.length} pair slot(s) of ${selection.eligible} eligible; ${plan.runs} runs per side`);
  // Start-up is measured before and after the pairs: on a busy machine it drifts, and the spread says by how much.
  const floorBefore = await measureStartupFloor(measure);
  ctx.log(`Python start-up (empty program): ${(floorBefore.seconds * 1000).toFixed(1)} ms`);

  for (const [slot, candidates] of selection.strata.entries()) {
    if ((performance.now() - started) / 1000 > plan.budgetSeconds) {
      record.slotsLeft = selection.strata.length - slot;
      ctx.log(`time budget spent: ${record.slotsLeft} slot(s) left unmeasured`);
      break;
    }
    const outcome = await measureSlot(candidates, ctx, measure, record);
    if (!outcome.measured) continue;
    record.measured.push(outcome.measured);
    if (outcome.aaSource && (record.measured.length - 1) % plan.aaEvery === 0) {
      const aa = await measureAa(outcome.aaSource, ctx, measure);
      if (aa) record.aa.push(aa);
    }
  }
  const floorAfter = await measureStartupFloor(measure);
  ctx.log(`Python start-up at the end: ${(floorAfter.seconds * 1000).toFixed(1)} ms`);
  const floorTimes = [...floorBefore.times, ...floorAfter.times];
  record.startupFloor = { seconds: median(floorTimes), before: floorBefore.seconds, after: floorAfter.seconds, times: floorTimes };
  return buildPieOutcome(record);
}

export const pieWholeProgramSection: BenchSection = {
  id: 'pie-whole-program',
  title: 'PIE program pairs: whole-program speedups against the published ones',
  run: (ctx) => runPieWholeProgram(ctx),
};
