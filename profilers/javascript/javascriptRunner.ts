/**
 * The JavaScript/TypeScript runner: every execution of original, candidate or workload code is one run of the harness
 * (profilers/javascript/harness) under Node inside the sandbox. This file maps the LanguageRunner calls to harness jobs
 * and the harness's answers (or its death) back to the contract's results.
 *
 * Node is the one running Perfloop (process.execPath) unless another is configured: the harness needs Node ≥ 20.6
 * (module.register). TypeScript is transpiled with esbuild and not type-checked.
 */
import { checkEquivalenceSideBySide, measureTimeSideBySide, OriginalOutcomes, type SideBySideRunner, userEqualHook } from '../judge/sideBySide.js';
import { execFile } from 'node:child_process';
import { countCalls } from '../counters/countedCalls.js';
import { detectInstructionCounter, wrapForCounting } from '../counters/instructions.js';
import type { z } from 'zod';
import type {
  CandidateBuild,
  ComplexityOptions,
  ComplexityPoint,
  EquivalenceResult,
  ExtractedTarget,
  CountOptions,
  InstructionCount,
  LanguageRunner,
  LineProfile,
  MemoryProfile,
  PairedTimingSamples,
  Program,
  RunOptions,
  TargetSpec,
  TimingOptions,
  WorkloadSource,
  WorkloadSummary,
} from '../runner.js';
import { equivalenceResult, harnessData, throwIfWorkloadCrashed, type HarnessVoice } from '../harnessResults.js';
import { resolveSandboxKind } from '../sandbox/sandbox.js';
import { generatedApart, SizedWorkloads } from '../sizedWorkloads.js';
import { GeneratedInputFiles } from '../generatedInputFiles.js';
import type { SandboxKind, SandboxMode } from '../sandbox/types.js';
import { typeScriptLineMap } from './sourceMap.js';
import { complexityData, countData, jsInputsData, jsProfileData, jsWorkloadData, memoryData, timeData, type JsHarnessJob, type JsHarnessMode } from './harnessProtocol.js';
import { equalData } from '../harnessProtocol.js';
import { DEFAULT_SEED, describeAbnormalEnd, runJavaScriptHarness, startJavaScriptHarnessWorker, stderrTail, type JsHarnessRun, type JsHarnessRunRequest, type JsProgramEntry } from './harnessProcess.js';
import {
  applyJavaScriptCandidate,
  buildJavaScriptCandidate,
  extractJavaScriptTarget,
  isTypeScriptFile,
  JAVASCRIPT_LANGUAGE,
  originalJavaScriptProgram,
  TYPESCRIPT_LANGUAGE,
} from './javascriptTarget.js';

export interface JavaScriptRunnerOptions {
  /** Node binary; default: the Node running Perfloop. */
  nodePath?: string;
  /** Which files this instance is registered for; the harness runs both alike. Default: JavaScript. */
  dialect?: 'javascript' | 'typescript';
}

/** Node under valgrind runs 30–100× slower (JIT code is re-instrumented); perf barely slows it. */
const COUNTER_SLOWDOWN = { valgrind: 30, perf: 2 } as const;
/**
 * Node made deterministic for counting. V8's flags: without them, concurrent compiler/GC threads, hash seeds and random
 * seeds move Node's start-up alone by ~1% (544.9M vs 551.1M instructions); --no-minor-gc-task keeps V8 from scavenging
 * whenever the event loop happens to idle during module loading (halves what is left below). That still left the calls'
 * count of examples/javascript/orders.mjs varying by 0.022% (CV of 5 counts, 630.33M–630.65M). Per-function cachegrind
 * diffs of identical runs showed why, and each fix was measured on the start-up run (spread over 6–8 runs):
 * - libuv's 4 pool threads serve the loader's file reads and race the main thread for valgrind's lock: 115K–966K
 *   without UV_THREADPOOL_SIZE=1;
 * - valgrind's default scheduler lets whichever thread wakes first run: 70K without --fair-sched (a ticket lock) with
 *   the hook thread, 11K instead of 6K without it;
 * - the loader-hook thread, a second isolate (300M instructions of start-up) whose answers reach the main thread at
 *   timing-dependent points: 13K–40K with it, ~2K without, so count runs anchor the imports instead (importAnchors.ts);
 * - the fresh work directory's path, when it keyed an object's properties in the harness: 55K–344K (now a Map; what is
 *   left of it, in string hashes, is ~2K).
 * The harness also collects the heap before the calls (harness/main.mjs), which fixes what the calls pay for GC.
 * Result: CV 0.0004%–0.0013% over 5 counts (e.g. 630,499,113–630,504,691), also with 4 counts running at once;
 * start-up 550M instead of 796M instructions.
 */
