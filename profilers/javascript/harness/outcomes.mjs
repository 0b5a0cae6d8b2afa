// `outcomes` mode: one program (the original or a candidate) on every input, each call's behaviour reported as data —
// the returned value and the arguments after the call as snapshots, what it threw, what it printed. The two sides run in
// separate processes and Perfloop compares their reports (profilers/judge/outcomes.ts).
import { writeFileSync } from 'node:fs';
import { describeThrown, thrownKind, withCapturedConsole } from './calls.mjs';
import { repr, sizeOf } from './compare.mjs';
import { reseedRandom } from './random.mjs';
import { snapshotArguments, snapshotValue } from './snapshot.mjs';

export function reportProgress(job, side, set, index, args) {
  // Read by the runner only when this process dies or is killed: says which input was running.
  writeFileSync(job.progressPath, JSON.stringify({ side, set, index, input: repr(args, 300) }));
}

export function labelled(inputs) {
  return [
    ...inputs.correctness.map((args, index) => ({ set: 'correctness', index, args })),
    ...inputs.performance.map((args, index) => ({ set: 'performance', index, args })),
  ];
}

async function call(fn, args) {
  let lazy = false;
  const started = process.hrtime.bigint();
  const { value, output } = await withCapturedConsole(async () => {
    try {
      let result = fn(...args);
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
        lazy = true;
        result = await result;
      }
      return { threw: false, value: result };
    } catch (error) {
      return { threw: true, error };
    }
  });
  return { ...value, output, lazy, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

export async function runOutcomes(job, side, program, inputs) {
  const outcomes = [];
  let lazyResults = false;
  for (const [checked, { set, index, args }] of labelled(inputs).entries()) {
    const copy = program.copy(args);
    const input = repr(args);
    reportProgress(job, side, set, index, args);
    reseedRandom(job.seed * 7919 + checked); // functions using Math.random see the same stream on both sides
    const outcome = await call(program.fn, copy);
    lazyResults ||= outcome.lazy;
    const record = {
      set, index, input, inputSize: sizeOf(args), stdout: outcome.output, seconds: outcome.seconds,
      args: snapshotArguments(copy), argsRepr: repr(copy),
    };
    if (outcome.threw) {
      record.status = 'raised';
      record.error = { type: thrownKind(outcome.error), message: describeThrown(outcome.error).split(': ').slice(1).join(': ').slice(0, 300) };
    } else {
      record.status = 'returned';
      record.value = snapshotValue(outcome.value, copy);
      record.valueRepr = repr(outcome.value);
    }
    outcomes.push(record);
  }
  return { outcomes, stateGrowth: [], lazyResults };
}
