/**
 * The user's own commands around a candidate: their test suite as an extra equivalence gate, their benchmark for a
 * whole-program speedup. Both run against temporary copies of the project, in the sandbox.
 */
import { relative, resolve, sep } from 'node:path';
import type { CommandTimings } from '../profilers/wholeProgram/commandTimings.js';
import { commandPairSpeedup } from '../profilers/wholeProgram/commandPairSpeedup.js';
import { measureCommandPair } from '../profilers/wholeProgram/measureCommandPair.js';
import { checkCommandOnPatchedCopy, type CommandCheck } from '../profilers/wholeProgram/projectCommand.js';
import type { FilePatch } from '../profilers/wholeProgram/projectCopy.js';
import { RunnerError } from '../profilers/runner.js';
import type { CommandTimingsSummary, OptimizeSettings, ProjectCommands, WholeProgramReport } from './types.js';

/** The file's path inside the project; a file outside it cannot be patched into a copy. */
export function pathInProject(project: ProjectCommands, filePath: string): string {
  const rel = relative(resolve(project.dir), resolve(filePath));
  if (rel.startsWith('..') || rel.startsWith(sep) || rel === '') {
    throw new RunnerError(`${filePath} is not inside the project directory ${project.dir}; pass --project-dir.`);
  }
  return rel;
}

export function runTestCommand(
  project: ProjectCommands,
  filePath: string,
  patchedFileText: string,
  settings: OptimizeSettings,
  signal?: AbortSignal,
): Promise<CommandCheck> {
  return runTestCommandOn(project, [{ relativePath: pathInProject(project, filePath), newText: patchedFileText }], settings, signal);
}

/** The test command (after the build command) on a copy of the project with every file of `patches` written. */
export function runTestCommandOn(project: ProjectCommands, patches: readonly FilePatch[], settings: OptimizeSettings, signal?: AbortSignal): Promise<CommandCheck> {
  if (!project.testCommand) return Promise.resolve({ passed: true, durationMs: 0 });
  return checkCommandOnPatchedCopy(
    project.buildCommand ? `${project.buildCommand} && ${project.testCommand}` : project.testCommand,
    project.dir,
    patches,
    { timeoutMs: settings.timeoutMs * 5, sandbox: settings.sandbox, ...(signal ? { signal } : {}) },
  );
}

function summarise(t: CommandTimings): CommandTimingsSummary {
  return {
    runs: t.times.length,
    meanSeconds: t.mean,
    medianSeconds: t.median,
    stddevSeconds: t.stddev,
    ...(t.maxRssBytes !== undefined ? { maxRssBytes: t.maxRssBytes } : {}),
  };
}

/** Timed runs per version unless the user sets benchRuns, and untimed warm-up runs before them. */
export const WHOLE_PROGRAM_RUNS = 10;
export const WHOLE_PROGRAM_WARMUP = 2;

export async function measureWholeProgram(
  project: ProjectCommands,
  filePath: string,
  patchedFileText: string,
  settings: OptimizeSettings,
  signal?: AbortSignal,
): Promise<WholeProgramReport | undefined> {
  if (!project.benchCommand) return undefined;
  let relativePath: string;
  try {
    relativePath = pathInProject(project, filePath);
  } catch (error) {
    return { command: project.benchCommand, error: (error as Error).message };
  }
  return timeCommandBeforeAfter(project, project.benchCommand, [{ relativePath, newText: patchedFileText }], settings, signal);
}

/** `command` timed on copies of the project before and after `patches`, interleaved; an error is the report's, not thrown. */
export async function timeCommandBeforeAfter(
  project: ProjectCommands,
  command: string,
  patches: readonly FilePatch[],
  settings: OptimizeSettings,
  signal?: AbortSignal,
): Promise<WholeProgramReport> {
  try {
    const timings = await measureCommandPair({
      command,
      projectDir: project.dir,
      patch: patches,
      ...(project.buildCommand ? { buildCommand: project.buildCommand } : {}),
      runs: project.benchRuns ?? WHOLE_PROGRAM_RUNS,
      warmup: WHOLE_PROGRAM_WARMUP,
      timeoutMs: settings.timeoutMs,
      sandbox: settings.sandbox,
      ...(signal ? { signal } : {}),
    });
    return {
      command,
      ...(project.buildCommand ? { buildCommand: project.buildCommand } : {}),
      tool: timings.tool,
      ...(timings.toolVersion ? { toolVersion: timings.toolVersion } : {}),
      original: summarise(timings.original),
      patched: summarise(timings.patched),
      speedup: commandPairSpeedup(timings, settings.noiseThreshold),
    };
  } catch (error) {
    if (signal?.aborted) throw error;
    return { command, error: (error as Error).message };
  }
}
