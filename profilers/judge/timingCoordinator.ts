/**
 * Interleaved timing with each side in its own worker process, driven in turn from here. Neither side can patch the
 * other's clock, helpers or harness, and the side not being timed is frozen (SIGSTOP) so nothing it left running competes
 * with the other. What a worker says is checked, not believed:
 *  - time: a sample's time is the round trip measured here, from the request that starts the timed loop to its reply;
 *    nothing in a worker's process can shorten it but doing less work. The worker also reports what its own clock saw,
 *    which must fit inside the round trip and must not be far below the CPU time the kernel charged to its main thread
 *    meanwhile; a candidate whose reports break those bounds on most samples, where the original's do not, patched its
 *    clock and is rejected. Believing the report within the bounds was not enough: under load a process gets a share of
 *    its CPU, and a clock slowed to that share stays above the CPU time (a 1/3-speed clock made an unchanged JavaScript
 *    function 1.6× faster on a loaded CI machine). Both sides pay the same round-trip overhead (samples are calibrated
 *    to the same length), which only pulls a ratio towards 1;
 *  - results: after a random share of the samples (never announced in advance) both sides send digests of the results of
 *    the pass they just timed; a difference is looked at value by value (floats within the tolerance), and a candidate
 *    whose timed results differ from the original's is rejected — it behaves differently when called repeatedly or from
 *    a timing loop (a call counter, a call-stack check, a result that does its work only when read);
 *  - caching: after the samples, two passes per side over performance inputs never used before ("fresh"). A candidate
 *    whose second pass is far cheaper than its first, where the original's is not, keeps results between calls (a memo,
 *    wherever it lives) and is rejected: repeated timing would measure its cache. A worker can make fresh inputs when
 *    the workload has a sized input generator and a settled size n (the timed input's, or with fixed performance inputs
 *    one calibrated to their cost): fresh inputs are
 *    the generator's output at n' = n - 1 - (seed mod max(1, ⌊n/50⌋)) (n + 1 when n < 2), seed the job's. A size never
 *    timed, so even a generator that ignores the seed (whose output depends on n alone) gives inputs the candidate has
 *    not seen; within ~2% of n, so a fresh pass costs about what a timed one does; the same n' on both sides (one job
 *    seed), whose fresh results are compared too. Below n, not above: an honest function's first call on a size larger
 *    than any before may need new memory, and under load its page faults made a 0.3 ms pass of a C merge sort cost
 *    1.2–1.5 ms the first time (33 faults, ~35 µs each), which looked like a cache; below n, the memory the timed
 *    passes used is there; with fixed performance inputs, one call at a neighbouring size before the greeting faults in
 *    memory of that scale (serve.py `_warm_up`, perfloop_harness.hpp `warmAtFreshScale`). Each worker implements the
 *    rule in one function (`fresh_size` in workload.py, `freshSize` in workload.mjs and perfloop_harness.hpp). Without fresh
 *    inputs (no sized input generator), the first pass in a new process is compared with settled ones instead, a probe
 *    that a busy machine blurs.
 *  - input-specific speedups: a candidate much faster on the timed inputs than on fresh ones of about the same cost
 *    recognises the inputs it is timed on, and is rejected;
 *  - work moved out of the timed loop: reading the results (the digest request) must cost the candidate about what it
 *    costs the original; a candidate that computes its results only when they are read is rejected.
 * Both workers run on the same single CPU (cpuPin.ts), so the scheduler cannot give one side a quieter CPU than the other.
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { PairedTimingSamples } from '../runner.js';
import { seededRandom } from '../stats/seededRandom.js';
import { affinityChanged, allowedCpus, pinTree } from './cpuPin.js';
import { settledCpuSeconds, freezeTree, thawTree } from './freeze.js';
import { compareSnapshots, parseSnapshot, type SnapDifference } from './snapshot.js';
import type { WorkerChannel } from './workerChannel.js';

export type Side = 'original' | 'candidate';
const SIDES: readonly Side[] = ['original', 'candidate'];

export const workerReady = z.object({
  ready: z.literal(true),
  /** Performance inputs the worker times per pass. */
  inputs: z.number().int().positive(),
  /** Most passes one sample may ask for (bounded by the copies a mutating function needs). */
  maxLoops: z.number().int().positive(),
  /** The worker's clock, for the report. */
  clock: z.string(),
  /** A digest of the inputs the worker made: both sides must have made the same. */
  inputsDigest: z.string(),
  /** The worker can run a pass over performance inputs it has never used ("fresh"). */
  fresh: z.boolean().default(false),
});
export type WorkerReady = z.infer<typeof workerReady>;

