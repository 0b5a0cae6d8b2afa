/**
 * The contract between the optimizer (language-agnostic) and one runner per language.
 * A runner finds the target in a file, turns original and candidate code into runnable programs, and runs them — always
 * through the sandbox — to check equivalence and to measure. Statistics are computed above it (profilers/stats), so every
 * runner returns raw samples.
 */
import type { SandboxKind, SandboxMode } from './sandbox/types.js';
import type { TimingTicket } from './judge/timingTurns.js';

export type LanguageId = 'python' | 'javascript' | 'typescript' | 'c' | 'cpp';

export interface LineRange {
  /** 1-based, inclusive. */
  start: number;
  end: number;
}

export interface TargetSpec {
  functionName?: string;
  lines?: LineRange;
}

export interface ExtractedTarget {
  language: LanguageId;
  filePath: string;
  /** Text of the whole file at extraction time; used to refuse stale applies. */
  fileText: string;
  functionName: string;
  /** 1-based inclusive lines of the function in the file, decorators included. */
  range: LineRange;
  /** Character offsets [start, end) of the function in `fileText`. */
  startOffset: number;
  endOffset: number;
  /** The function's own text. */
  functionSource: string;
  /** Imports, helpers, constants and classes the function needs, in file order, without the function. */
  contextSource: string;
  /** Names of the module-level definitions pulled into the context (for the prompt and the report). */
  contextNames: string[];
  /** Parameter names, in order (for the prompt and for naming inputs). An instance method's first is its receiver. */
  parameters: string[];
  /** Set when the target is a method of a class. */
  method?: MethodTarget;
}

/**
 * A method target. Instance methods are called with the receiver as their first input (`self` in Python, `this` in
 * JavaScript and C++, named so in `parameters`): the receiver's state after the call is compared like any mutated argument.
 */
export interface MethodTarget {
  /** The class as the file names it (C++: with its enclosing namespaces, `ns::Cart`). */
  className: string;
  /** The method's own name; `ExtractedTarget.functionName` is `Class.method` (C++: `Class::method`). */
  name: string;
  /** Called without a receiver: static methods, and Python's classmethods and staticmethods. */
  isStatic: boolean;
  /**
   * What programs are built from: the context with the whole class, the method included. `contextSource`, which the
   * prompt shows, has the method elided from its class (it is shown on its own).
   */
  programContext: string;
}

/** Something a runner can load: the original module or a candidate module built from it. */
export interface Program {
  id: string;
  /** Complete source of a self-contained module that defines `functionName`. */
  source: string;
  functionName: string;
}

export type CandidateBuild =
  | { ok: true; program: Program }
  | { ok: false; reason: string };

/** Where the inputs come from, in order of preference. */
export type WorkloadSource = (
  | { kind: 'json'; origin: 'user'; path?: string; correctness: unknown[][]; performance: unknown[][] }
  | { kind: 'module'; origin: 'user'; path: string }
  | { kind: 'generator'; origin: 'llm'; source: string }
) & {
  /**
   * The n of `sized_input(n)` to time at, chosen by an earlier run (optimizer/timedSizeMemory.ts): the run takes it
   * instead of choosing one from the original's CPU time.
   */
  timedSizedN?: number;
  /**
   * Positions of correctness inputs held back from every prompt (captured inputs, optimizer/prepareRun.ts): checked like
   * the others, never shown to the LLM, so a candidate cannot be fitted to them.
   */
  heldBack?: readonly number[];
};

/** What a workload turned out to contain, after running it once in the sandbox. */
export interface WorkloadSummary {
  correctnessCount: number;
  performanceCount: number;
  /** True when the workload can produce inputs of a chosen size (module/generator with `sized_input`). */
  sizeable: boolean;
  /** The n of `sized_input(n)` when that made the timed input (no fixed performance inputs): the size figures hold at. */
  timedSizedN?: number;
  /** Short reprs of a few inputs, for the report. */
  examples: string[];
  /** Whether the original mutates any argument (timing must then copy inputs before each call). */
  originalMutatesArguments: boolean;
  /** Inputs on which the original itself raised (kept: exceptions are part of behaviour). */
  originalRaisedOn: number;
  /**
   * Calls made (each input once) and how many of the performance inputs' raised: an original that raises on all of either
   * has nothing to compare or time but its failure. Left out by runners that do not count them.
   */
  callsChecked?: number;
  performanceRaisedOn?: number;
  /** The first exception the original raised, for naming it and its likely cause. */
  firstRaised?: RaisedException;
  /**
   * Why an LLM-written generator's inputs cannot reach the sides as data (a function or an open file among them): the
   * generator then runs in each side's own process, beside the code under test, and the report says so. Unset when its
   * inputs are made in a process of their own and passed as data (profilers/sizedWorkloads.ts, generatedInputs).
   */
  generatorBesideCode?: string;
}

