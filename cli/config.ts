/**
 * The CLI's configuration: flags first, then environment variables named after the editor settings
 * (`perfloop.baseUrl` ↔ PERFLOOP_BASE_URL), so a configuration means the same thing in both front doors.
 */
import { InvalidArgumentError } from 'commander';
import type { SandboxMode } from '../profilers/sandbox/types.js';
import type { CounterPreference, OptimizeSettings } from '../optimizer/types.js';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_MODEL = 'gpt-4o-mini';

export interface LlmConfig {
  baseURL: string;
  model: string;
  apiKey?: string;
  temperature?: number;
  timeoutMs?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

export function parsePositiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer.`);
    return n;
  };
}

export function parseFraction(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError(`${name} must be a number in [0, 1), e.g. 0.05 for 5%.`);
    return n;
  };
}

export function parseLines(value: string): { start: number; end: number } {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('--lines takes A-B, e.g. 12-30 (1-based, inclusive).');
  const start = Number(match[1]);
  const end = Number(match[2] ?? match[1]);
  if (start < 1 || end < start) throw new InvalidArgumentError(`--lines ${value}: need 1 ≤ A ≤ B.`);
  return { start, end };
}

const SANDBOX_MODES: readonly SandboxMode[] = ['auto', 'bwrap', 'unshare', 'none'];
const COUNTERS: readonly CounterPreference[] = ['auto', 'time', 'instructions'];

export function parseChoice<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`${name} must be one of ${choices.join(', ')}.`);
    return value as T;
  };
}

export const parseSandbox = parseChoice('--sandbox', SANDBOX_MODES);
export const parseCounters = parseChoice('--counters', COUNTERS);

export interface SettingFlags {
  rounds?: number;
  candidates?: number;
  jobs?: number;
  noiseThreshold?: number;
  samples?: number;
  sandbox?: SandboxMode;
  counters?: CounterPreference;
  timeout?: number;
}

/** Flags over PERFLOOP_* environment variables over defaults. Invalid environment values are usage errors too. */
export function settingsFrom(flags: SettingFlags, env: Env): Partial<OptimizeSettings> {
  const fromEnv = <T>(name: string, parse: (v: string) => T): T | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    try {
      return parse(raw);
    } catch (error) {
      throw new InvalidArgumentError(`${name}=${raw}: ${(error as Error).message}`);
    }
  };
  const settings: Partial<OptimizeSettings> = {};
  const rounds = flags.rounds ?? fromEnv('PERFLOOP_ROUNDS', parsePositiveInt('rounds'));
  const candidates = flags.candidates ?? fromEnv('PERFLOOP_CANDIDATES', parsePositiveInt('candidates'));
  const jobs = flags.jobs ?? fromEnv('PERFLOOP_JOBS', parsePositiveInt('jobs'));
  const noise = flags.noiseThreshold ?? fromEnv('PERFLOOP_NOISE_THRESHOLD', parseFraction('noise threshold'));
  const samples = flags.samples ?? fromEnv('PERFLOOP_SAMPLES', parsePositiveInt('samples'));
  const sandbox = flags.sandbox ?? fromEnv('PERFLOOP_SANDBOX', parseSandbox);
  const counters = flags.counters ?? fromEnv('PERFLOOP_COUNTERS', parseCounters);
  const timeout = flags.timeout ?? fromEnv('PERFLOOP_TIMEOUT', parsePositiveInt('timeout (seconds)'));
  if (rounds !== undefined) settings.rounds = rounds;
  if (candidates !== undefined) settings.candidatesPerRound = candidates;
  if (jobs !== undefined) settings.parallelCandidates = jobs;
  if (noise !== undefined) settings.noiseThreshold = noise;
  if (samples !== undefined) settings.timingSamples = Math.max(5, samples);
  if (sandbox !== undefined) settings.sandbox = sandbox;
  if (counters !== undefined) settings.counters = counters;
  if (timeout !== undefined) settings.timeoutMs = timeout * 1000;
  return settings;
}

export function llmConfigFrom(flags: { baseUrl?: string; model?: string; temperature?: number }, env: Env): LlmConfig {
  const apiKey = env.PERFLOOP_API_KEY || env.OPENAI_API_KEY || undefined;
  const baseURL = flags.baseUrl || env.PERFLOOP_BASE_URL || env.OPENAI_BASE_URL || OPENAI_DEFAULT_BASE_URL;
  const model = flags.model || env.PERFLOOP_MODEL || DEFAULT_MODEL;
  const config: LlmConfig = { baseURL, model };
  if (apiKey) config.apiKey = apiKey;
  if (flags.temperature !== undefined) config.temperature = flags.temperature;
  return config;
}
