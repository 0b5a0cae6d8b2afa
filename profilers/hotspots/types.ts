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
}

export interface RecordedProfile {
  /** Processes of this language that wrote a profile. */
  processes: number;
  functions: FunctionTimes[];
}

export interface WorkloadProfiler {
  language: string;
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
}

export interface HotspotReport {
  command: string[];
  projectRoot: string;
  /** The command's wall time without the profiler, and with it. */
  wallSeconds: number;
  profiledWallSeconds: number;
  /** Profiled ÷ plain wall time, one run each: the profiler's cost on this workload (noisy on a busy machine). */
  profilerOverhead: number;
  /** Processes that wrote a profile, by language. */
  processes: Record<string, number>;
  /** Ranked by self share (the function's own time and its library calls'), the largest first. */
  hotspots: Hotspot[];
}
