// `workload` mode: what the inputs are and how the original behaves on them (comparing two sides is outcomes.mjs's and
// Perfloop's: each side runs in a process of its own).
import { deepEqual, repr } from './compare.mjs';
import { invoke } from './calls.mjs';
import { labelled, reportProgress } from './outcomes.mjs';

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
