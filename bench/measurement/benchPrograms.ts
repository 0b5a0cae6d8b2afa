/**
 * The programs the measurement sections time: a repository example (original + its hand-written fast version, with its
 * own inputs) loaded exactly as `perfloop compare` loads them, and a synthetic function whose amount of work is a knob.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { measureSpeedup, type TimedSpeedup } from '../../optimizer/timeCandidate.js';
import { DEFAULT_SETTINGS } from '../../optimizer/types.js';
import { findWorkloadNextTo, readWorkloadFile } from '../../optimizer/workloadFile.js';
import { runnerForFile } from '../../profilers/registry.js';
import type { LanguageRunner, Program, RunOptions, TimingOptions, WorkloadSource } from '../../profilers/runner.js';

export interface BenchPair {
  label: string;
  runner: LanguageRunner;
  original: Program;
  /** The example's fast version, or an identical copy of the original for A/A. */
  candidate: Program;
  workload: WorkloadSource;
  mutatesArguments: boolean;
}

export function runOptions(signal?: AbortSignal): RunOptions {
  return {
    sandbox: DEFAULT_SETTINGS.sandbox,
    timeoutMs: DEFAULT_SETTINGS.timeoutMs,
    floatTolerance: DEFAULT_SETTINGS.floatTolerance,
    ...(signal ? { signal } : {}),
  };
}

/** Perfloop's default timing settings: what a user's run uses. */
export function defaultTiming(signal?: AbortSignal): TimingOptions {
  return { ...runOptions(signal), samples: DEFAULT_SETTINGS.timingSamples, sampleSeconds: DEFAULT_SETTINGS.sampleSeconds };
}

/** A timing verdict exactly as a run makes it: default settings, several process pairs. */
export function timeAsARunDoes(runner: LanguageRunner, original: Program, candidate: Program, workload: WorkloadSource, mutatesArguments: boolean, signal?: AbortSignal): Promise<TimedSpeedup> {
  return measureSpeedup(runner, original, candidate, workload, mutatesArguments, runOptions(signal), DEFAULT_SETTINGS);
}

/**
 * `examples/<file>` and its function, against `fast` (another example file) or, without it, against an identical copy.
 * The inputs are the example's own `<stem>.perfloop.*` module.
 */
export async function loadExamplePair(root: string, file: string, functionName: string, fast?: string, signal?: AbortSignal): Promise<BenchPair> {
  const filePath = path.join(root, 'examples', file);
  const fileText = readFileSync(filePath, 'utf8');
  const runner = runnerForFile(filePath, {}, fileText);
  const target = await runner.extractTarget(fileText, filePath, { functionName });
  const original = runner.originalProgram(target);
  let candidate: Program = { ...original, id: 'candidate' };
  if (fast) {
    const built = await runner.buildCandidate(target, readFileSync(path.join(root, 'examples', fast), 'utf8'), 'candidate');
    if (!built.ok) throw new Error(`examples/${fast}: ${built.reason}`);
    candidate = built.program;
  }
  const workloadPath = findWorkloadNextTo(filePath);
  if (!workloadPath) throw new Error(`examples/${file} has no inputs module next to it`);
  const workload = readWorkloadFile(workloadPath);
  const summary = await runner.checkWorkload(original, workload, runOptions(signal));
  return {
    label: `${file}:${functionName}${fast ? ` vs ${path.basename(fast)}` : ' (A/A)'}`,
    runner,
    original,
    candidate,
    workload,
    mutatesArguments: summary.originalMutatesArguments,
  };
}

/**
 * A Python loop whose work is a knob: `extra` = 0.05 does 5% more iterations of the same body. The slowed copies are the
 * known-size slow-downs of the sensitivity figure; the unslowed one is its reference. The extra iterations go into a
 * value that does not change the result: every copy returns the same checksum, as a candidate must when it is timed.
 */
const KNOB_FUNCTION = (extraIterations: number) => `import itertools


def checksum(data):
    total = 0
    for x in data:
        total = (total * 31 + x) & 0xFFFFFFFF
    spare = 0
    for x in itertools.islice(data, ${extraIterations}):
        spare = (spare * 31 + x) & 0xFFFFFFFF
    return total if spare >= 0 else -1
`;

/** Elements in the performance input of the knob function. */
export const KNOB_INPUT_LENGTH = 20_000;

export function knobProgram(extra: number, id: string): Program {
  return { id, source: KNOB_FUNCTION(Math.round(extra * KNOB_INPUT_LENGTH)), functionName: 'checksum' };
}

/** The knob function's inputs module, written to `dir`. */
export function writeKnobWorkload(dir: string): WorkloadSource {
  const file = path.join(dir, 'checksum.perfloop.py');
  writeFileSync(
    file,
    [
      'def correctness_inputs():',
      '    yield [[]]',
      '    yield [[1, 2, 3]]',
      '',
      'def performance_inputs():',
      `    yield [list(range(${KNOB_INPUT_LENGTH}))]`,
      '',
    ].join('\n'),
  );
  return { kind: 'module', origin: 'user', path: file };
}
