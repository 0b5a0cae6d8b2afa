/**
 * Equivalence and timing with one process per side, as every runner does them: the runner says how to run one side's
 * harness (outcomes mode) and how to start one side's timing worker (serve mode); the verdicts are made here and in the
 * coordinator, never in a process that runs code under test.
 */
import { randomInt } from 'node:crypto';
import { describeEnd, equivalenceFailure, harnessData, type HarnessOutcome, type HarnessVoice } from '../harnessResults.js';
import type { EquivalenceResult, PairedTimingSamples, Program, TimingOptions, WorkloadSource } from '../runner.js';
import { RunnerError } from '../runner.js';
import { candidateLimits, differingReturns, judgeOutcomes, outcomesData, type HeldBack, type OutcomesData } from './outcomes.js';
import { timeWithPairedWorkers, type StartedWorker, type WorkerEndVerdict } from './pairedWorkers.js';
import type { Side } from './timingCoordinator.js';

export interface SideJob {
  side: Side;
  /** Per-input time limits (the candidate's, from the original's times). */
  limits?: number[];
}

export interface SideBySideRunner<Run extends HarnessOutcome> {
  voice: HarnessVoice;
  /** One side's outcomes-mode run. */
  runOutcomes(program: Program, job: SideJob): Promise<Run>;
  /** One side's serve-mode worker. */
  startTimingWorker(side: Side, program: Program, job: TimingWorkerJob): StartedWorker<Run>;
  /**
   * The user's `equal(a, b)` from their inputs module, when it defines one, on pairs of return values (snapshot texts:
   * the original's, the other side's): whether each pair counts as the same. Left out when there is no such hook.
   */
  sameReturns?(pairs: [expected: string, actual: string][]): Promise<boolean[]>;
}

export interface TimingWorkerJob {
  /** Fresh per batch: inputs a candidate could have been tailored to are regenerated where the workload allows it. */
  seed: number;
  mutatesArguments: boolean;
  lazyResults: boolean;
  timeoutMs: number;
}

/** The original's outcomes per workload: computed once per run, compared with every candidate's. */
export class OriginalOutcomes {
  private readonly cache = new WeakMap<Program, WeakMap<WorkloadSource, Promise<OutcomesData>>>();

  get(original: Program, workload: WorkloadSource, compute: () => Promise<OutcomesData>): Promise<OutcomesData> {
    let byWorkload = this.cache.get(original);
    if (!byWorkload) this.cache.set(original, (byWorkload = new WeakMap()));
    let outcomes = byWorkload.get(workload);
    if (!outcomes) {
      outcomes = compute();
      byWorkload.set(workload, outcomes);
      outcomes.catch(() => byWorkload?.delete(workload)); // a failure (e.g. cancellation) is not remembered
    }
    return outcomes;
  }

}

export async function checkEquivalenceSideBySide<Run extends HarnessOutcome>(
  runner: SideBySideRunner<Run>,
  cache: OriginalOutcomes,
  original: Program,
  candidate: Program,
  workload: WorkloadSource,
  opts: { timeoutMs: number; floatTolerance?: number; callTimeoutSeconds: number },
): Promise<EquivalenceResult> {
  const expected = await originalOutcomes(runner, cache, original, workload, opts.timeoutMs, opts.floatTolerance);
  const run = await runner.runOutcomes(candidate, { side: 'candidate', limits: candidateLimits(expected, opts.callTimeoutSeconds) });
  const heldBack = workload.heldBack ? new Set(workload.heldBack) : undefined;
  const failure = equivalenceFailure(run, opts.timeoutMs, runner.voice, heldBack);
  if (failure) return failure;
  // Whatever went wrong in the candidate's own process (even "internal" to the harness there) is the candidate's doing.
  if (run.result && !run.result.ok) {
    const { message, detail } = run.result.error;
    return { status: 'error', reason: `the candidate's check failed in its own process: ${message}`, ...(detail ? { detail } : {}) };
  }
  const actual = outcomesData.safeParse(run.result?.ok ? run.result.data : undefined);
  if (!actual.success) {
    return { status: 'error', reason: `the candidate's process sent a report that is not one (its harness was tampered with): ${actual.error.message.slice(0, 300)}` };
  }
  return judgeSides(runner, expected, actual.data, opts.floatTolerance ?? 1e-7, heldBack);
}

/** judgeOutcomes, with the return values the user's `equal(a, b)` accepts (when they wrote one) not counted as different. */
export async function judgeSides<Run extends HarnessOutcome>(
  runner: SideBySideRunner<Run>,
  expected: OutcomesData,
  actual: OutcomesData,
  tolerance: number,
  heldBack?: HeldBack,
): Promise<EquivalenceResult> {
  const verdict = judgeOutcomes(expected, actual, tolerance, { heldBack });
  if (verdict.status !== 'different' || !runner.sameReturns) return verdict;
  const differing = differingReturns(expected, actual, tolerance);
  if (differing.length === 0) return verdict;
  const same = await runner.sameReturns(differing.map((i) => [expected.outcomes[i]?.value ?? 'null', actual.outcomes[i]?.value ?? 'null']));
  const accepted = new Set(differing.filter((_, k) => same[k] === true));
  return accepted.size > 0 ? judgeOutcomes(expected, actual, tolerance, { accepted, heldBack }) : verdict;
}