function cacheReason(first: number, next: number, ratio: number, originalRatio: number, when: string): string {
  return (
    `its next pass over the inputs cost ${(next * 1e3).toFixed(3)} ms of CPU against ${(first * 1e3).toFixed(3)} ms for the first ` +
    `${when} (${ratio.toFixed(1)}×; the original's: ${originalRatio.toFixed(1)}×): it keeps results between calls, so ` +
    'repeated timing would measure its cache, not its work'
  );
}

const preparedReply = z.object({ prepared: z.literal(true) });
const runReply = z.object({ ns: z.number().nonnegative() });
const digestReply = z.object({ digests: z.array(z.string()) });
const snapReply = z.object({ value: z.string(), args: z.string() });

export interface TimingWorker {
  side: Side;
  channel: WorkerChannel;
  /** The sandbox wrapper's pid: the worker is somewhere below it. */
  pid: number;
  ready: WorkerReady;
}

export interface CoordinatorOptions {
  samples: number;
  /** Target duration of one sample, seconds. */
  sampleSeconds: number;
  /** Sampling stops once this time (ms, Date.now()) has passed and MIN_SAMPLES pairs are in. */
  deadline: number;
  /** `settle`: warm up until the last samples of both sides agree (JIT-compiled languages); `once`: one warm-up pair. */
  warmup: 'settle' | 'once';
  tolerance: number;
  /** Seeds the order of each pair, so a run can be repeated. */
  seed: number;
  /** The share of samples after which results are checked (besides the first and last). */
  digestShare?: number;
  /** The user's `equal(a, b)`, when they wrote one: return values it calls the same are not a difference (sideBySide.ts). */
  sameReturns?: (pairs: [expected: string, actual: string][]) => Promise<boolean[]>;
}

export interface TimingIntegrity {
  /** Samples after which both sides' results were compared. */
  resultChecks: number;
  /** CPU seconds of the first pass over the inputs in a fresh process, and of a pass once timing has settled (median). */
  firstPass: Record<Side, number>;
  steadyPass: Record<Side, number>;
  /** CPU seconds of two passes over inputs never used before, after the samples: [first, second] per side. */
  freshPasses?: Record<Side, [number, number]>;
  /** Samples whose worker-reported time broke its bounds (above the round trip, or below the CPU time charged). */
  clockCorrections: Record<Side, number>;
  /** Median seconds to read a pass's results (digest request; CPU seconds where the kernel reports them), per side. */
  resultReadSeconds: Record<Side, number>;
}

export interface CoordinatedTiming extends PairedTimingSamples {
  integrity: TimingIntegrity;
  /** Why the candidate's timing cannot be believed; the candidate is then rejected with this reason. */
  rejection?: string;
}

export class TimingRejection extends Error {}

const MIN_SAMPLES = 5;
const WARMUP_WINDOW = 5;
const WARMUP_SPREAD = 0.05;
/**
 * A worker's report must be at least this share of the CPU time the kernel charged its main thread, less this slack.
 * Honest reports fall short of that CPU time by what the main thread does outside the timed loop (reading the request,
 * writing the reply, a runtime's collection tasks): 0.3–0.6 ms here, up to 1 ms under load, and more on a slower machine,
 * where a bound of 0.5 ms + 2% called an honest 3 ms JavaScript sample a patched clock on 7 of 13 samples. A clock slowed
 * less than this escapes the flag but gains nothing: the time used is the round trip measured here.
 */
const CLOCK_FLOOR_SHARE = 0.75;
const CLOCK_FLOOR_SLACK_SECONDS = 0.001;
/**
 * Cache detection: the candidate's first pass over inputs costs this many times its next one, where the original's does
 * not, and the saving is at least this share of the first pass and these many seconds (CPU time, so a busy machine does
 * not make one up). With fixed inputs the floor is higher: a first pass there is also a cold one.
 */
const CACHE_FACTOR = 2;
const CACHE_SHARE = 0.5;
const CACHE_MIN_SECONDS = 0.001;
const FIXED_CACHE_MIN_SECONDS = 0.002;
/**
 * Input-specific speedups: the timed speedup may exceed the one on fresh inputs by this factor, judged only when the
 * original's fresh pass takes at least this much CPU time (one pass of less is too noisy to compare).
 */
