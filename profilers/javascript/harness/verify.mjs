// `workload` mode (what the inputs are, how the original behaves on them) and `verify` mode (original vs candidate).
import { writeFileSync } from 'node:fs';
import { deepEqual, repr, sizeOf } from './compare.mjs';
import { describeThrown, invoke, thrownKind } from './calls.mjs';

function reportProgress(job, side, set, index, args) {
  // Read by the runner only when this process dies or is killed: says which input was running.
  writeFileSync(job.progressPath, JSON.stringify({ side, set, index, input: repr(args, 300) }));
}

function labelled(inputs) {
  return [
    ...inputs.correctness.map((args, index) => ({ set: 'correctness', index, args })),
    ...inputs.performance.map((args, index) => ({ set: 'performance', index, args })),
  ];
}

export async function checkWorkload(job, original, inputs) {
  let mutates = false;
  let raised = 0;
  for (const { set, index, args } of labelled(inputs)) {
    reportProgress(job, 'original', set, index, args);
    const outcome = await invoke(original.fn, original.copy(args));
    if (outcome.threw) raised++;
    if (!deepEqual(outcome.args, args, 0)) mutates = true;
  }
  return {
    correctnessCount: inputs.correctness.length,
    performanceCount: inputs.performance.length,
    sizeable: inputs.sizedInput !== undefined,
    examples: inputs.correctness.slice(0, 3).map((args) => repr(args, 200)),
    originalMutatesArguments: mutates,
    originalRaisedOn: raised,
  };
}

/** The first way two outcomes differ, or undefined: exceptions, then return values, then mutation, then output. */
function mismatch(expected, actual, tolerance) {
  if (expected.threw || actual.threw) {
    const kindOf = (o) => (o.threw ? `throws ${describeThrown(o.error)}` : `returns ${repr(o.value)}`);
    if (expected.threw !== actual.threw || thrownKind(expected.error) !== thrownKind(actual.error)) {
      return { kind: 'exception', expected: kindOf(expected), actual: kindOf(actual) };
    }
  } else if (!deepEqual(expected.value, actual.value, tolerance)) {
    return { kind: 'return', expected: repr(expected.value), actual: repr(actual.value) };
  }
  if (!deepEqual(expected.args, actual.args, tolerance)) {
    return { kind: 'mutation', expected: `arguments after the call: ${repr(expected.args)}`, actual: `arguments after the call: ${repr(actual.args)}` };
  }
  if (expected.output !== actual.output) return { kind: 'stdout', expected: repr(expected.output), actual: repr(actual.output) };
  return undefined;
}

export async function verify(job, original, candidate, inputs) {
  let checked = 0;
  let mismatches = 0;
  let smallest;
  for (const { set, index, args } of labelled(inputs)) {
    reportProgress(job, 'original', set, index, args);
    const expected = await invoke(original.fn, original.copy(args));
    reportProgress(job, 'candidate', set, index, args);
    const actual = await invoke(candidate.fn, candidate.copy(args));
    checked++;
    const difference = mismatch(expected, actual, job.floatTolerance);
    if (!difference) continue;
    mismatches++;
    const inputSize = sizeOf(args);
    if (!smallest || inputSize < smallest.inputSize) smallest = { ...difference, input: repr(args), inputSize };
  }
  if (!smallest) return { status: 'equivalent', inputsChecked: checked };
  const { kind, input, expected, actual, inputSize } = smallest;
  return { status: 'different', inputsChecked: checked, mismatches, counterexample: { kind, input, expected, actual, inputSize } };
}
