// The inputs of a job: JSON argument lists, or a generator module exporting correctnessInputs() and sizedInput(n).
import { pathToFileURL } from 'node:url';
import { deepCopy } from './compare.mjs';

export class WorkloadError extends Error {}

function argumentLists(value, what) {
  if (!Array.isArray(value)) throw new WorkloadError(`${what} must return an array of argument lists, got ${typeof value}`);
  value.forEach((args, i) => {
    if (!Array.isArray(args)) throw new WorkloadError(`${what}[${i}] must be an array of arguments (wrap a single argument: [x])`);
  });
  return value;
}

async function importWorkload(sourcePath) {
  try {
    return await import(pathToFileURL(sourcePath).href);
  } catch (error) {
    throw new WorkloadError(`the workload module does not load: ${error?.stack ?? error}`);
  }
}

/** Seconds of one call of fn on args (a copy), or Infinity when it throws: used to pick a performance size. */
function secondsOfOneCall(fn, args) {
  const copy = deepCopy(args);
  const start = process.hrtime.bigint();
  try {
    fn(...copy);
  } catch {
    return Infinity;
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * Loads the workload. `original` is needed to choose the sized input's size when the job does not fix it: sizes double
 * until one call of the original takes perfCallSeconds (timing-dependent, so the runner fixes the size afterwards).
 */
export async function loadWorkload(job, original) {
  const spec = job.workload;
  if (spec.kind === 'json') return { correctness: spec.correctness, performance: spec.performance, sizedInput: undefined, sizedN: null };
  const module = await importWorkload(spec.sourcePath);
  const correctnessInputs = module.correctnessInputs ?? module.correctness_inputs;
  const sizedInputFn = module.sizedInput ?? module.sized_input;
  if (typeof correctnessInputs !== 'function') throw new WorkloadError('the workload module must export a function correctnessInputs()');
  let correctness;
  try {
    correctness = argumentLists(await correctnessInputs(), 'correctnessInputs()');
  } catch (error) {
    if (error instanceof WorkloadError) throw error;
    throw new WorkloadError(`correctnessInputs() threw: ${error?.stack ?? error}`);
  }
  if (typeof sizedInputFn !== 'function') return { correctness, performance: [], sizedInput: undefined, sizedN: null };
  const sizedInput = (n) => {
    try {
      return argumentLists([sizedInputFn(n)], `sizedInput(${n})`)[0];
    } catch (error) {
      if (error instanceof WorkloadError) throw error;
      throw new WorkloadError(`sizedInput(${n}) threw: ${error?.stack ?? error}`);
    }
  };
  let n = job.sizedN;
  if (n === null) {
    n = job.complexityStartSize;
    while (n < job.maxSizedN && original && secondsOfOneCall(original, sizedInput(n)) < job.perfCallSeconds) n *= 2;
    n = Math.min(n, job.maxSizedN);
  }
  return { correctness, performance: [sizedInput(n)], sizedInput, sizedN: n };
}