const SPECIFIC_FACTOR = 10;
const SPECIFIC_MIN_SECONDS = 0.0005;
/**
 * Reading results: the candidate may take this many times the original's CPU time plus the floor. Serialising equal results
 * can honestly cost twice as much on one side (other object shapes, a bigger heap): 2× rejected an honest TypeScript
 * rewrite on a loaded CI machine (21.5 ms against 10.4 ms); work deferred to the read costs a whole pass more.
 */
const READ_FACTOR = 4;
const READ_FLOOR_SECONDS = 0.0005;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor(sorted.length / 2)] as number);
}

function spread(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = median(sorted);
  return mid > 0 ? ((sorted.at(-1) ?? 0) - (sorted[0] ?? 0)) / mid : Infinity;
}

function parseReply<T extends z.ZodType>(schema: T, reply: unknown, side: Side, what: string): z.infer<T> {
  const parsed = schema.safeParse(reply);
  if (parsed.success) return parsed.data;
  const error = (reply as { error?: { message?: unknown } } | null)?.error;
  const said = typeof error?.message === 'string' ? `: ${error.message}` : '';
  throw new TimingRejection(`the ${side}'s timing worker answered ${what} with something else${said}`);
}

class Coordinator {
  private readonly corrections: Record<Side, number> = { original: 0, candidate: 0 };
  private readonly sampleCalls: Record<Side, number> = { original: 0, candidate: 0 };
  private readonly lastCpu: Record<Side, number> = { original: 0, candidate: 0 };
  private readonly readSeconds: Record<Side, number[]> = { original: [], candidate: [] };
  private readonly checkedPairs = new Set<string>();
  private resultChecks = 0;
  private readonly inputs: number;
  /** The CPU both workers are pinned to, when pinning worked. */
  private cpu: number | undefined;

  constructor(private readonly workers: Record<Side, TimingWorker>, private readonly opts: CoordinatorOptions) {
    this.inputs = workers.original.ready.inputs;
    if (workers.candidate.ready.inputsDigest !== workers.original.ready.inputsDigest) {
      throw new Error(
        "Timing failed: the workload made different inputs in the original's process and in the candidate's; it must be " +
          'deterministic (seed what it draws at random).',
      );
    }
    if (workers.candidate.ready.inputs !== this.inputs) {
      throw new TimingRejection(`the candidate's timing worker has ${workers.candidate.ready.inputs} inputs, the original's ${this.inputs}`);
    }
  }

  /** Runs `body` with only `side` running. */
  private async alone<T>(side: Side, body: () => Promise<T>): Promise<T> {
    const { pid } = this.workers[side];
    thawTree(pid);
    try {
      return await body();
    } finally {
      freezeTree(pid);
    }
  }

  /**
   * Seconds of one sample of `loops` passes: the round trip of "go" measured here. The worker prepares first (copies of
   * mutated inputs, a collection), then runs on "go". Its own report must fit inside the round trip and must not be below
   * the CPU time the kernel charged to its main thread meanwhile; a report outside those bounds is counted (clockTampering).
   */
  private sample(side: Side, loops: number, fresh = false): Promise<number> {
    return this.alone(side, async () => {
      const { channel, pid } = this.workers[side];
      parseReply(preparedReply, await channel.request({ op: 'run', loops, ...(fresh ? { fresh: true } : {}) }), side, 'a timing request');
      const cpuBefore = await settledCpuSeconds(pid);
      const start = process.hrtime.bigint();
      const reply = await channel.request({ op: 'go' });
      const measured = Number(process.hrtime.bigint() - start) / 1e9;
      const cpuAfter = await settledCpuSeconds(pid);
      const reported = parseReply(runReply, reply, side, 'a timing request').ns / 1e9;
      if (this.cpu !== undefined && affinityChanged(pid, this.cpu)) {
        throw new TimingRejection(`its timing process moved itself off the CPU both sides are timed on (CPU ${this.cpu}): it changed its CPU affinity`);
      }
      this.sampleCalls[side]++;
      const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : 0;
      // The cache probe reads CPU time: unlike wall time, a busy machine does not inflate it.
      this.lastCpu[side] = cpuBefore !== undefined && cpuAfter !== undefined ? cpu : reported;
      if (reported > measured + 50e-6 || reported < CLOCK_FLOOR_SHARE * cpu - CLOCK_FLOOR_SLACK_SECONDS) this.corrections[side]++;
      return measured;
    });
  }

