/** The engine's public data: settings in, events out while running, one report at the end. */
import type { HotspotReport } from '../profilers/hotspots/types.js';
import type {
  ComplexityPoint,
  Counterexample,
  LineProfile,
  LineRange,
  WorkloadSource,
} from '../profilers/runner.js';
import type { SandboxKind, SandboxMode } from '../profilers/sandbox/types.js';
import type { PowerLawFit, SpeedupEstimate, Verdict } from '../profilers/stats/types.js';
import type { TokenUsage } from './llm/provider.js';
import type { RedactionSummary } from './redaction.js';

export type CounterPreference = 'auto' | 'time' | 'instructions';

export interface OptimizeSettings {
  rounds: number;
  candidatesPerRound: number;
  /** Relative threshold the speedup's confidence interval must clear (0.05 = 5%). */
  noiseThreshold: number;
  /** Interleaved sample pairs per candidate. */
  timingSamples: number;
  /** Target seconds per timing sample. */
  sampleSeconds: number;
  /** `time` skips instruction counting; `instructions` makes a missing counter an error. */
  counters: CounterPreference;
  sandbox: SandboxMode;
  /** Wall-clock limit for one sandboxed process, ms. */
  timeoutMs: number;
  floatTolerance: number;
  /** Repairs asked for a failing workload generator before giving up. */
  workloadRepairs: number;
  /**
   * Candidates of a round measured at once (their builds, equivalence checks, memory and instruction counts overlap;
   * wall-time sampling always runs alone). 0 = one per CPU core, at most 4; 1 = one after another.
   */
  parallelCandidates: number;
}

export const DEFAULT_SETTINGS: OptimizeSettings = {
  rounds: 3,
  candidatesPerRound: 4,
  noiseThreshold: 0.05,
  timingSamples: 30,
  sampleSeconds: 0.02,
  counters: 'auto',
  sandbox: 'auto',
  timeoutMs: 60_000,
  floatTolerance: 1e-7,
  workloadRepairs: 2,
  parallelCandidates: 0,
};

/** The user's project around the file: their own test command gates candidates, their benchmark times the best. */
export interface ProjectCommands {
  /** Project root; the file must be inside it. Copies of it are what the commands run against. */
  dir: string;
  /** Must exit 0 with a candidate applied (run for candidates that measured faster). */
  testCommand?: string;
  /** Timed before and after the best candidate (hyperfine, else a built-in timer with the same statistics). */
  benchCommand?: string;
  /** Run once in each copy before the test and bench commands, untimed (e.g. `make` or `g++ -O2 -o prog prog.cpp`). */
  buildCommand?: string;
  benchRuns?: number;
}

export interface WholeProgramReport {
  command: string;
  buildCommand?: string;
  tool?: 'hyperfine' | 'builtin';
  toolVersion?: string;
  original?: CommandTimingsSummary;
  patched?: CommandTimingsSummary;
  speedup?: SpeedupEstimate;
  /** Why whole-program timing could not be done. */
  error?: string;
}

export interface CommandTimingsSummary {
  runs: number;
  meanSeconds: number;
  medianSeconds: number;
  stddevSeconds: number;
  maxRssBytes?: number;
}

export interface OptimizeRequest {
  filePath: string;
  /** Current text of the file (the editor's buffer, which may be unsaved). */
  fileText: string;
  target: { functionName?: string; lines?: LineRange };
  /** User-provided inputs; when absent, the LLM writes a generator. */
  workload?: WorkloadSource;
  settings?: Partial<OptimizeSettings>;
  project?: ProjectCommands;
}

export interface TargetSummary {
  file: string;
  functionName: string;
  /** The function's text when the run started: what Apply expects to find, and the left side of every diff. */
  source?: string;
  language: string;
  range: LineRange;
  contextNames: string[];
}

export interface WorkloadReport {
  /** `captured`: the real arguments `perfloop profile` recorded from the user's command (capturedFrom says which, when). */
  origin: 'user-json' | 'user-module' | 'llm-generator' | 'captured';
  capturedFrom?: string;
  /** Captured inputs: the sizes (items in containers) of the timed ones, the largest captured. */
  capturedTimedSizes?: number[];
  /** Captured inputs held back from every prompt (WorkloadSource.heldBack): checked, never shown to the LLM. */
  heldBackInputs?: number;
  path?: string;
  correctnessInputs: number;
  performanceInputs: number;
  /**
   * The n of `sized_input(n)` when that made the timed input: every speedup holds at this size (chosen from the original's
   * CPU time per call on a doubling grid, then fixed for the run). Absent with fixed performance inputs.
   */
  timedSizedN?: number;
  /** When an earlier run on this machine chose timedSizedN for the same function and inputs (ISO date-time): reused. */
  timedSizeChosenAt?: string;
  examples: string[];
  originalMutatesArguments: boolean;
  /** The generator the LLM wrote, kept so the user can reuse it as a workload file. */
  generatorSource?: string;
  /** Why the LLM-written generator ran beside the code under test instead of apart from it (WorkloadSummary). */
  generatorBesideCode?: string;
}

export interface BaselineReport {
  secondsPerCall: number;
  /** The runner's clock, as it describes it (e.g. "time.perf_counter_ns (clock_gettime(CLOCK_MONOTONIC), …)"). */
  timer?: string;
  instructions?: number;
  peakMemoryBytes?: number;
  lineProfile?: LineProfile;
  complexity?: { points: ComplexityPoint[]; fit?: PowerLawFit };
}

