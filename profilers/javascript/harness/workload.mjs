// The inputs of a job: JSON argument lists, or a generator module exporting correctnessInputs() and sizedInput(n).
import { pathToFileURL } from 'node:url';
import { receiversAsInstances } from './program.mjs';

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

/** Seconds of one call of the program on args (a copy), or Infinity when it throws: used to pick a performance size. */
function secondsOfOneCall(program, args) {
  const copy = program.copy(args);
  const start = process.hrtime.bigint();
  try {
    program.fn(...copy);
  } catch {
    return Infinity;
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * Loads the workload. `original` is needed to choose the sized input's size when the job does not fix it: sizes double
 * until one call of the original takes perfCallSeconds (timing-dependent, so the runner fixes the size afterwards).
 * Generator functions get the original's classes by name (`correctnessInputs({ Cart })`, `sizedInput(n, { Cart })`)
 * to build receivers and other objects with; modules that ignore the argument work as well.
 */
export async function loadWorkload(job, original) {
  const spec = job.workload;
  const asInstances = (lists) => receiversAsInstances(lists, original);
  if (spec.kind === 'json') return { correctness: asInstances(spec.correctness), performance: asInstances(spec.performance), sizedInput: undefined, sizedN: null };
  const module = await importWorkload(spec.sourcePath);
  const correctnessInputs = module.correctnessInputs ?? module.correctness_inputs;
  const sizedInputFn = module.sizedInput ?? module.sized_input;
  if (typeof correctnessInputs !== 'function') throw new WorkloadError('the workload module must export a function correctnessInputs()');
  let correctness;
  try {
    correctness = asInstances(argumentLists(await correctnessInputs({ ...original.classes }), 'correctnessInputs()'));
  } catch (error) {
    if (error instanceof WorkloadError) throw error;
    throw new WorkloadError(`correctnessInputs() threw: ${error?.stack ?? error}`);
  }
  if (typeof sizedInputFn !== 'function') return { correctness, performance: [], sizedInput: undefined, sizedN: null };
  const sizedInput = (n) => {
    try {
      return asInstances(argumentLists([sizedInputFn(n, { ...original.classes })], `sizedInput(${n})`))[0];
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