  private async digests(side: Side, fresh: boolean): Promise<string[]> {
    return this.alone(side, async () => {
      const { channel, pid } = this.workers[side];
      // CPU time of the worker's main thread where the kernel tells it: a busy machine delays a reply, it does not make
      // the reading cost more work.
      const cpuBefore = await settledCpuSeconds(pid);
      const start = process.hrtime.bigint();
      const reply = parseReply(digestReply, await channel.request({ op: 'digest', ...(fresh ? { fresh } : {}) }), side, 'a result request');
      const wall = Number(process.hrtime.bigint() - start) / 1e9;
      const cpuAfter = await settledCpuSeconds(pid);
      if (!fresh) this.readSeconds[side].push(cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : wall);
      return reply.digests;
    });
  }

  private snap(side: Side, index: number, fresh: boolean): Promise<z.infer<typeof snapReply>> {
    return this.alone(side, async () =>
      parseReply(snapReply, await this.workers[side].channel.request({ op: 'snap', index, ...(fresh ? { fresh } : {}) }), side, 'a value request'),
    );
  }

  /** Both sides' results of the pass each just timed (or of the fresh pass), compared; a difference rejects the candidate. */
  private async checkResults(fresh = false): Promise<void> {
    this.resultChecks++;
    const expected = await this.digests('original', fresh);
    const actual = await this.digests('candidate', fresh);
    if (actual.length !== expected.length) throw new TimingRejection(`its timing worker sent ${actual.length} result digests for ${expected.length} inputs`);
    // Return values that differ as snapshots: the user's equal(a, b) is asked about all of them at once (one process).
    const askHook: { index: number; pair: string; value: [string, string]; difference: SnapDifference }[] = [];
    for (let i = 0; i < expected.length; i++) {
      const pair = `${expected[i]}:${actual[i]}`;
      if (expected[i] === actual[i] || this.checkedPairs.has(pair)) continue;
      const [o, c] = [await this.snap('original', i, fresh), await this.snap('candidate', i, fresh)];
      const argsDifference = compareSnapshots(parseSnapshot(o.args, 'the original'), parseSnapshot(c.args, 'the candidate'), this.opts.tolerance, 'arguments');
      const valueDifference = compareSnapshots(parseSnapshot(o.value, 'the original'), parseSnapshot(c.value, 'the candidate'), this.opts.tolerance);
      if (valueDifference && !argsDifference && this.opts.sameReturns) {
        askHook.push({ index: i, pair, value: [o.value, c.value], difference: valueDifference });
        continue;
      }
      const difference = valueDifference ?? argsDifference;
      if (difference) throw this.differentWhenTimed(i, fresh, difference);
      this.checkedPairs.add(pair); // equal within the float tolerance: no need to look again
    }
    if (askHook.length === 0 || !this.opts.sameReturns) return;
    const same = await this.opts.sameReturns(askHook.map((d) => d.value));
    for (const [k, d] of askHook.entries()) {
      if (same[k] !== true) throw this.differentWhenTimed(d.index, fresh, d.difference);
      this.checkedPairs.add(d.pair);
    }
  }

  private differentWhenTimed(index: number, fresh: boolean, difference: SnapDifference): TimingRejection {
    return new TimingRejection(
      `when timed, its result on ${fresh ? 'a fresh performance input' : `performance input ${index}`} differs from the original's (${difference.path}: ${difference.expected} vs ` +
        `${difference.actual}): it behaves differently when called repeatedly or from a timing loop, so its time cannot be compared`,
    );
  }

  private maybeCheckResults(force: boolean): Promise<void> {
    const share = this.opts.digestShare ?? 0.25;
    return force || randomInt(1_000_000) < share * 1_000_000 ? this.checkResults() : Promise.resolve();
  }