export interface CandidateResult {
  id: string;
  round: number;
  /** Id of the candidate this one repairs, when it is a repair. */
  repairOf?: string;
  code: string;
  /**
   * Unified diff of the user's file with this candidate applied, exactly as Apply would write it (see
   * candidatePatch.ts); absent when the candidate could not be built or applied.
   */
  diff?: string;
  rationale: string;
  verdict: Verdict;
  /** Why a candidate is incorrect/error/timeout, in words. */
  reason?: string;
  counterexample?: Counterexample;
  /** Inputs on which the candidate behaved exactly like the original (when it did on all of them). */
  inputsChecked?: number;
  speedup?: SpeedupEstimate;
  instructions?: { count: number; ratio: number };
  memory?: { peakBytes: number; ratio: number };
  /** Both the candidate and the original allocate less per call than the runner resolves (bytes): no memory ratio. */
  memoryBelowBytes?: number;
}

export interface EnvironmentReport {
  runner: string;
  sandbox: SandboxKind;
  sandboxWarning?: string;
  instructionCounter: 'perf' | 'valgrind' | 'none';
  instructionCounterDetail?: string;
  timer: string;
  llm?: string;
}

export type Outcome = 'improved' | 'no-significant-improvement' | 'failed' | 'cancelled';

export interface OptimizationReport {
  version: 1;
  target: TargetSummary;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  settings: OptimizeSettings;
  environment: EnvironmentReport;
  workload?: WorkloadReport;
  baseline?: BaselineReport;
  candidates: CandidateResult[];
  outcome: Outcome;
  /** Present when outcome is improved. */
  best?: {
    candidateId: string;
    /** Unified diff of the user's file: the best candidate's own `diff`. */
    diff: string;
    /** The whole file with the best candidate applied. */
    patchedFileText: string;
    lineProfile?: LineProfile;
    /** Time per call at growing input sizes, as for the original (when the inputs can be sized). */
    complexity?: { points: ComplexityPoint[]; fit?: PowerLawFit };
  };
  /** The user's benchmark command before and after the best candidate (when configured). */
  wholeProgram?: WholeProgramReport;
  /** Why the run failed or was cancelled. */
  error?: string;
  tokenUsage: TokenUsage & { requests: number };
  /** Secrets taken out of prompts before they were sent (see redact.ts); absent when there were none. */
  redactions?: RedactionSummary;
  warnings: string[];
}

export type RunStage = 'locate' | 'workload' | 'baseline' | 'round' | 'finish';

export type RunEvent =
  | { type: 'stage'; stage: RunStage; message: string }
  | { type: 'target'; target: TargetSummary }
  | { type: 'environment'; environment: EnvironmentReport }
  | { type: 'workload'; workload: WorkloadReport }
  | { type: 'baseline'; baseline: BaselineReport }
  | { type: 'round-start'; round: number; rounds: number }
  | { type: 'llm-reply'; round: number; usage: TokenUsage; candidates: number; failures: number }
  | { type: 'candidate-start'; id: string; round: number }
  | { type: 'candidate'; candidate: CandidateResult }
  | { type: 'round-end'; round: number; improved: boolean }
  | { type: 'warning'; message: string }
  | { type: 'log'; message: string }
  /** Full prompts and replies, for a trace log (the CLI does not print them). */
  | { type: 'trace'; message: string };

export type RunEventListener = (event: RunEvent) => void;

/** One hot spot of a workload run (`optimize --workload`): its share of the command's time and its own run. */
export interface WorkloadFunctionResult {
  function: string;
  /** Relative to the project root. */
  file: string;
  line: number;
  language: string;
  selfShare: number;
  inclusiveShare: number;
  capturedInputs?: number;
  /** The function's optimization run (absent when it could not start). */
  report?: OptimizationReport;
  /** Why the function has no verified winner in the combined patch (its run failed, or its winner could not be applied). */
  error?: string;
  /** Its winner is part of the combined patch. */
  applied: boolean;
}

/** The whole command before and after the combined patch, interleaved (whole-program mode's measurement). */
export interface EndToEndResult {
  verdict: 'faster' | 'slower' | 'no-difference' | 'error';
  /** Original ÷ patched command time, with its 95% interval. */
  speedup?: number;
  ci?: [number, number];
  runsEach?: number;
  functionsApplied: string[];
  /** What the per-function speedups predict from the functions' shares of the profiled run (Amdahl). */
  predicted: number;
  measurement: WholeProgramReport;
  /** Why the command is not measurably faster although functions are, in shares and speedups. */
  explanation?: string;
}

/** `perfloop optimize --workload`: the hot spots, each one's run, the combined patch and its end-to-end measurement. */
export interface WorkloadOptimizationReport {
  version: 1;
  command: string;
  projectRoot: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  hotspots: HotspotReport;
  /** The hot spots chosen (top N at the minimum share), in rank order. */
  functions: WorkloadFunctionResult[];
  /** The combined patch, one entry per file changed (paths relative to the project root). */
  patch: { file: string; diff: string; patchedFileText: string }[];
  tests?: { command: string; passed: boolean; reason?: string };
  endToEnd?: EndToEndResult;
  /** The combined patch was written into the project (--apply, end to end `faster`, tests passing). */
  applied: boolean;
  /** Why the run stopped short of a measurement, when it did. */
  note?: string;
}
