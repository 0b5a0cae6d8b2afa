/**
 * Equivalence judged outside the judged: each side's worker runs every input in its own process and reports what each
 * call did (`CallOutcome`, values as snapshots); this module compares the two reports. The rules are those every runner
 * had in its own harness: exceptions by type, then return values, then the arguments after the call (mutation), then
 * what was printed; the smallest failing input is the counterexample.
 */
import { z } from 'zod';
import type { Counterexample, EquivalenceResult } from '../runner.js';
import { compareSnapshots, parseSnapshot, type SnapDifference } from './snapshot.js';

export const callOutcome = z.object({
  set: z.enum(['correctness', 'performance']),
  index: z.number().int().nonnegative(),
  status: z.enum(['returned', 'raised', 'timeout']),
  /** The call raised something after which the program is broken rather than different (SystemExit, RecursionError…). */
  fatal: z.boolean().optional(),
  /** Snapshot (JSON text) of the returned value. */
  value: z.string().optional(),
  /** Snapshot (JSON text) of the arguments after the call: a list of the positional ones, then a map of keyword ones. */
  args: z.string(),
  error: z.object({ type: z.string(), message: z.string() }).optional(),
  stdout: z.string(),
  seconds: z.number().nonnegative(),
  /** The worker's own rendering of the value and of the arguments after the call, for the report only. */
  valueRepr: z.string().optional(),
  argsRepr: z.string(),
  /** The arguments before the call and their size measure (the original's report is the one used). */
  input: z.string(),
  inputSize: z.number().nonnegative(),
});
export type CallOutcome = z.infer<typeof callOutcome>;

export const outcomesData = z.object({
  outcomes: z.array(callOutcome),
  /** Containers of the program's module that grew while it ran (a result cache), as the worker saw them. */
  stateGrowth: z.array(z.object({ name: z.string(), before: z.number(), after: z.number() })).default([]),
  /** Some result was lazy (an iterator, a promise) and was finished by the worker. */
  lazyResults: z.boolean().default(false),
  /** A digest of the inputs the worker made: both sides must have made the same. */
  inputsDigest: z.string(),
});
export type OutcomesData = z.infer<typeof outcomesData>;

/** Per-input time limits for the candidate: this many times the original's time on the input, with a floor. */
export const CANDIDATE_SLOWDOWN_ALLOWED = 20;
export const CANDIDATE_FLOOR_SECONDS = 2;

export function candidateLimits(original: OutcomesData, limitSeconds: number): number[] {
  return original.outcomes.map((o) => Math.min(limitSeconds, Math.max(CANDIDATE_FLOOR_SECONDS, CANDIDATE_SLOWDOWN_ALLOWED * o.seconds)));
}

/**
 * Positions of correctness inputs held back from every prompt (WorkloadSource.heldBack): they are checked like the
 * others, but a reason names them without their values.
 */
export type HeldBack = ReadonlySet<number>;

export function isHeldBack(heldBack: HeldBack | undefined, set: string, index: number): boolean {
  return set === 'correctness' && heldBack?.has(index) === true;
}

