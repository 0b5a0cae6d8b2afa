/**
 * Hot spots of a whole workload (`perfloop profile -- COMMAND`): where the time of the user's command goes, by function
 * of their project. The language-neutral part; each language's profiler (a WorkloadProfiler) says how to make its
 * processes record their functions' times and how to read what they recorded.
 */

/** One function's times in one or more processes of the command, as a language's profiler recorded them. */
export interface FunctionTimes {
  language: string;
  /** Absolute path of the source file. */
  file: string;
  /** The line the function's definition starts on (its first decorator's, in Python). */
  line: number;
  /** Qualified as the language names it: `Store.find_dupes`, `Cart.total`. */
  qualname: string;
  /** Unknown to a sampling profiler (V8's). */
  calls?: number;
  /** Time in the function itself, plus the library code it calls directly (the user's choice to spend it). */
  selfSeconds: number;
  /** Time from entry to return, callees included (recursion counted once). */
  inclusiveSeconds: number;
  /** Set when the two are shares of the program's instructions (callgrind), not seconds. */
  unit?: 'instruction-share';
}

export interface RecordedProfile {
  /** Processes of this language that wrote a profile. */
  processes: number;
  functions: FunctionTimes[];
}

/** A function whose real arguments a capture run records. */
export interface CaptureTarget {
  file: string;
  line: number;
  qualname: string;
}

/** What a capture run kept of one function's calls in one process. */
export interface CapturedCalls extends CaptureTarget {
  calls: number;
  /** Rough sizes of the kept inputs (items in containers), the smallest first. */
  sizes: number[];
  /** The kept inputs, in the language's own serialisation, one file per process. */
  dataFile: string;
  /** Why some calls could not be kept (an open file, a generator): said per function. */
  failure?: string;
}

export interface CapturedModuleFacts {
  /** The data files' names, in the order the module reads them, in `folder` (absolute), where the module is written too. */
  files: string[];
  folder: string;
  file: string;
  qualname: string;
  command: readonly string[];
  capturedAt: string;
  /** Positions, in the calls read in that order, of the performance inputs (captureStore.ts, capturedRoles). */
  performance: number[];
}

/** An inputs module (README, "Inputs") that reads one function's captured calls, written beside them for later runs. */
export interface CapturedInputsModule {
  fileName: string;
  source(capture: CapturedModuleFacts): string;
}

export interface WorkloadProfiler {
  language: string;
  /** The languages its functions are in (one profiler serves JavaScript and TypeScript). */
  languages: readonly string[];
  /**
   * Recording the arguments of chosen functions in a run of their own (a profiler's hooks would distort the times),
   * for the languages that can: the arguments are copied at entry, before the function can change them.
   */
  capture?: {
    environment(outDir: string, targets: readonly CaptureTarget[], inherited: Readonly<Record<string, string | undefined>>): Record<string, string>;
    read(outDir: string): Promise<CapturedCalls[]>;
    /** How later runs read the captured calls, when the language's inputs modules can. */
    inputsModule?: CapturedInputsModule;
  };
  /**
   * The command to run instead, when this profiler must wrap it (callgrind runs the program itself); undefined when the
   * command is not one it profiles.
   */
  wrap?(command: readonly string[], outDir: string, projectRoot: string): string[] | undefined;
  /** Environment variables that make every process of this language the command starts record its project functions. */
  environment(outDir: string, projectRoot: string, inherited: Readonly<Record<string, string | undefined>>): Record<string, string>;
  /** What the command's processes recorded in outDir, the project's functions only. */
  read(outDir: string, projectRoot: string): Promise<RecordedProfile>;
}

export interface Hotspot {
  language: string;
  /** Qualified name, with its class for a method. */
  function: string;
  /** Relative to the project root. */
  file: string;
  line: number;
  /** Shares of the profiled run's wall time, 0..1. */
  inclusiveShare: number;
  selfShare: number;
  /** Calls and time per call, where the language's profiler counts calls (Python's does, V8's samples). */
  calls?: number;
  secondsPerCall?: number;
  /** Inputs captured from the run and stored under .perfloop/captures (captured functions only). */
  capturedInputs?: number;
  /** What could not be captured, or why nothing was. */
  captureNote?: string;
}

export interface HotspotReport {
  command: string[];
  projectRoot: string;
  /** The command's wall time without the profiler, and with it. */
  wallSeconds: number;
  profiledWallSeconds: number;
  /** Profiled ÷ plain run, one run each: the profiler's cost on this workload, in CPU time where the system says it. */
  profilerOverhead: number;
  overheadBasis: 'cpu' | 'wall';
  /** Processes that wrote a profile, by language. */
  processes: Record<string, number>;
  /** Ranked by self share (the function's own time and its library calls'), the largest first. */
  hotspots: Hotspot[];
  /** The manifest of the captured inputs (relative to the project root), when any were captured. */
  captureManifest?: string;
}
