/**
 * The check that makes an instruction count something a verdict can rest on: the results of the calls a candidate's
 * count run counted, serialised in that run (profilers/counters/countedCalls.ts), against the original's from its own
 * count run, here, outside both processes. A candidate shares its process with the harness and can tell when it is being
 * counted (the job, valgrind in its address space, the call stack); without this check it could skip its work only then.
 */
import type { CountedResult } from '../runner.js';
import { compareSnapshots, parseSnapshot, type Snap, type SnapDifference } from './snapshot.js';

export type CountedResultsCheck =
  | { status: 'same' }
  /** The candidate's counted calls left something else than the original's on `index` (or `index` -1: another number of results). */
  | { status: 'different'; index: number; difference: SnapDifference }
  /**
   * Return values differ beyond the float tolerance while the user's `equal(a, b)` might accept them: this check cannot
   * ask it, so it cannot tell which. The count must then make no claim.
   */
  | { status: 'undecided'; index: number; difference: SnapDifference };

export interface CountedResultsOptions {
  tolerance: number;
  /** The workload may define `equal(a, b)` (a workload module), which decides on return values that differ as snapshots. */
  userEqual: boolean;
}

/** Compares two snapshot texts; a text that does not parse differs (the candidate's process wrote it). */
function compareTexts(expected: string, actual: string, tolerance: number, path: string): SnapDifference | undefined {
  let x: Snap;
  let y: Snap;
  try {
    x = parseSnapshot(expected, 'the original');
    y = parseSnapshot(actual, 'the candidate');
  } catch (error) {
    return { path, expected: 'a readable snapshot', actual: (error as Error).message };
  }
  return compareSnapshots(x, y, tolerance, path);
}

export function checkCountedResults(original: CountedResult[], candidate: CountedResult[], opts: CountedResultsOptions): CountedResultsCheck {
  if (original.length !== candidate.length) {
    return {
      status: 'different',
      index: -1,
      difference: { path: 'results', expected: `${original.length} results`, actual: `${candidate.length} results` },
    };
  }
  for (const [index, expected] of original.entries()) {
    const actual = candidate[index] as CountedResult;
    if (expected.value === actual.value && expected.args === actual.args) continue;
    const args = expected.args === actual.args ? undefined : compareTexts(expected.args, actual.args, opts.tolerance, 'arguments');
    if (args) return { status: 'different', index, difference: args };
    const value = expected.value === actual.value ? undefined : compareTexts(expected.value, actual.value, opts.tolerance, 'result');
    if (value) return { status: opts.userEqual ? 'undecided' : 'different', index, difference: value };
  }
  return { status: 'same' };
}