function where(o: CallOutcome, heldBack?: HeldBack): string {
  return isHeldBack(heldBack, o.set, o.index) ? `held-back ${o.set} input ${o.index}` : `${o.set} input ${o.index} ${truncate(o.input, 300)}`;
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 3)}...`;
}

function describe(o: CallOutcome): string {
  if (o.status === 'timeout') return `timed out after ${o.seconds.toFixed(2)} s`;
  if (o.status === 'raised') return `raised ${o.error?.type ?? 'an exception'}${o.error?.message ? `: ${o.error.message}` : ''}`;
  return `returned ${o.valueRepr ?? '?'}`;
}

interface Mismatch extends Counterexample {
  index: number;
}

function firstDifference(difference: SnapDifference): string {
  return truncate(`${difference.path}: ${difference.expected} vs ${difference.actual}`, 190);
}

/**
 * Return values the user's `equal(a, b)` hook (in their inputs module) declared equal where the snapshots differ, by
 * outcome index: see sameReturns in sideBySide.ts for where the hook runs.
 */
export type AcceptedReturns = ReadonlySet<number>;

/** The first way the candidate's behaviour on one input differs from the original's, or undefined. */
function mismatch(
  expected: CallOutcome,
  actual: CallOutcome,
  tolerance: number,
  returnAccepted = false,
): Omit<Counterexample, 'input' | 'inputSize'> | undefined {
  const raised = (o: CallOutcome) => o.status === 'raised';
  if (raised(expected) || raised(actual)) {
    if (raised(expected) !== raised(actual) || expected.error?.type !== actual.error?.type) {
      return { kind: 'exception', expected: describe(expected), actual: describe(actual) };
    }
  } else if (!returnAccepted) {
    const difference = compareSnapshots(
      parseSnapshot(expected.value ?? 'null', 'the original'),
      parseSnapshot(actual.value ?? 'null', 'the candidate'),
      tolerance,
    );
    if (difference) {
      return { kind: 'return', expected: truncate(describe(expected), 500), actual: `${truncate(describe(actual), 300)}; first difference: ${firstDifference(difference)}` };
    }
  }
  const argsDifference = compareSnapshots(parseSnapshot(expected.args, 'the original'), parseSnapshot(actual.args, 'the candidate'), tolerance, 'arguments');
  if (argsDifference) {
    return {
      kind: 'mutation',
      expected: `arguments after the call: ${truncate(expected.argsRepr, 480)}`,
      actual: `arguments after the call: ${truncate(actual.argsRepr, 280)}; first difference: ${firstDifference(argsDifference)}`,
    };
  }
  if (expected.stdout !== actual.stdout) {
    return { kind: 'stdout', expected: `printed ${truncate(JSON.stringify(expected.stdout), 480)}`, actual: `printed ${truncate(JSON.stringify(actual.stdout), 480)}` };
  }
  return undefined;
}

/**
 * The verdict on two workers' reports. `original` covers every input; `candidate` may stop early (a timeout, or a crash
 * whose cause the caller reports). A candidate that keeps results between calls (its containers grew, the original's
 * did not) is rejected: repeated timing would measure its cache.
 */
export function judgeOutcomes(
  original: OutcomesData,
  candidate: OutcomesData,
  tolerance: number,
  { accepted, heldBack }: { accepted?: AcceptedReturns; heldBack?: HeldBack } = {},
): EquivalenceResult {
  if (original.inputsDigest !== candidate.inputsDigest) {
    return {
      status: 'error',
      reason:
        "the workload made different inputs in the original's process and in the candidate's: it must be deterministic " +
        '(seed what it draws at random; Perfloop seeds `random` in Python and Math.random in JavaScript)',
    };
  }
  let checked = 0;
  let mismatches = 0;
  // The counterexample is the smallest failing input the LLM may see; a held-back one only when no shown input fails.
  let smallest: Mismatch | undefined;
  let smallestHeldBack: Mismatch | undefined;
  for (const [i, expected] of original.outcomes.entries()) {
    if (expected.status === 'timeout') return { status: 'error', reason: `the original timed out on ${where(expected, heldBack)}` };
    const actual = candidate.outcomes[i];
    if (!actual) break;
    if (actual.set !== expected.set || actual.index !== expected.index) {
      return { status: 'error', reason: `the candidate's report does not follow the inputs (item ${i} is ${actual.set} input ${actual.index})` };
    }
    checked++;
    if (actual.status === 'timeout') {
      return {
        status: 'timeout',
        reason: `the candidate ran longer than ${actual.seconds.toFixed(1)} s (the original took ${expected.seconds.toFixed(3)} s) on ${where(expected, heldBack)}`,
      };
    }
    const hidden = isHeldBack(heldBack, expected.set, expected.index);
    if (actual.fatal && actual.error?.type !== expected.error?.type) {
      const what = hidden ? `raised ${actual.error?.type ?? 'an exception'}` : describe(actual);
      return { status: 'error', reason: `the candidate ${what} on ${where(expected, heldBack)}`, ...(hidden ? {} : { detail: `the original ${describe(expected)}` }) };
    }
    const difference = mismatch(expected, actual, tolerance, accepted?.has(i));
    if (!difference) continue;
    mismatches++;
    const found: Mismatch = { ...difference, input: truncate(expected.input, 500), inputSize: expected.inputSize, index: i, ...(hidden ? { heldBack: true } : {}) };
    if (hidden) {
      if (!smallestHeldBack || expected.inputSize < smallestHeldBack.inputSize) smallestHeldBack = found;
    } else if (!smallest || expected.inputSize < smallest.inputSize) {
      smallest = found;
    }
  }
  const shown = smallest ?? smallestHeldBack;
  if (shown) {
    const { index: _index, ...counterexample } = shown;
    return { status: 'different', inputsChecked: checked, mismatches, counterexample };
  }
  if (checked < original.outcomes.length) {
    return { status: 'error', reason: `the candidate's report stops after ${checked} of ${original.outcomes.length} inputs` };
  }
  const grown = candidate.stateGrowth.filter((g) => g.after > g.before);
  if (grown.length > 0 && !original.stateGrowth.some((g) => g.after > g.before)) {
    const [first] = grown;
    return {
      status: 'error',
      reason:
        `the candidate keeps state across calls (${first?.name} grew from ${first?.before} to ${first?.after} entries while it ran); ` +
        'results cached between calls make repeated timing measure cache hits, so this is not allowed',
    };
  }
  return { status: 'equivalent', inputsChecked: checked };
}

/** Outcomes where both sides returned values whose snapshots differ: the ones a user's `equal(a, b)` hook may accept. */
export function differingReturns(original: OutcomesData, candidate: OutcomesData, tolerance: number): number[] {
  const found: number[] = [];
  for (const [i, expected] of original.outcomes.entries()) {
    const actual = candidate.outcomes[i];
    if (!actual || expected.status !== 'returned' || actual.status !== 'returned') continue;
    if (mismatch(expected, actual, tolerance)?.kind === 'return') found.push(i);
  }
  return found;
}