  async run(): Promise<CoordinatedTiming> {
    const { opts } = this;
    for (const side of SIDES) freezeTree(this.workers[side].pid);
    this.cpu = this.pinBoth();
    // The first pass in a fresh process (CPU seconds), for the cache probe; then calibration.
    const firstPass = {} as Record<Side, number>;
    const loops = {} as Record<Side, number>;
    for (const side of SIDES) {
      await this.sample(side, 1);
      firstPass[side] = this.lastCpu[side];
    }
    await this.checkResults();
    for (const side of SIDES) loops[side] = await this.calibrate(side, await this.sample(side, 1));
    const warmupRounds = await this.warmUp(loops);

    const order = seededRandom(opts.seed);
    const samples: Record<Side, number[]> = { original: [], candidate: [] };
    const cpuPerPass: Record<Side, number[]> = { original: [], candidate: [] };
    for (let i = 0; i < opts.samples; i++) {
      const sides = order() < 0.5 ? [...SIDES] : [...SIDES].reverse();
      for (const side of sides) {
        samples[side].push((await this.sample(side, loops[side])) / (loops[side] * this.inputs));
        cpuPerPass[side].push(this.lastCpu[side] / loops[side]);
      }
      const last = i === opts.samples - 1 || (samples.original.length >= MIN_SAMPLES && Date.now() > opts.deadline);
      await this.maybeCheckResults(i === 0 || last);
      if (last) break;
    }

    const steadyPass = { original: median(cpuPerPass.original), candidate: median(cpuPerPass.candidate) };
    const freshPasses = await this.freshPasses();
    const integrity: TimingIntegrity = {
      resultChecks: this.resultChecks,
      firstPass,
      steadyPass,
      ...(freshPasses ? { freshPasses } : {}),
      clockCorrections: { ...this.corrections },
      resultReadSeconds: { original: median(this.readSeconds.original), candidate: median(this.readSeconds.candidate) },
    };
    const rejection =
      (freshPasses ? (this.freshCacheSuspicion(freshPasses) ?? this.inputSpecificSpeedup(freshPasses, samples)) : this.cacheSuspicion(firstPass, steadyPass)) ??
      this.lateWork(integrity, samples.candidate, loops.candidate) ??
      this.clockTampering();
    return {
      original: samples.original,
      candidate: samples.candidate,
      loopsPerSample: loops.original * this.inputs,
      timer:
        `Perfloop's clock around each sample of each side's own process (its ${this.workers.original.ready.clock} checked against it)` +
        (this.cpu !== undefined ? `, both sides on CPU ${this.cpu}` : ''),
      integrity,
      warmupRounds,
      ...(rejection ? { rejection, suspicion: true } : {}),
    } as CoordinatedTiming;
  }

  /**
   * Both workers onto one CPU drawn at random from those this process may use; undefined when that is not possible (both
   * are then put back on all of them, so that neither is pinned alone).
   */
  private pinBoth(): number | undefined {
    const cpus = allowedCpus();
    if (!cpus) return undefined;
    const cpu = cpus[randomInt(cpus.length)] as number;
    if (SIDES.every((side) => pinTree(this.workers[side].pid, [cpu]))) return cpu;
    for (const side of SIDES) pinTree(this.workers[side].pid, cpus);
    return undefined;
  }

  private async calibrate(side: Side, onePass: number): Promise<number> {
    const target = this.opts.sampleSeconds;
    const maxLoops = this.workers[side].ready.maxLoops;
    let loops = 1;
    let seconds = onePass;
    while (seconds < target / 2 && loops < maxLoops) {
      const perPass = Math.max(seconds / loops, 1e-9);
      loops = Math.min(maxLoops, Math.max(loops * 2, Math.ceil((target / perPass) * 1.1)));
      seconds = await this.sample(side, loops);
    }
    return loops;
  }

  /** JIT-compiled code is timed once it has settled: V8 tiers functions up (and may deoptimise) over the first runs. */
  private async warmUp(loops: Record<Side, number>): Promise<number> {
    const warm: Record<Side, number[]> = { original: [], candidate: [] };
    const until = Date.now() + 1000 * Math.max(1, this.opts.samples * this.opts.sampleSeconds) * 0.5;
    let rounds = 0;
    for (;;) {
      for (const side of SIDES) warm[side].push(await this.sample(side, loops[side]));
      rounds++;
      if (this.opts.warmup === 'once') return rounds;
      const settled = rounds >= WARMUP_WINDOW && SIDES.every((s) => spread(warm[s].slice(-WARMUP_WINDOW)) < WARMUP_SPREAD);
      if (settled || Date.now() > until || Date.now() > this.opts.deadline) return rounds;
    }
  }

  /** Two passes over fresh inputs per side, where both workers can make them. */
  private async freshPasses(): Promise<Record<Side, [number, number]> | undefined> {
    if (!SIDES.every((side) => this.workers[side].ready.fresh)) return undefined;
    const passes = {} as Record<Side, [number, number]>;
    for (const side of SIDES) {
      await this.sample(side, 1, true);
      const first = this.lastCpu[side];
      await this.sample(side, 1, true);
      passes[side] = [first, this.lastCpu[side]];
    }
    await this.checkResults(true);
    return passes;
  }