/**
 * Heap growth of a call below this is not resolved: a call allocating one small object read 0 or 104 bytes from one
 * process to the next, and 2 KB once on a loaded CI machine (harness/measure.mjs subtracts the harness's own ~1 KB per
 * call, which itself varies).
 */
const JS_MEMORY_RESOLUTION_BYTES = 4096;
const PREDICTABLE_V8 = ['--predictable', '--hash-seed=1', '--random-seed=1', '--no-minor-gc-task'];
const PREDICTABLE_NODE_ENV = { UV_THREADPOOL_SIZE: '1' };
/** --smc-check: V8 writes and patches machine code in anonymous memory, which valgrind's default check ignores. */
const VALGRIND_FOR_NODE = ['--smc-check=all-non-file', '--fair-sched=try'];

const JAVASCRIPT_HARNESS: HarnessVoice = { harnessName: 'JavaScript', describeAbnormalEnd };

type InstructionCounter = NonNullable<Awaited<ReturnType<typeof detectInstructionCounter>>>;

export class JavaScriptRunner implements LanguageRunner {
  readonly language: LanguageRunner['language'];
  readonly fileExtensions: readonly string[];
  /** The user's file each program came from (Program carries only its source): imports and TypeScript-ness. */
  private readonly sourceFiles = new WeakMap<Program, string>();
  /** Per workload: the settled sized-input size and whether the original mutates its arguments. */
  private readonly workloads = new SizedWorkloads();
  /** Originals' function text (as it stands in the program module, without `export`): maps profile lines back to it. */
  private readonly functionTexts = new WeakMap<Program, string>();
  private counter: Promise<InstructionCounter | undefined> | undefined;
  /** The original's behaviour on the inputs, run once and compared with every candidate's. */
  private readonly originalOutcomes = new OriginalOutcomes();
  /** An LLM-written generator's inputs, made apart from the code under test and read by each side's process. */
  private readonly generated = new GeneratedInputFiles(this.workloads, { folderPrefix: 'perfloop-inputs-', extension: '.bin' }, (original, workload, seed, keepAt, opts) =>
    this.makeInputs(original, workload, seed, keepAt, opts),
  );

  constructor(private readonly options: JavaScriptRunnerOptions = {}) {
    const typescript = options.dialect === 'typescript';
    this.language = typescript ? TYPESCRIPT_LANGUAGE : JAVASCRIPT_LANGUAGE;
    this.fileExtensions = typescript ? ['.ts', '.mts'] : ['.js', '.mjs'];
  }

  private node(): string {
    return this.options.nodePath ?? process.execPath;
  }

  describe(): Promise<string> {
    return new Promise((resolve) => {
      execFile(this.node(), ['--version'], { timeout: 10_000 }, (error, stdout) => {
        resolve(error ? `Node (${this.node()}, version unknown)` : `Node ${stdout.trim()} (${this.node()})`);
      });
    });
  }

  sandboxKind(mode: SandboxMode): Promise<SandboxKind> {
    return resolveSandboxKind(mode);
  }

  extractTarget(fileText: string, filePath: string, spec: TargetSpec): Promise<ExtractedTarget> {
    return extractJavaScriptTarget(fileText, filePath, spec);
  }

  originalProgram(target: ExtractedTarget): Program {
    const program = originalJavaScriptProgram(target);
    this.sourceFiles.set(program, target.filePath);
    this.functionTexts.set(program, target.functionSource);
    return program;
  }

  async buildCandidate(target: ExtractedTarget, code: string, id: string): Promise<CandidateBuild> {
    const build = await buildJavaScriptCandidate(target, code, id);
    if (build.ok) this.sourceFiles.set(build.program, target.filePath);
    return build;
  }

