/**
 * The instruction count of the calls alone, from runs of a harness's `count` mode that differ in one thing each:
 * `calls: 0` (everything but the counted calls), `calls: 1` with `results: true` (the calls, then each result serialised
 * for checking), and, when the serialising cost is not given, `calls: 1` without results.
 *
 * Why the counted run itself serialises its results: the results checked must be those of the calls counted. A program
 * shares the process with its harness and can tell a counted run from a timed one (the job, LD_PRELOAD, the call stack);
 * checked in another run, a candidate could count cheap and check right.
 *
 * Why the original's serialising cost may be subtracted from a candidate's count: results that pass the check are equal
 * (within the float tolerance) to the original's, and equal results take the same work to serialise. A candidate that
 * makes serialising cheaper or dearer (lazy values, a patched serialiser) shifts its count by at most that work, which
 * the check still sees done on the results it returned.
 */
import type { CountOptions, CountedResult, InstructionCount } from '../runner.js';
import type { InstructionCounterKind } from './instructions.js';

export interface CountRunJob {
  calls: 0 | 1;
  /** Serialise each counted call's result after the calls (the harness's `results` field). */
  results: boolean;
}

export interface CountRun {
  count: number;
  results: CountedResult[];
}

export async function countCalls(
  counter: InstructionCounterKind,
  run: (job: CountRunJob) => Promise<CountRun>,
  options: CountOptions = {},
): Promise<InstructionCount> {
  const given = options.serialisingInstructions;
  // Independent processes with deterministic counts: running them side by side only saves wall time.
  const [startup, checked, unchecked] = await Promise.all([
    run({ calls: 0, results: false }),
    run({ calls: 1, results: true }),
    given === undefined ? run({ calls: 1, results: false }) : undefined,
  ]);
  const serialising = given ?? Math.max(0, checked.count - (unchecked as CountRun).count);
  return {
    counter,
    instructions: Math.max(0, checked.count - serialising - startup.count),
    startupInstructions: startup.count,
    results: checked.results,
    ...(given === undefined ? { serialisingInstructions: serialising } : {}),
  };
}