export interface RaisedException {
  /** The exception's type as the language names it (`FileNotFoundError`, `TypeError`). */
  type: string;
  message: string;
  set: 'correctness' | 'performance';
  index: number;
  /** repr of the input's arguments, truncated. */
  input: string;
}

export type MismatchKind = 'return' | 'mutation' | 'exception' | 'stdout' | 'crash';

export interface Counterexample {
  kind: MismatchKind;
  /** repr of the (smallest) failing input's arguments, truncated. */
  input: string;
  expected: string;
  actual: string;
  /** A size measure of the input (total length of its containers/strings), used to pick the smallest. */
  inputSize: number;
  /**
   * The input is one of those held back from every prompt (WorkloadSource.heldBack): its values are for the report, and
   * the prompts say only that a held-back input failed. Chosen only when no shown input fails.
   */
  heldBack?: true;
}

export type EquivalenceResult =
  | { status: 'equivalent'; inputsChecked: number }
  | { status: 'different'; inputsChecked: number; mismatches: number; counterexample: Counterexample }
  | { status: 'error'; reason: string; detail?: string }
  | { status: 'timeout'; reason: string };

/** Interleaved wall-time samples, seconds per call, index i of both arrays taken back to back. */
export interface PairedTimingSamples {
  original: number[];
  candidate: number[];
  /** Calls per sample chosen by calibration. */
  loopsPerSample: number;
  timer: string;
  /**
   * Set when the candidate's timing cannot be believed (its results differ when timed, it caches between calls, it works
   * outside the timed loop, its clock was tampered with): the candidate is rejected with this reason.
   */
  rejection?: string;
  /**
   * The rejection rests on CPU-time readings of single passes (a cache probe, an input-specific speedup, work done when
   * results are read, clock reports out of bounds), which a page-fault storm or a compaction stall can fake once:
   * several process pairs must show it (optimizer/timeCandidate.ts). Unset: conclusive on its own (results that differ
   * when timed, a worker that died or moved off its CPU).
   */
  suspicion?: boolean;
}

/**
 * What one counted call left, as snapshot texts (profilers/judge/snapshot.ts) made inside the counted process: what it
 * returned (or `{"t":"raised"}`) and its arguments afterwards. Checked outside against the original's (countedResults.ts).
 */
export interface CountedResult {
  value: string;
  args: string;
}

export interface InstructionCount {
  counter: 'perf' | 'valgrind';
  /**
   * Instructions of the calls alone: the harness's start-up (a run with no calls) is subtracted, and so is the
   * serialising of the results (`serialisingInstructions`, the original's when the caller passed it).
   */
  instructions: number;
  startupInstructions: number;
  /** The result of each performance input's counted call, serialised in the counted run itself: what was counted. */
  results: CountedResult[];
  /** What serialising `results` cost, from a third run that serialises nothing; absent when the caller supplied it. */
  serialisingInstructions?: number;
}

export interface CountOptions {
  /**
   * The serialising cost to subtract, measured on the original. Measured on a candidate, the subtraction would leave the
   * count of its run that serialises nothing, whose results nobody checks. Absent: measured on this program.
   */
  serialisingInstructions?: number;
}

export interface MemoryProfile {
  /** Largest tracemalloc peak of one call over the performance inputs, bytes. */
  peakBytes: number;
  /** Peak resident set size of the measuring process, bytes (includes the interpreter). */
  maxRssBytes?: number;
  /**
   * Below this many bytes a reading is noise, not a measurement (JavaScript's heap growth of small calls): ratios
   * then use it as the floor, and two readings both below it give no ratio. Absent: exact to the byte.
   */
  resolutionBytes?: number;
}

