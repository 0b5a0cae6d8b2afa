/**
 * The CLI's side of the settings contract (optimizer/settings/settingsTable.ts): each setting's flag, declared on the
 * commands from the table, else its PERFLOOP_* environment variables, else nothing (the defaults apply downstream).
 */
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_BASE_URL, DEFAULT_MODEL, flagProperty, longFlag, SETTING_KEYS, SETTINGS, type SettingKey, type SettingSpec, type SettingValues } from '../optimizer/settings/settingsTable.js';
import type { LlmSettings } from '../optimizer/settings/runOptions.js';
import { ConfigError, type ValueRule } from '../optimizer/settings/valueRules.js';

export interface LlmConfig {
  baseURL: string;
  model: string;
  apiKey?: string;
  temperature?: number;
  timeoutMs?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

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
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = rule.parse(raw);
  if (value === undefined) throw new ConfigError(`${name}=${raw} is not ${rule.expected}.`);
  return value;
}

export function parseLines(value: string): { start: number; end: number } {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('--lines takes A-B, e.g. 12-30 (1-based, inclusive).');
  const start = Number(match[1]);
  const end = Number(match[2] ?? match[1]);
  if (start < 1 || end < start) throw new InvalidArgumentError(`--lines ${value}: need 1 ≤ A ≤ B.`);
  return { start, end };
}

function helpOf(spec: SettingSpec<unknown>): string {
  const limits = spec.enum ? spec.enum.join(' | ') : spec.minimum !== undefined ? `${spec.minimum}–${spec.maximum}` : undefined;
  const defaultText = spec.defaultText ?? String(spec.default);
  const notes = [limits, defaultText ? `default ${defaultText}` : undefined, spec.env?.join(', ')].filter(Boolean).join('; ');
  const what = spec.flag?.includes('--no-') ? `turns off: ${spec.description}` : spec.description;
  return `${what} (${notes})`.replace(/`/g, '');
}

/** Declares the flag of every setting `command` takes, with the table's description, limits and variables. */
export function addSettingOptions(command: Command, which: 'optimize' | 'compare'): Command {
  for (const key of SETTING_KEYS) {
    const spec = SETTINGS[key] as SettingSpec<unknown>;
    if (!spec.flag || (spec.optimizeOnly && which !== 'optimize')) continue;
    if (spec.type === 'boolean') command.option(spec.flag, helpOf(spec));
    else command.option(spec.flag, helpOf(spec), flagValue(longFlag(spec) as string, spec.rule));
  }
  return command;
}

/**
 * The settings given on the command line or in the environment; unset ones are absent. A flag wins over its variables
 * (an invalid variable is then not even read); a set variable must be valid (ConfigError naming it).
 */
export function cliSettingValues(flags: Readonly<Record<string, unknown>>, env: Env): Partial<SettingValues> {
  const values: Partial<Record<SettingKey, unknown>> = {};
  for (const key of SETTING_KEYS) {
    const spec = SETTINGS[key] as SettingSpec<unknown>;
    const property = flagProperty(spec);
    const flagged = property === undefined ? undefined : flags[property];
    // A --no-x flag leaves x true unless given: only false was asked for.
    const given = spec.flag?.includes('--no-') ? (flagged === false ? false : undefined) : flagged;
    const value = given ?? spec.env?.reduce<unknown>((found, name) => found ?? envValue(env, name, spec.rule), undefined);
    if (value !== undefined && value !== '') values[key] = value;
  }
  return values as Partial<SettingValues>;
}

/** How the CLI names a setting in a message: its flag, else its first variable. */
export function cliNameOf(key: SettingKey): string {
  const spec = SETTINGS[key] as SettingSpec<unknown>;
  return longFlag(spec) ?? spec.env?.[0] ?? key;
}

/** The LLM connection: the settings, with the API key from the environment only (never a flag, never a setting). */
export function llmConfigFrom(llm: LlmSettings, env: Env): LlmConfig {
  const apiKey = env.PERFLOOP_API_KEY || env.OPENAI_API_KEY || undefined;
  const config: LlmConfig = { baseURL: llm.baseUrl ?? DEFAULT_BASE_URL, model: llm.model ?? DEFAULT_MODEL };
  if (apiKey) config.apiKey = apiKey;
  if (llm.temperature !== undefined) config.temperature = llm.temperature;
  if (llm.requestTimeoutMs !== undefined) config.timeoutMs = llm.requestTimeoutMs;
  return config;
}
