/**
 * Times a PIE pair the way whole-program mode times a candidate (optimizer/projectCommands.ts): a project of one file
 * and its input, the benchmark command fed the input on stdin, measureCommandPair on a copy before and after the patch
 * (hyperfine when installed, else the built-in timer, in the sandbox; both interleave the versions), then
 * commandPairSpeedup, the estimate the optimizer uses. The naive baseline
 * reads the same run: the first timed run of each side, called faster above a 5% ratio.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SandboxKind } from '../../profilers/sandbox/types.js';
import { median } from '../../profilers/stats/descriptive.js';
import { classifySpeedup } from '../../profilers/stats/speedup.js';
import { commandPairSpeedup } from '../../profilers/wholeProgram/commandPairSpeedup.js';
import type { SpeedupEstimate } from '../../profilers/stats/types.js';
import { measureCommandPair, type TimingTool } from '../../profilers/wholeProgram/measureCommandPair.js';

export interface WholeProgramSettings {
  /** Timed runs per side (optimizer/projectCommands.ts: WHOLE_PROGRAM_RUNS unless the user sets benchRuns). */
  runs: number;
  /** Untimed runs per side first (WHOLE_PROGRAM_WARMUP). */
  warmup: number;
  /** Limit for one run of the command. */
  timeoutMs: number;
  noiseThreshold: number;
}

export interface NaiveEstimate {
  /** First timed run of the slow program over the first timed run of the fast one. */
  ratio: number;
  verdict: SpeedupEstimate['verdict'];
}

export interface PairMeasurement {
  tool: TimingTool;
  toolVersion?: string;
  sandbox: SandboxKind;
  command: string;
  /** Seconds per timed run, in order: the slow program (original) and the fast one (patched). */
  slowTimes: number[];
  fastTimes: number[];
  estimate: SpeedupEstimate;
  naive: NaiveEstimate;
}

export interface MeasureContext {
  python: string;
  scratchDir: string;
  settings: WholeProgramSettings;
  signal?: AbortSignal;
}

/** One run of each program, a fixed threshold and no interval: what a hurried benchmark does. */
export function naiveEstimate(slowSeconds: number, fastSeconds: number, noiseThreshold: number): NaiveEstimate {
  const ratio = slowSeconds / fastSeconds;
  // A single value is a zero-width interval: the same threshold rule as the engine's, without any noise allowance.
  return { ratio, verdict: classifySpeedup(ratio, ratio, noiseThreshold) };
}

let projectCounter = 0;

/** The benchmark command: the interpreter's own path (a pyenv shim would fork and add its start-up to every run). */
export function benchCommand(python: string): string {
  return `${python} prog.py < input.txt`;
}

export async function measureProgramPair(
  slowProgram: string,
  fastProgram: string,
  input: string,
  context: MeasureContext,
): Promise<PairMeasurement> {
  const projectDir = path.join(context.scratchDir, `project-${++projectCounter}`);
  mkdirSync(projectDir, { recursive: true });
  writeFileSync(path.join(projectDir, 'prog.py'), slowProgram);
  writeFileSync(path.join(projectDir, 'input.txt'), input);
  const command = benchCommand(context.python);
  const { settings } = context;
  const timings = await measureCommandPair({
    command,
    projectDir,
    patch: { relativePath: 'prog.py', newText: fastProgram },
    runs: settings.runs,
    warmup: settings.warmup,
    timeoutMs: settings.timeoutMs,
    sandbox: 'auto',
    tool: 'auto',
    tempParentDir: path.join(context.scratchDir, 'copies'),
    ...(context.signal ? { signal: context.signal } : {}),
  });
  const slowTimes = timings.original.times;
  const fastTimes = timings.patched.times;
  return {
    tool: timings.tool,
    ...(timings.toolVersion ? { toolVersion: timings.toolVersion } : {}),
    sandbox: timings.sandbox,
    command,
    slowTimes,
    fastTimes,
    estimate: commandPairSpeedup(timings, settings.noiseThreshold),
    naive: naiveEstimate(slowTimes[0] as number, fastTimes[0] as number, settings.noiseThreshold),
  };
}

/**
 * The interpreter's start-up through the same command and timer: an empty program measured against itself. Whatever
 * a program does costs this much on top, however little work it has.
 */
export async function measureStartupFloor(context: MeasureContext): Promise<{ seconds: number; times: number[] }> {
  const measured = await measureProgramPair('', '', '', context);
  const times = [...measured.slowTimes, ...measured.fastTimes];
  return { seconds: median(times), times };
}