  applyCandidate(target: ExtractedTarget, code: string): Promise<string> {
    return applyJavaScriptCandidate(target, code);
  }

  private entry(program: Program): JsProgramEntry {
    const filePath = this.sourceFiles.get(program);
    return filePath ? { program, filePath } : { program };
  }

  private async run(
    mode: JsHarnessMode,
    programs: JsHarnessRunRequest['programs'],
    workload: WorkloadSource,
    opts: RunOptions,
    job: Partial<JsHarnessJob>,
    timeoutMs = opts.timeoutMs,
    extra: Pick<JsHarnessRunRequest, 'nodeFlags' | 'wrap' | 'env' | 'anchorImports' | 'inputsFile' | 'keepInputs'> = {},
  ): Promise<JsHarnessRun> {
    const run = await runJavaScriptHarness({
      node: this.node(),
      mode,
      programs,
      workload,
      job: { ...this.workloads.baseJob(workload, opts), ...job },
      sandbox: opts.sandbox,
      timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...extra,
    });
    // An inputs run uses the settled size (generatedInputs settles it first).
    if (mode !== 'inputs') this.workloads.remember(mode, workload, run.result);
    return run;
  }

  /** One seed's inputs, made in an inputs process with `original` loaded (never a candidate), written at `keepAt`. */
  private async makeInputs(original: Program, workload: WorkloadSource, seed: number, keepAt: string, opts: RunOptions): Promise<{ written: unknown } | { besideCode: string }> {
    await this.settleWorkload(original, workload, opts);
    const run = await this.run('inputs', { original: this.entry(original) }, workload, opts, { seed }, opts.timeoutMs, { keepInputs: keepAt });
    throwIfWorkloadCrashed(run, JAVASCRIPT_HARNESS);
    return this.data(run, jsInputsData, 'Making the inputs', opts.timeoutMs);
  }

  /** What a side's process with this seed is given for its inputs: the inputs file, when the generator runs apart. */
  private async sideInputs(original: Program | undefined, workload: WorkloadSource, opts: RunOptions, seed: number): Promise<Pick<JsHarnessRunRequest, 'inputsFile'>> {
    const file = await this.generated.fileFor(workload, seed, opts, original);
    return file ? { inputsFile: file } : {};
  }

  /** Removes the inputs files this runner made; it can still run (it makes them again). */
  dispose(): void {
    this.generated.dispose();
  }

  /** The mode's data, or the error that explains why there is none. */
  private data<T extends z.ZodType>(run: JsHarnessRun, schema: T, what: string, timeoutMs: number): z.infer<T> {
    return harnessData(run, schema, what, timeoutMs, JAVASCRIPT_HARNESS);
  }

  async checkWorkload(program: Program, workload: WorkloadSource, opts: RunOptions): Promise<WorkloadSummary> {
    const apart = generatedApart(workload);
    const run = await this.run('workload', { original: this.entry(program) }, workload, opts, { inputsApart: apart });
    // The generator or the original took the process down: the user (or the LLM writing inputs) must fix it.
    throwIfWorkloadCrashed(run, JAVASCRIPT_HARNESS);
    const summary = this.data(run, jsWorkloadData, 'Checking the workload', opts.timeoutMs);
    this.workloads.rememberMutation(workload, summary.originalMutatesArguments);
    this.generated.remember(workload, program, summary.generatorBesideCode);
    return summary;
  }

  /** The user's `equal(a, b)`, run in an `equal` job of its own (userEqualHook). */
  private sameReturns(original: Program, workload: WorkloadSource, opts: RunOptions): SideBySideRunner<JsHarnessRun>['sameReturns'] {
    return userEqualHook(workload, async (pairs) =>
      this.data(await this.run('equal', { original: this.entry(original) }, workload, opts, { pairs }), equalData, 'Comparing results with your equal(a, b)', opts.timeoutMs),
    );
  }