export interface LineProfileEntry {
  /** Line within the function's own text (1 = its first line, the decorator or `def`). */
  line: number;
  text: string;
  hits: number;
  timeSeconds: number;
  /** Share of the function's time, 0..1. */
  timeShare: number;
  /** Net bytes allocated while the line ran (tracemalloc). */
  memoryBytes: number;
}

export interface LineProfile {
  entries: LineProfileEntry[];
  totalSeconds: number;
  /**
   * What the shares measure. `time` (the default): time per line, `hits` = executions (or profiler ticks).
   * `instructions`: instructions per line from cachegrind, `hits` = instructions, no time per line (compiled languages).
   */
  basis?: 'time' | 'instructions';
}

export interface ComplexityPoint {
  size: number;
  seconds: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  sandbox: SandboxMode;
  /** Wall-clock limit for one sandboxed process. */
  timeoutMs: number;
  /** Relative float tolerance for equality (absolute tolerance is fixed at 1e-9). */
  floatTolerance?: number;
}

export interface TimingOptions extends RunOptions {
  /** Number of interleaved sample pairs. */
  samples: number;
  /** Target duration of one sample, seconds; calibration picks the loop count to reach it. */
  sampleSeconds: number;
  /** This process pair's place among pairs started together (judge/timingTurns.ts); alone when absent. */
  turn?: TimingTicket;
}

export interface ComplexityOptions extends RunOptions {
  /** Stop growing the size once one call takes longer than this. */
  maxSecondsPerCall: number;
  maxPoints: number;
}

/** Raised by runners for problems the user must fix (bad target, unusable workload): shown as is. */
export class RunnerError extends Error {
  constructor(message: string, readonly detail?: string) {
    super(message);
    this.name = 'RunnerError';
  }
}

export interface LanguageRunner {
  readonly language: LanguageId;
  readonly fileExtensions: readonly string[];
  /** Version string of the interpreter/compiler used, for the report. */
  describe(): Promise<string>;
  /** The sandbox kind runs actually use on this machine (for the report). */
  sandboxKind(mode: SandboxMode): Promise<SandboxKind>;

  extractTarget(fileText: string, filePath: string, spec: TargetSpec): Promise<ExtractedTarget>;
  originalProgram(target: ExtractedTarget): Program;
  /** Builds a runnable candidate from LLM/hand-written code; a missing function or unparsable code is a reason, not a throw. */
  buildCandidate(target: ExtractedTarget, code: string, id: string): Promise<CandidateBuild>;
  /** The user's file with the target replaced by the candidate (new imports moved to the import block). */
  applyCandidate(target: ExtractedTarget, code: string): Promise<string>;

  checkWorkload(program: Program, workload: WorkloadSource, opts: RunOptions): Promise<WorkloadSummary>;
  checkEquivalence(original: Program, candidate: Program, workload: WorkloadSource, opts: RunOptions): Promise<EquivalenceResult>;
  measureTime(
    original: Program,
    candidate: Program,
    workload: WorkloadSource,
    mutatesArguments: boolean,
    opts: TimingOptions,
  ): Promise<PairedTimingSamples>;
  /**
   * Counts one call per performance input (calls: 1) minus a run without them (calls: 0); the counted run serialises each
   * result afterwards, so that what was counted can be checked against the original (checkCountedResults).
   */
  countInstructions(program: Program, workload: WorkloadSource, opts: RunOptions, count?: CountOptions): Promise<InstructionCount | undefined>;
  measureMemory(program: Program, workload: WorkloadSource, opts: RunOptions): Promise<MemoryProfile>;
  profileLines(program: Program, workload: WorkloadSource, opts: RunOptions): Promise<LineProfile>;
  /** Removes what the runner keeps between calls (files of inputs made apart from the code); it may still be used after. */
  dispose?(): void;
  /** Time per call at geometrically growing sizes; empty when the workload is not sizeable. */
  measureComplexity(program: Program, workload: WorkloadSource, opts: ComplexityOptions): Promise<ComplexityPoint[]>;
}
