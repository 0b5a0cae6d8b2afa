/**
 * Whole-program mode: times the user's own benchmark command on a copy of the project before and after a candidate's
 * patch. Raw samples only; the caller turns them into a speedup estimate (profilers/stats/speedup.ts).
 */
import type { SandboxKind, SandboxMode } from '../sandbox/types.js';
import { timeWithBuiltinTimer } from './builtinTimer.js';
import { concatTimings, type CommandTimings } from './commandTimings.js';
import { detectHyperfine, timeWithHyperfine } from './hyperfine.js';
import { runProjectCommand, stderrTail } from './projectCommand.js';
import { createProjectCopies, type FilePatch, type ProjectCopies } from './projectCopy.js';

export type TimingTool = 'hyperfine' | 'builtin';

export interface CommandPairRequest {
  /** A shell command, run from the project's root (of each copy). */
  command: string;
  /** Run once in each copy before anything is timed (compiled languages: build the program with the patch applied). */
  buildCommand?: string;
  projectDir: string;
  patch: FilePatch | readonly FilePatch[];
  runs: number;
  warmup: number;
  /** Limit for one run of the command. */
  timeoutMs: number;
  sandbox: SandboxMode;
  signal?: AbortSignal;
  /** `auto` uses hyperfine when it is on PATH; `builtin` forces the built-in timer; `hyperfine` requires hyperfine. */
  tool?: 'auto' | TimingTool;
  env?: Readonly<Record<string, string>>;
  /** Where the temporary copies are made (default: the OS temp directory). Removed afterwards in every case. */
  tempParentDir?: string;
}

/** Both tools interleave the versions: `original.times[i]` and `patched.times[i]` were taken close together. */
export interface CommandPairTimings {
  tool: TimingTool;
  /** hyperfine's version when it was used. */
  toolVersion?: string;
  sandbox: SandboxKind;
  original: CommandTimings;
  patched: CommandTimings;
}

/** The build command, once per copy: its time is not part of the measurement. */
async function buildCopies(request: CommandPairRequest, copies: ProjectCopies): Promise<void> {
  const build = request.buildCommand;
  if (!build) return;
  for (const side of ['original', 'patched'] as const) {
    const result = await runProjectCommand(build, copies[side], { ...request, timeoutMs: Math.max(request.timeoutMs, BUILD_TIMEOUT_MS) });
    if (result.aborted) throw new Error('Measurement aborted.');
    if (result.timedOut) throw new Error(`The build command timed out on the ${side} version.`);
    if (result.exitCode !== 0) {
      const tail = stderrTail(result);
      throw new Error(`The build command failed on the ${side} version (exit ${result.exitCode ?? result.signal}).${tail ? `\n${tail}` : ''}`);
    }
  }
}

const BUILD_TIMEOUT_MS = 300_000;

/** One plain run per side before timing: a failing command is reported with its own stderr, which timers discard. */
async function checkCommandRuns(request: CommandPairRequest, copies: ProjectCopies): Promise<SandboxKind> {
  let kind: SandboxKind = 'none';
  for (const side of ['original', 'patched'] as const) {
    const result = await runProjectCommand(request.command, copies[side], request);
    kind = result.sandbox;
    if (result.aborted) throw new Error('Measurement aborted.');
    if (result.timedOut) throw new Error(`The benchmark command timed out (${request.timeoutMs} ms) on the ${side} version.`);
    if (result.exitCode !== 0) {
      const tail = stderrTail(result);
      throw new Error(
        `The benchmark command failed on the ${side} version (exit ${result.exitCode ?? result.signal}).` +
        (tail ? `\nLast lines of its stderr:\n${tail}` : ' It printed nothing on stderr.'),
      );
    }
  }
  return kind;
}

function requireSuccessfulRuns(side: 'original' | 'patched', timings: CommandTimings): void {
  const failed = timings.exitCodes.filter((code) => code !== 0);
  if (failed.length > 0) {
    throw new Error(`The benchmark command failed on the ${side} version in ${failed.length} timed run(s) (exit ${failed[0]}).`);
  }
}

/** Runs per hyperfine invocation: small blocks, alternated between the versions, keep drift off the comparison. */
export const HYPERFINE_BLOCK_RUNS = 2;

/**
 * hyperfine times one command at a time, so the versions are timed in alternating blocks (O P, P O, O P, …) of
 * HYPERFINE_BLOCK_RUNS runs, rather than all original runs then all patched runs: a load change between two long blocks
 * would otherwise read as a confident speedup (the bench's PIE A/A check caught exactly that). The warm-up runs precede
 * each version's first block only. Run i of both versions lands in the same block round, so the samples pair up.
 */
async function timeInAlternatingBlocks(request: CommandPairRequest, copies: ProjectCopies): Promise<{ original: CommandTimings; patched: CommandTimings }> {
  const blocks = { original: [] as CommandTimings[], patched: [] as CommandTimings[] };
  const common = { command: request.command, scratchDir: copies.scratch, timeoutMs: request.timeoutMs, sandbox: request.sandbox,
    signal: request.signal, env: request.env };
  for (let done = 0, round = 0; done < request.runs; round++) {
    const runs = Math.min(HYPERFINE_BLOCK_RUNS, request.runs - done);
    for (const side of round % 2 === 0 ? (['original', 'patched'] as const) : (['patched', 'original'] as const)) {
      const warmup = round === 0 ? request.warmup : 0;
      blocks[side].push(await timeWithHyperfine({ ...common, runs, warmup, workDir: copies[side], label: side }));
    }
    done += runs;
  }
  return { original: concatTimings(blocks.original), patched: concatTimings(blocks.patched) };
}

export async function measureCommandPair(request: CommandPairRequest): Promise<CommandPairTimings> {
  if (!Number.isInteger(request.runs) || request.runs < 2) throw new Error('Whole-program timing needs at least 2 runs.');
  if (!Number.isInteger(request.warmup) || request.warmup < 0) throw new Error('Warm-up count must be a non-negative integer.');
  const hyperfineVersion = request.tool === 'builtin' ? undefined : await detectHyperfine();
  if (request.tool === 'hyperfine' && !hyperfineVersion) throw new Error('hyperfine was requested but is not on PATH.');

  const copies = createProjectCopies(request.projectDir, request.patch, request.tempParentDir);
  try {
    await buildCopies(request, copies);
    const sandbox = await checkCommandRuns(request, copies);
    let result: CommandPairTimings;
    if (hyperfineVersion) {
      const { original, patched } = await timeInAlternatingBlocks(request, copies);
      result = { tool: 'hyperfine', toolVersion: hyperfineVersion, sandbox, original, patched };
    } else {
      const timings = await timeWithBuiltinTimer({
        command: request.command, originalDir: copies.original, patchedDir: copies.patched, runs: request.runs,
        warmup: request.warmup, timeoutMs: request.timeoutMs, sandbox: request.sandbox, signal: request.signal, env: request.env,
      });
      result = { tool: 'builtin', sandbox, ...timings };
    }
    requireSuccessfulRuns('original', result.original);
    requireSuccessfulRuns('patched', result.patched);
    return result;
  } finally {
    copies.dispose();
  }
}