  /**
   * Each side in a process of its own, judged by Perfloop (profilers/judge). An LLM-written generator's inputs reach them
   * as a file (sideInputs); a timing seed's file goes once both workers of its pair have ended.
   */
  private sides(workload: WorkloadSource, opts: RunOptions, original: Program): SideBySideRunner<JsHarnessRun> {
    const sameReturns = this.sameReturns(original, workload, opts);
    return {
      voice: JAVASCRIPT_HARNESS,
      ...(sameReturns ? { sameReturns } : {}),
      runOutcomes: async (program, job) =>
        this.run('outcomes', { [job.side]: this.entry(program) }, workload, opts, job, opts.timeoutMs, await this.sideInputs(original, workload, opts, DEFAULT_SEED)),
      startTimingWorker: (side, program, job) => {
        const worker = startJavaScriptHarnessWorker(
          side,
          this.sideInputs(original, workload, opts, job.seed).then((inputs) => ({
            node: this.node(),
            mode: 'serve' as const,
            programs: { [side]: this.entry(program) },
            workload,
            job: { ...this.workloads.baseJob(workload, opts), ...job, side },
            sandbox: opts.sandbox,
            timeoutMs: job.timeoutMs,
            ...inputs,
            ...(opts.signal ? { signal: opts.signal } : {}),
          })),
        );
        this.generated.releaseWhenEnded(workload, job.seed, worker.ended);
        return worker;
      },
    };
  }

  /** Inputs must not be calibrated in a one-side process (calibration times the original): settle them first. */
  private settleWorkload(program: Program, workload: WorkloadSource, opts: RunOptions): Promise<void> {
    return this.workloads.settle(workload, () => this.checkWorkload(program, workload, opts));
  }

  async checkEquivalence(original: Program, candidate: Program, workload: WorkloadSource, opts: RunOptions): Promise<EquivalenceResult> {
    await this.settleWorkload(original, workload, opts);
    return checkEquivalenceSideBySide(this.sides(workload, opts, original), this.originalOutcomes, original, candidate, workload, {
      ...opts,
      callTimeoutSeconds: Math.max(1, opts.timeoutMs / 2000),
    });
  }

  async measureTime(
    original: Program,
    candidate: Program,
    workload: WorkloadSource,
    mutatesArguments: boolean,
    opts: TimingOptions,
  ): Promise<PairedTimingSamples> {
    await this.settleWorkload(original, workload, opts);
    // Samples of both sides plus calibration and the JIT warm-up (up to half the samples' time), with room for slow machines.
    const expectedSeconds = (opts.samples + 10) * 2 * opts.sampleSeconds * 3 + 10;
    return measureTimeSideBySide(this.sides(workload, opts, original), this.originalOutcomes, original, candidate, workload, mutatesArguments, {
      ...opts,
      warmup: 'settle',
      expectedSeconds,
    });
  }

  /**
   * Instructions of one call per performance input, minus a run that makes no calls. The calls are cold: V8 interprets
   * and compiles them, as a function called once would be, from a collected heap. Under valgrind this takes seconds
   * even for Node's start-up.
   */
  async countInstructions(program: Program, workload: WorkloadSource, opts: RunOptions, options?: CountOptions): Promise<InstructionCount | undefined> {
    this.counter ??= detectInstructionCounter();
    const counter = await this.counter;
    if (!counter) return undefined;
    // Counting must not calibrate (timing-dependent): settle the sized input first.
    if (workload.kind !== 'json' && !this.workloads.isSized(workload)) await this.checkWorkload(program, workload, opts);
    const timeoutMs = opts.timeoutMs * COUNTER_SLOWDOWN[counter.kind];
    const wrap: JsHarnessRunRequest['wrap'] = (argv, workDir) => {
      const command = wrapForCounting(counter.kind, argv, workDir);
      if (counter.kind === 'valgrind') command.argv.splice(1, 0, ...VALGRIND_FOR_NODE);
      return command;
    };
    const predictable = { nodeFlags: PREDICTABLE_V8, env: PREDICTABLE_NODE_ENV, anchorImports: true, wrap };
    return countCalls(counter.kind, async (job) => {
      const inputs = await this.sideInputs(undefined, workload, opts, DEFAULT_SEED);
      const run = await this.run('count', { program: this.entry(program) }, workload, opts, job, timeoutMs, { ...predictable, ...inputs });
      const data = this.data(run, countData, 'Counting instructions', timeoutMs);
      if (run.count === undefined) throw new Error(`Counting instructions with ${counter.kind} gave no count.\n${stderrTail(run.sandbox)}`);
      return { count: run.count, results: data.results };
    }, options);
  }

