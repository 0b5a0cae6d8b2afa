/**
 * Every Perfloop setting, declared once: its editor key (`perfloop.<key>`), CLI flag, environment variables, type,
 * default, limits and meaning. The CLI's flags and PERFLOOP_* variables (cli/config.ts), the editor's `perfloop.*`
 * reader (extension/editorSettings.ts) and the README's table are derived from it, and test/unit/settingsContract.test.ts
 * checks package.json against it, so the two front doors cannot drift apart. Where a value lands in a run is decided
 * once too, in runOptions.ts. The API key is not a setting: it lives in the editor's secret storage or the environment.
 */
import type { SandboxMode } from '../../profilers/sandbox/types.js';
import type { CounterPreference } from '../types.js';
import { choice, httpUrl, integerIn, numberIn, onOff, text, type ValueRule } from './valueRules.js';

/** The JSON type package.json declares for the setting. */
export type SettingType = 'integer' | 'number' | 'string' | 'boolean';

export interface SettingSpec<T> {
  type: SettingType;
  rule: ValueRule<T>;
  /** The editor's default, and the value that means "not set" (an empty text leaves the choice to Perfloop). */
  default: T;
  minimum?: number;
  maximum?: number;
  enum?: readonly string[];
  /** The CLI's option as commander declares it (`-r, --rounds <n>`); absent for settings only the editor has. */
  flag?: string;
  /** Only `perfloop optimize` takes the flag (the LLM and its loop); otherwise `compare` takes it too. */
  optimizeOnly?: boolean;
  /** Environment variables the CLI reads when the flag is not given, the first set one winning. */
  env?: readonly string[];
  /** One line: what the setting does. */
  description: string;
  /** The default in words, when the value alone does not say it (e.g. what an empty text means). */
  defaultText?: string;
  /** Names something Perfloop executes or reads: a restricted workspace's own value is ignored (package.json's restrictedConfigurations). */
  restricted?: boolean;
}

type Common = Pick<SettingSpec<unknown>, 'flag' | 'optimizeOnly' | 'env' | 'description' | 'defaultText' | 'restricted'>;

function integer(min: number, max: number, defaultValue: number, spec: Common): SettingSpec<number> {
  return { type: 'integer', rule: integerIn(min, max), default: defaultValue, minimum: min, maximum: max, ...spec };
}

function decimal(min: number, max: number, defaultValue: number, spec: Common): SettingSpec<number> {
  return { type: 'number', rule: numberIn(min, max, String(defaultValue)), default: defaultValue, minimum: min, maximum: max, ...spec };
}

function oneOf<T extends string>(choices: readonly T[], defaultValue: T, spec: Common): SettingSpec<T> {
  return { type: 'string', rule: choice(choices), default: defaultValue, enum: choices, ...spec };
}

function words(spec: Common, rule: ValueRule<string> = text): SettingSpec<string> {
  return { type: 'string', rule, default: '', ...spec };
}

function onOrOff(defaultValue: boolean, spec: Common): SettingSpec<boolean> {
  return { type: 'boolean', rule: onOff, default: defaultValue, ...spec };
}

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_MODEL = 'gpt-4o-mini';

export const PROVIDERS = ['openai-compatible', 'vscode-lm'] as const;
export type ProviderKind = (typeof PROVIDERS)[number];