/**
 * The original's outcomes, from two runs in two processes with the same seed, compared as a candidate's would be: an
 * original that disagrees with itself (a uuid4, the time, iteration over an unseeded set of objects) would make every
 * candidate look incorrect, so it is refused with the ways out. The second run costs one extra outcomes run per session.
 */
export function originalOutcomes<Run extends HarnessOutcome>(
  runner: SideBySideRunner<Run>,
  cache: OriginalOutcomes,
  original: Program,
  workload: WorkloadSource,
  timeoutMs: number,
  tolerance = 1e-7,
): Promise<OutcomesData> {
  return cache.get(original, workload, async () => {
    const run = async () =>
      harnessData(await runner.runOutcomes(original, { side: 'original' }), outcomesData, 'Running the original on the inputs', timeoutMs, runner.voice);
    const [first, second] = await Promise.all([run(), run()]);
    const verdict = await judgeSides(runner, first, second, tolerance);
    if (verdict.status === 'different') {
      const { kind, input, expected, actual } = verdict.counterexample;
      throw new RunnerError(
        `The original \`${original.functionName}\` does not agree with itself: run twice on the same inputs with the same seed, ` +
          `its ${kind === 'return' ? 'result' : kind === 'mutation' ? 'arguments after the call' : kind === 'stdout' ? 'printed output' : 'behaviour'} ` +
          `differed on ${verdict.mismatches} of ${verdict.inputsChecked} inputs, e.g. on ${input}: first ${expected}, then ${actual}. ` +
          'Every candidate would be compared with a moving target. Ways out: draw random numbers from a generator Perfloop seeds ' +
          "(Python's `random`, JavaScript's Math.random) or from a seed passed as an argument; or define `equal(a, b)` in your " +
          'inputs module, which gets two return values and says whether they count as the same (ignoring an id or a time, ' +
          'comparing floats with a tolerance).',
      );
    }
    // Other failures (a timeout, inputs that differ between processes) are reported with each candidate, as before.
    return first;
  });
}

/** Both sides' timing workers, coordinated; a worker's end explained in the runner's words. */
export async function measureTimeSideBySide<Run extends HarnessOutcome>(
  runner: SideBySideRunner<Run>,
  cache: OriginalOutcomes,
  original: Program,
  candidate: Program,
  workload: WorkloadSource,
  mutatesArguments: boolean,
  opts: TimingOptions & { warmup: 'settle' | 'once'; expectedSeconds: number },
): Promise<PairedTimingSamples> {
  const expected = await originalOutcomes(runner, cache, original, workload, opts.timeoutMs, opts.floatTolerance);
  // A pair started with others may wait for their timing before its own: its workers' limit covers that.
  const timeoutMs = Math.max(opts.timeoutMs, opts.expectedSeconds * 1000) * (opts.turn?.sharedBy ?? 1);
  const job: TimingWorkerJob = {
    seed: randomInt(1, 2 ** 31),
    mutatesArguments,
    lazyResults: expected.lazyResults,
    timeoutMs,
  };
  const programs = { original, candidate };
  const timing = await timeWithPairedWorkers<Run>({
    start: (side) => runner.startTimingWorker(side, programs[side], job),
    explainEnd: (side, run) => explainEnd(runner.voice, side, run, timeoutMs),
    ...(opts.turn ? { turn: opts.turn } : {}),
    coordinator: {
      samples: opts.samples,
      sampleSeconds: opts.sampleSeconds,
      deadline: Date.now() + (timeoutMs / (opts.turn?.sharedBy ?? 1)) * 0.7,
      warmup: opts.warmup,
      tolerance: opts.floatTolerance ?? 1e-7,
      seed: job.seed,
      ...(runner.sameReturns ? { sameReturns: runner.sameReturns } : {}),
    },
  });
  return timing;
}

function explainEnd(voice: HarnessVoice, side: Side, run: HarnessOutcome, timeoutMs: number): WorkerEndVerdict {
  const why = describeEnd(voice, run, timeoutMs);
  if (side === 'original') return { throw: new Error(`Timing failed: the original's timing process ${why}`) };
  return { rejection: `its timing process ${why}` };
}

/** Workloads known to define no `equal(a, b)`: their differences are never sent to it again. */
const withoutEqualHook = new WeakSet<WorkloadSource>();

/**
 * The user's `equal(a, b)` for a runner's sideBySide `sameReturns`: only a user's inputs module may define it (an
 * LLM-written generator's would decide its own candidates' verdicts), and it runs in an `equal` job of its own (the
 * harnesses' equal.py / equal.mjs say why there). `runEqual` runs that job and returns its data.
 */
export function userEqualHook(
  workload: WorkloadSource,
  runEqual: (pairs: [expected: string, actual: string][]) => Promise<{ hook: boolean; same: boolean[] }>,
): ((pairs: [expected: string, actual: string][]) => Promise<boolean[]>) | undefined {
  if (workload.kind !== 'module') return undefined;
  return async (pairs) => {
    if (withoutEqualHook.has(workload)) return pairs.map(() => false);
    const answer = await runEqual(pairs);
    if (!answer.hook) withoutEqualHook.add(workload);
    return pairs.map((_, i) => answer.same[i] === true);
  };
}