  /**
   * Inputs never seen before, once the process is warm: an honest function costs about the same on its first and second
   * pass over them; one that keeps results between calls does the work once and then looks it up.
   */
  private freshCacheSuspicion(passes: Record<Side, [number, number]>): string | undefined {
    const [first, second] = passes.candidate;
    const ratio = first / Math.max(second, 1e-9);
    const originalRatio = passes.original[0] / Math.max(passes.original[1], 1e-9);
    if (first - second <= Math.max(CACHE_MIN_SECONDS, CACHE_SHARE * first) || ratio <= CACHE_FACTOR * Math.max(1, originalRatio)) return undefined;
    return cacheReason(first, second, ratio, originalRatio, 'on inputs it had not seen before');
  }

  /**
   * A speedup on the timed inputs that fresh inputs of about the same cost do not show: the candidate recognises the
   * inputs it is timed on (a table of their answers keyed by their length and ends) instead of doing less work. The
   * fresh inputs come from the same generator, so an honest speedup is there too, give or take the noise of one pass
   * and the size difference; the factor leaves room for both.
   */
  private inputSpecificSpeedup(passes: Record<Side, [number, number]>, samples: Record<Side, number[]>): string | undefined {
    const fresh = passes.original[1] / Math.max(passes.candidate[1], 1e-9);
    const timed = median(samples.original) / Math.max(median(samples.candidate), 1e-12);
    if (passes.original[1] < SPECIFIC_MIN_SECONDS || timed <= SPECIFIC_FACTOR * Math.max(1, fresh)) return undefined;
    return (
      `it is ${timed.toFixed(1)}× faster on the inputs it was timed on but ${fresh.toFixed(1)}× on inputs of about the same cost it had ` +
      'not seen before: the speedup belongs to those particular inputs (it recognises them), not to what it computes'
    );
  }

  /**
   * Without fresh inputs (fixed performance inputs): the first pass in a fresh process against a settled one. One-time
   * costs (cold caches, first allocations) are the original's too and are subtracted; what is left is work the candidate
   * did once and then no more.
   */
  private cacheSuspicion(first: Record<Side, number>, steady: Record<Side, number>): string | undefined {
    const excess = first.candidate - steady.candidate - Math.max(0, first.original - steady.original);
    if (excess <= Math.max(FIXED_CACHE_MIN_SECONDS, CACHE_SHARE * first.candidate)) return undefined;
    const ratio = first.candidate / Math.max(steady.candidate, 1e-9);
    return cacheReason(first.candidate, steady.candidate, ratio, first.original / Math.max(steady.original, 1e-9), 'once warm');
  }

  private lateWork(integrity: TimingIntegrity, candidateSamples: number[], loops: number): string | undefined {
    const { original, candidate } = integrity.resultReadSeconds;
    const passSeconds = median(candidateSamples) * this.inputs;
    if (candidate <= READ_FACTOR * original + READ_FLOOR_SECONDS || candidate - original <= passSeconds || loops < 1) return undefined;
    return (
      `reading the results of a timed pass cost it ${(candidate * 1e3).toFixed(1)} ms of CPU against ${(original * 1e3).toFixed(1)} ms for the ` +
      `original, more than a whole timed pass (${(passSeconds * 1e3).toFixed(2)} ms): it does its work when results are read, outside the timed loop`
    );
  }

  private clockTampering(): string | undefined {
    const { original, candidate } = this.corrections;
    const samples = this.sampleCalls.candidate;
    if (candidate * 2 <= samples || original * 2 > this.sampleCalls.original) return undefined;
    return `its timing process reported a time its round trip does not allow on ${candidate} of ${samples} samples: its clock was tampered with`;
  }
}

/** Interleaved pairs from two ready workers; the workers stay open (the caller ends them). */
export async function coordinatePairedTiming(workers: Record<Side, TimingWorker>, opts: CoordinatorOptions): Promise<CoordinatedTiming> {
  try {
    return await new Coordinator(workers, opts).run();
  } catch (error) {
    if (!(error instanceof TimingRejection)) throw error;
    return rejectedTiming(error.message);
  }
}

/** No samples: the candidate's timing is rejected for `reason`. */
export function rejectedTiming(reason: string): CoordinatedTiming {
  const none = { original: 0, candidate: 0 };
  return {
    original: [],
    candidate: [],
    loopsPerSample: 1,
    timer: '',
    integrity: { resultChecks: 0, firstPass: none, steadyPass: none, clockCorrections: none, resultReadSeconds: none },
    rejection: reason,
  };
}
