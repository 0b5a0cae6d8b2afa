// `workload` mode: what the inputs are and how the original behaves on them (comparing two sides is outcomes.mjs's and
// Perfloop's: each side runs in a process of its own).
import { deepEqual, repr } from './compare.mjs';
import { describeThrown, invoke, thrownKind } from './calls.mjs';
import { labelled, reportProgress } from './outcomes.mjs';

export async function checkWorkload(job, original, inputs) {
  let mutates = false;
  let raised = 0;
  let performanceRaised = 0;
  let firstRaised;
  const calls = labelled(inputs);
  for (const { set, index, args } of calls) {
    reportProgress(job, 'original', set, index, args);
    const outcome = await invoke(original.fn, original.copy(args));
    if (outcome.threw) {
      raised++;
      // Perfloop refuses an original that throws on every input (or every timed one): nothing would be compared or timed
      // but the failure, so the first one is named with its cause.
      if (set === 'performance') performanceRaised++;
      firstRaised ??= {
        type: thrownKind(outcome.error),
        message: describeThrown(outcome.error).split(': ').slice(1).join(': ').slice(0, 300),
        set, index, input: repr(args, 200),
      };
    }
    if (!deepEqual(outcome.args, args, 0)) mutates = true;
  }
  return {
    correctnessCount: inputs.correctness.length,
    performanceCount: inputs.performance.length,
    sizeable: inputs.sizedInput !== undefined,
    ...(inputs.timedSizedN ? { timedSizedN: inputs.timedSizedN } : {}),
    examples: inputs.correctness.slice(0, 3).map((args) => repr(args, 200)),
    originalMutatesArguments: mutates,
    originalRaisedOn: raised,
    callsChecked: calls.length,
    performanceRaisedOn: performanceRaised,
    ...(firstRaised ? { firstRaised } : {}),
  };
}