  /** Heap growth over one call from a collected heap (see harness/measure.mjs for what that does and does not count). */
  async measureMemory(program: Program, workload: WorkloadSource, opts: RunOptions): Promise<MemoryProfile> {
    // Feedback vectors allocated on a function's first call, not after a budget of calls: otherwise V8 allocates them (and
    // more on the heap's next pages) inside some later call, and a call allocating one small object read 10 KB–270 KB.
    // Collection on the main thread only: with V8's helper threads, when a collection ran inside a call depended on how
    // busy the machine was, and the same 20,000-element array read 446 KB–708 KB from one process to the next. That alone
    // still left 392 KB–656 KB: old space's allocation area, taken inside the call (harness/measure.mjs, takeOldSpaceArea).
    const run = await this.run('memory', { program: this.entry(program) }, workload, opts, {}, opts.timeoutMs, {
      nodeFlags: ['--no-lazy-feedback-allocation', '--single-threaded-gc'],
      ...(await this.sideInputs(undefined, workload, opts, DEFAULT_SEED)),
    });
    return { ...this.data(run, memoryData, 'Measuring memory', opts.timeoutMs), resolutionBytes: JS_MEMORY_RESOLUTION_BYTES };
  }

  /**
   * Self time per line of the function from V8's sampling CPU profiler (hits are profiler ticks, not executions; time in
   * callees such as built-ins is not charged to the calling line; no per-line memory). Only for originals built by
   * originalProgram. TypeScript runs as esbuild's JavaScript: its lines are mapped back through esbuild's source map.
   */
  async profileLines(program: Program, workload: WorkloadSource, opts: RunOptions): Promise<LineProfile> {
    const functionSource = this.functionTexts.get(program);
    const filePath = this.sourceFiles.get(program);
    const bodyAt = functionSource ? program.source.indexOf(functionSource.replace(/^export\s+(?:default\s+)?/, '')) : -1;
    if (!functionSource || bodyAt < 0) return { entries: [], totalSeconds: 0 };
    const lineMap = filePath && isTypeScriptFile(filePath) ? await typeScriptLineMap(program.source) : undefined;
    // The program holds the function without `export`, which never spans lines: line n of the module is line n - first + 1.
    const firstLine = program.source.slice(0, bodyAt).split('\n').length;
    const job = { profileSeconds: Math.min(3, opts.timeoutMs / 4000) };
    const run = await this.run('profile', { program: this.entry(program) }, workload, opts, job);
    const data = this.data(run, jsProfileData, 'Profiling lines', opts.timeoutMs);
    const texts = functionSource.split('\n');
    const byOriginalLine = new Map<number, { line: number; ticks: number; seconds: number }>();
    for (const l of data.lines) {
      const line = lineMap ? lineMap.get(l.line) : l.line;
      if (line === undefined) continue;
      const entry = byOriginalLine.get(line) ?? { line, ticks: 0, seconds: 0 };
      entry.ticks += l.ticks;
      entry.seconds += l.seconds;
      byOriginalLine.set(line, entry);
    }
    const inFunction = [...byOriginalLine.values()]
      .map((l) => ({ ...l, line: l.line - firstLine + 1 }))
      .filter((l) => l.line >= 1 && l.line <= texts.length)
      .sort((a, b) => a.line - b.line);
    const totalSeconds = inFunction.reduce((total, l) => total + l.seconds, 0);
    const entries = inFunction.map((l) => ({
      line: l.line,
      text: texts[l.line - 1] ?? '',
      hits: l.ticks,
      timeSeconds: l.seconds,
      timeShare: totalSeconds > 0 ? l.seconds / totalSeconds : 0,
      memoryBytes: 0,
    }));
    return { entries, totalSeconds };
  }

  async measureComplexity(program: Program, workload: WorkloadSource, opts: ComplexityOptions): Promise<ComplexityPoint[]> {
    if (workload.kind === 'json') return [];
    const job = this.workloads.complexityJob(workload, opts);
    const run = await this.run('complexity', { program: this.entry(program) }, workload, opts, job);
    return this.data(run, complexityData, 'Measuring complexity', opts.timeoutMs).points;
  }
}