export const SETTINGS = {
  // Where candidates come from.
  provider: oneOf<ProviderKind>(PROVIDERS, 'openai-compatible', {
    description: 'where candidates come from: an OpenAI-compatible endpoint, or a language model contributed to VS Code (the CLI always uses an endpoint)',
  }),
  baseUrl: words(
    {
      flag: '--base-url <url>',
      optimizeOnly: true,
      env: ['PERFLOOP_BASE_URL', 'OPENAI_BASE_URL'],
      description: 'OpenAI-compatible endpoint',
      defaultText: `\`${DEFAULT_BASE_URL}\``,
    },
    httpUrl,
  ),
  model: words({ flag: '-m, --model <model>', optimizeOnly: true, env: ['PERFLOOP_MODEL'], description: 'model name at that endpoint', defaultText: `\`${DEFAULT_MODEL}\`` }),
  lmModel: words({ description: 'with provider `vscode-lm`: the model family to use (editor only)', defaultText: 'the first available' }),
  temperature: decimal(0, 2, 0.7, { flag: '--temperature <t>', optimizeOnly: true, env: ['PERFLOOP_TEMPERATURE'], description: 'sampling temperature of optimization requests' }),
  requestTimeout: integer(5, 3600, 120, {
    flag: '--request-timeout <seconds>',
    optimizeOnly: true,
    env: ['PERFLOOP_REQUEST_TIMEOUT'],
    description: 'seconds one LLM request may take; a hung or cut-off one is retried once, then reported',
  }),

  // The loop and its measurements.
  rounds: integer(1, 10, 3, { flag: '-r, --rounds <n>', optimizeOnly: true, env: ['PERFLOOP_ROUNDS'], description: 'refinement rounds' }),
  candidates: integer(1, 10, 4, { flag: '-k, --candidates <n>', optimizeOnly: true, env: ['PERFLOOP_CANDIDATES'], description: 'candidates per round' }),
  parallelCandidates: integer(0, 16, 0, {
    flag: '-j, --jobs <n>',
    optimizeOnly: true,
    env: ['PERFLOOP_JOBS'],
    description: 'candidates checked and measured at once; wall-time sampling still runs alone',
    defaultText: '0: one per CPU core, at most 4 (`1`: one after another)',
  }),
  noiseThreshold: decimal(0, 0.5, 0.05, {
    flag: '--noise-threshold <fraction>',
    env: ['PERFLOOP_NOISE_THRESHOLD'],
    description: "speedup the lower bound of the 95% interval must clear to be called faster (0.05 = 5%)",
  }),
  samples: integer(5, 500, 30, { flag: '--samples <n>', env: ['PERFLOOP_SAMPLES'], description: 'interleaved timing sample pairs per candidate' }),
  counters: oneOf<CounterPreference>(['auto', 'time', 'instructions'], 'auto', {
    flag: '--counters <which>',
    env: ['PERFLOOP_COUNTERS'],
    description: 'which measurements decide: wall time with instruction counts when available, wall time only, or instruction counts',
  }),
  sandbox: oneOf<SandboxMode>(['auto', 'bwrap', 'unshare', 'none'], 'auto', {
    flag: '--sandbox <mode>',
    env: ['PERFLOOP_SANDBOX'],
    description: 'how LLM-written code is isolated when it runs',
  }),
  timeout: integer(1, 3600, 60, { flag: '--timeout <seconds>', env: ['PERFLOOP_TIMEOUT'], description: 'wall-clock limit in seconds for one sandboxed process' }),

  // Toolchains.
  pythonPath: words({
    flag: '--python <path>',
    restricted: true,
    env: ['PERFLOOP_PYTHON'],
    description: 'Python interpreter',
    defaultText: "the Python extension's selection in the editor, else `python3` on `PATH`",
  }),
  'native.flags': words({
    flag: '--cflags <flags>',
    restricted: true,
    env: ['PERFLOOP_CFLAGS'],
    description: 'C/C++ compile flags (`-g` is always added)',
    defaultText: "the file's `compile_commands.json` entry, else `-O2`",
  }),
  'native.cCompiler': words({
    flag: '--cc <compiler>',
    restricted: true,
    env: ['PERFLOOP_CC'],
    description: 'C compiler',
    defaultText: '`gcc`, else `clang`',
  }),
  'native.cxxCompiler': words({
    flag: '--cxx <compiler>',
    restricted: true,
    env: ['PERFLOOP_CXX'],
    description: 'C++ compiler, also for the harness of C code',
    defaultText: '`g++`, else `clang++`',
  }),
  'native.sanitizers': onOrOff(true, {
    flag: '--no-sanitizers',
    env: ['PERFLOOP_SANITIZERS'],
    description: 'C/C++: re-check candidates that pass under AddressSanitizer and UBSan',
    defaultText: 'on',
  }),

  // The user's project around the file.
  inputsFile: words({
    flag: '--inputs <file>',
    restricted: true,
    description:
      'inputs: JSON argument lists, `{"correctness": [...], "performance": [...]}`, or an inputs module; relative to the workspace folder (editor) or current directory (CLI)',
    defaultText: 'a `<stem>.perfloop.*` file next to the code, else the LLM writes a generator',
  }),
  projectDir: words({
    flag: '--project-dir <dir>',
    restricted: true,
    env: ['PERFLOOP_PROJECT_DIR'],
    description: 'project root: Python code runs from it as the project imports it, and the test, build and bench commands run in temporary copies of it',
    defaultText: 'found from the file (Python); the workspace folder (editor) or current directory (CLI) for the commands',
  }),
  testCommand: words({
    flag: '--test-command <cmd>',
    restricted: true,
    env: ['PERFLOOP_TEST_COMMAND'],
    description: 'your test command: must pass with a candidate applied before it may count as faster',
    defaultText: 'none',
  }),
  benchCommand: words({
    flag: '--bench-command <cmd>',
    restricted: true,
    env: ['PERFLOOP_BENCH_COMMAND'],
    description: 'your benchmark command: timed before and after the best candidate (whole-program mode; hyperfine when installed)',
    defaultText: 'none',
  }),
  buildCommand: words({
    flag: '--build-command <cmd>',
    restricted: true,
    env: ['PERFLOOP_BUILD_COMMAND'],
    description: 'run once, untimed, in each project copy before the test and bench commands (e.g. `make`)',
    defaultText: 'none',
  }),
  benchRuns: integer(5, 1000, 10, { flag: '--bench-runs <n>', env: ['PERFLOOP_BENCH_RUNS'], description: 'timed runs per side of the bench command' }),

  // The editor alone.
  'codeLens.enabled': onOrOff(true, { description: 'show ⚡ Optimize above functions, and the result of their last run (editor only)', defaultText: 'on' }),
};

export type SettingKey = keyof typeof SETTINGS;
/** Each setting's value, of the type its rule gives. */
export type SettingValues = { [K in SettingKey]: (typeof SETTINGS)[K]['default'] };

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export function editorKey(key: SettingKey): string {
  return `perfloop.${key}`;
}

/** The long flag without its argument (`--rounds`), as errors name it. */
export function longFlag(spec: SettingSpec<unknown>): string | undefined {
  return spec.flag?.match(/--[\w-]+/)?.[0];
}

/** The property commander stores the flag's value under: `--noise-threshold` → `noiseThreshold`, `--no-sanitizers` → `sanitizers`. */
export function flagProperty(spec: SettingSpec<unknown>): string | undefined {
  const flag = longFlag(spec);
  return flag?.slice(2).replace(/^no-/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A value read from either front door, or its default. */
export function valueOf<K extends SettingKey>(values: Partial<SettingValues>, key: K): SettingValues[K] {
  return (values[key] ?? SETTINGS[key].default) as SettingValues[K];
}
