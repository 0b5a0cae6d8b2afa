/**
 * Where each setting lands in a run, decided once for both front doors: the engine's settings, the runners' toolchain
 * options, the project commands (whole-program mode), the inputs file and the LLM connection. The CLI and the editor
 * only differ in where values come from and what relative paths are relative to.
 */
import { resolve } from 'node:path';
import { splitCommandLine } from '../../profilers/native/nativeBuild.js';
import type { RunnerOptions } from '../../profilers/registry.js';
import type { OptimizeSettings, ProjectCommands } from '../types.js';
import { type SettingKey, type SettingValues } from './settingsTable.js';
import { ConfigError } from './valueRules.js';

export interface LlmSettings {
  /** Absent: the provider's default endpoint. */
  baseUrl?: string;
  model?: string;
  temperature?: number;
  requestTimeoutMs?: number;
}

export interface RunOptions {
  /** Only what was set; the engine's defaults fill the rest. */
  settings: Partial<OptimizeSettings>;
  runner: RunnerOptions;
  /** Present when a test or bench command is set. */
  project?: ProjectCommands;
  /** Absolute path of the inputs file, when one is set. */
  inputsFile?: string;
  llm: LlmSettings;
}

export interface RunContext {
  /** What relative paths are relative to, and the project directory when none is set: the CLI's current directory, the editor's workspace folder. */
  baseDir: string;
  /** How this front door names a setting in a message: `--bench-command` or `perfloop.benchCommand`. */
  nameOf: (key: SettingKey) => string;
}

/** `values` holds what the front door read (unset settings absent); the result holds what the run should use. */
export function runOptionsOf(values: Partial<SettingValues>, context: RunContext): RunOptions {
  const set = <K extends SettingKey>(key: K): SettingValues[K] | undefined => {
    const value = values[key];
    return value === undefined || value === '' ? undefined : (value as SettingValues[K]);
  };
  const settings: Partial<OptimizeSettings> = {};
  const rounds = set('rounds');
  const candidates = set('candidates');
  const jobs = set('parallelCandidates');
  const noise = set('noiseThreshold');
  const samples = set('samples');
  const counters = set('counters');
  const sandbox = set('sandbox');
  const timeout = set('timeout');
  if (rounds !== undefined) settings.rounds = rounds;
  if (candidates !== undefined) settings.candidatesPerRound = candidates;
  if (jobs !== undefined) settings.parallelCandidates = jobs;
  if (noise !== undefined) settings.noiseThreshold = noise;
  if (samples !== undefined) settings.timingSamples = samples;
  if (counters !== undefined) settings.counters = counters;
  if (sandbox !== undefined) settings.sandbox = sandbox;
  if (timeout !== undefined) settings.timeoutMs = timeout * 1000;

  const projectDir = set('projectDir');
  const absoluteProjectDir = projectDir !== undefined ? resolve(context.baseDir, projectDir) : undefined;
  const pythonPath = set('pythonPath');
  const flags = set('native.flags');
  const cCompiler = set('native.cCompiler');
  const cxxCompiler = set('native.cxxCompiler');
  const sanitizers = set('native.sanitizers');
  const runner: RunnerOptions = {
    python: { ...(pythonPath ? { pythonPath } : {}), ...(absoluteProjectDir ? { projectDir: absoluteProjectDir } : {}) },
    native: {
      ...(flags ? { flags: splitCommandLine(flags) } : {}),
      ...(cCompiler ? { cCompiler } : {}),
      ...(cxxCompiler ? { cxxCompiler } : {}),
      ...(sanitizers === false ? { sanitizers } : {}),
    },
  };

  const inputsFile = set('inputsFile');
  const project = projectCommandsOf(values, absoluteProjectDir ?? resolve(context.baseDir), context);
  const baseUrl = set('baseUrl');
  const model = set('model');
  const temperature = set('temperature');
  const requestTimeout = set('requestTimeout');
  return {
    settings,
    runner,
    ...(project ? { project } : {}),
    ...(inputsFile ? { inputsFile: resolve(context.baseDir, inputsFile) } : {}),
    llm: {
      ...(baseUrl ? { baseUrl } : {}),
      ...(model ? { model } : {}),
      ...(temperature !== undefined ? { temperature } : {}),
      ...(requestTimeout !== undefined ? { requestTimeoutMs: requestTimeout * 1000 } : {}),
    },
  };
}

/** Whole-program mode when a bench command is set; a build command or a run count without a command to go with is a mistake. */
function projectCommandsOf(values: Partial<SettingValues>, dir: string, context: RunContext): ProjectCommands | undefined {
  const testCommand = values.testCommand || undefined;
  const benchCommand = values.benchCommand || undefined;
  const buildCommand = values.buildCommand || undefined;
  const benchRuns = values.benchRuns;
  if (!testCommand && !benchCommand) {
    if (buildCommand || benchRuns !== undefined) {
      throw new ConfigError(
        `${context.nameOf('buildCommand')} and ${context.nameOf('benchRuns')} go with ${context.nameOf('testCommand')} or ${context.nameOf('benchCommand')}.`,
      );
    }
    return undefined;
  }
  return {
    dir,
    ...(testCommand ? { testCommand } : {}),
    ...(benchCommand ? { benchCommand } : {}),
    ...(buildCommand ? { buildCommand } : {}),
    ...(benchRuns !== undefined ? { benchRuns } : {}),
  };
}
