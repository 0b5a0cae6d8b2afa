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

/** A value wrong in the environment: the message names the variable, its value and what it should be. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * One check per kind of value, shared by flags and environment variables so both say the same: `expected` completes
 * "--rounds must be …" and "PERFLOOP_ROUNDS=abc is not …".
 */
export interface ValueRule<T> {
  expected: string;
  /** The value, or undefined when `raw` is not one. */
  parse(raw: string): T | undefined;
}

export const positiveInt: ValueRule<number> = {
  expected: 'a positive integer',
  parse: (raw) => {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isInteger(n) && n >= 1 ? n : undefined;
  },
};

export const fraction: ValueRule<number> = {
  expected: 'a number in [0, 1), e.g. 0.05 for 5%',
  parse: (raw) => {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) && n >= 0 && n < 1 ? n : undefined;
  },
};

export const positiveSeconds: ValueRule<number> = {
  expected: 'a positive number of seconds',
  parse: (raw) => {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) && n > 0 ? n : undefined;
  },
};

export const httpUrl: ValueRule<string> = {
  expected: 'an http(s) URL, e.g. http://127.0.0.1:11434/v1',
  parse: (raw) => {
    try {
      return ['http:', 'https:'].includes(new URL(raw).protocol) ? raw : undefined;
    } catch {
      return undefined;
    }
  },
};

/** 0/1, and the words people write for them. */
export const onOff: ValueRule<boolean> = {
  expected: 'one of 0, 1 (or false, true, off, on, no, yes)',
  parse: (raw) => {
    const word = raw.trim().toLowerCase();
    if (['1', 'true', 'on', 'yes'].includes(word)) return true;
    if (['0', 'false', 'off', 'no'].includes(word)) return false;
    return undefined;
  },
};

export function choice<T extends string>(choices: readonly T[]): ValueRule<T> {
  return {
    expected: `one of ${choices.join(', ')}`,
    parse: (raw) => ((choices as readonly string[]).includes(raw) ? (raw as T) : undefined),
  };
}

/** A commander argument parser for `flag`. */
export function flagValue<T>(flag: string, rule: ValueRule<T>) {
  return (raw: string): T => {
    const value = rule.parse(raw);
    if (value === undefined) throw new InvalidArgumentError(`${flag} must be ${rule.expected}.`);
    return value;
  };
}

/** The variable's value; undefined when unset or empty; a ConfigError naming it when it is not valid. */
export function envValue<T>(env: Env, name: string, rule: ValueRule<T>): T | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = rule.parse(raw);
  if (value === undefined) throw new ConfigError(`${name}=${raw} is not ${rule.expected}.`);
  return value;
}

export const parsePositiveInt = (flag: string) => flagValue(flag, positiveInt);
export const parseFraction = (flag: string) => flagValue(flag, fraction);

export function parseLines(value: string): { start: number; end: number } {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('--lines takes A-B, e.g. 12-30 (1-based, inclusive).');
  const start = Number(match[1]);
  const end = Number(match[2] ?? match[1]);
  if (start < 1 || end < start) throw new InvalidArgumentError(`--lines ${value}: need 1 ≤ A ≤ B.`);
  return { start, end };
}

export const sandboxMode = choice<SandboxMode>(['auto', 'bwrap', 'unshare', 'none']);
export const counterPreference = choice<CounterPreference>(['auto', 'time', 'instructions']);
export const parseSandbox = flagValue('--sandbox', sandboxMode);
export const parseCounters = flagValue('--counters', counterPreference);

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

/** Flags over PERFLOOP_* environment variables over defaults. A variable no flag overrides must be valid (ConfigError). */
export function settingsFrom(flags: SettingFlags, env: Env): Partial<OptimizeSettings> {
  const settings: Partial<OptimizeSettings> = {};
  const rounds = flags.rounds ?? envValue(env, 'PERFLOOP_ROUNDS', positiveInt);
  const candidates = flags.candidates ?? envValue(env, 'PERFLOOP_CANDIDATES', positiveInt);
  const jobs = flags.jobs ?? envValue(env, 'PERFLOOP_JOBS', positiveInt);
  const noise = flags.noiseThreshold ?? envValue(env, 'PERFLOOP_NOISE_THRESHOLD', fraction);
  const samples = flags.samples ?? envValue(env, 'PERFLOOP_SAMPLES', positiveInt);
  const sandbox = flags.sandbox ?? envValue(env, 'PERFLOOP_SANDBOX', sandboxMode);
  const counters = flags.counters ?? envValue(env, 'PERFLOOP_COUNTERS', counterPreference);
  const timeout = flags.timeout ?? envValue(env, 'PERFLOOP_TIMEOUT', positiveInt);
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

export interface LlmFlags {
  baseUrl?: string;
  model?: string;
  temperature?: number;
  /** Seconds. */
  requestTimeout?: number;
}

export function llmConfigFrom(flags: LlmFlags, env: Env): LlmConfig {
  const apiKey = env.PERFLOOP_API_KEY || env.OPENAI_API_KEY || undefined;
  const baseURL = flags.baseUrl || envValue(env, 'PERFLOOP_BASE_URL', httpUrl) || envValue(env, 'OPENAI_BASE_URL', httpUrl) || OPENAI_DEFAULT_BASE_URL;
  const model = flags.model || env.PERFLOOP_MODEL || DEFAULT_MODEL;
  const requestTimeout = flags.requestTimeout ?? envValue(env, 'PERFLOOP_REQUEST_TIMEOUT', positiveSeconds);
  const config: LlmConfig = { baseURL, model };
  if (apiKey) config.apiKey = apiKey;
  if (flags.temperature !== undefined) config.temperature = flags.temperature;
  if (requestTimeout !== undefined) config.timeoutMs = Math.round(requestTimeout * 1000);
  return config;
}
