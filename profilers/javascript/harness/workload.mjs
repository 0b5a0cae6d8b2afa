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
/**
 * CPU seconds of one call, the cheaper of two (the first may pay for compiling): a busy machine stretches wall time, not
 * this. The process's CPU time (Node 20 has no per-thread reading), so a compiler thread's work may add to it.
 */
function cpuSecondsOfCall(program, args) {
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const copy = program.copy(args);
    const start = process.cpuUsage();
    try {
      program.fn(...copy);
    } catch {
      return Infinity;
    }
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1e6);
  }
  return best;
}

/** The original's mean CPU seconds per call over the fixed performance inputs. */
function secondsPerCall(program, calls) {
  return calls.reduce((total, args) => total + Math.min(cpuSecondsOfCall(program, args), 60), 0) / calls.length;
}

/** Argument lists from one of the module's generator functions (given the original's classes), or [] without it. */
async function generated(fn, what, classes, asInstances) {
  if (typeof fn !== 'function') return [];
  try {
    return asInstances(argumentLists(await fn({ ...classes }), `${what}()`));
  } catch (error) {
    if (error instanceof WorkloadError) throw error;
    throw new WorkloadError(`${what}() threw: ${error?.stack ?? error}`);
  }
}

/** The size of inputs never timed: near n but never n (the rule and its reasons: timingCoordinator.ts, "caching"). */
export function freshSize(n, seed) {
  return n >= 2 ? n - 1 - (seed % Math.max(1, Math.floor(n / 50))) : n + 1;
}

/**
 * Loads the workload. `original` is needed to choose the sized input's size when the job does not fix it: sizes double
 * until one call of the original costs perfCallSeconds of CPU time, or as long as one call on the fixed performance inputs when
 * the module has those (timing-dependent, so the runner fixes the size afterwards). With fixed performance inputs the
 * size still matters: timing workers draw inputs of that size they have never seen, to tell a speedup that belongs to
 * the timed inputs (a table of their answers) or a cache from one that belongs to the code (serve.mjs, fresh passes).
 * Generator functions get the original's classes by name (`correctnessInputs({ Cart })`, `sizedInput(n, { Cart })`)
 * to build receivers and other objects with; modules that ignore the argument work as well.
 */
export async function loadWorkload(job, original) {
  const spec = job.workload;
  const asInstances = (lists) => receiversAsInstances(lists, original);
  if (spec.kind === 'json') return { correctness: asInstances(spec.correctness), performance: asInstances(spec.performance), sizedInput: undefined, sizedN: null };
  const module = await importWorkload(spec.sourcePath);
  const correctnessInputs = module.correctnessInputs ?? module.correctness_inputs;
  const performanceInputs = module.performanceInputs ?? module.performance_inputs;
  const sizedInputFn = module.sizedInput ?? module.sized_input;
  if (![correctnessInputs, performanceInputs, sizedInputFn].some((fn) => typeof fn === 'function')) {
    throw new WorkloadError('the workload module must export a function correctnessInputs() (and optionally performanceInputs() and sizedInput(n))');
  }
  let correctness = await generated(correctnessInputs, 'correctnessInputs', original.classes, asInstances);
  const performance = await generated(performanceInputs, 'performanceInputs', original.classes, asInstances);
  if (typeof sizedInputFn !== 'function') {
    if (correctness.length === 0) correctness = performance;
    if (correctness.length === 0) throw new WorkloadError('the workload produced no inputs');
    return { correctness, performance, sizedInput: undefined, sizedN: null };
  }
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
    const target = performance.length > 0 && original ? secondsPerCall(original, performance) : job.perfCallSeconds;
    // A doubling grid and CPU time: n moves between runs only when the cost lies within the noise of a grid point.
    while (n < job.maxSizedN && original && cpuSecondsOfCall(original, sizedInput(n)) < target) n *= 2;
    n = Math.min(n, job.maxSizedN);
  }
  if (correctness.length === 0) correctness = [1, 2, 3, 5, 8, 13, 64].map((size) => sizedInput(size));
  const timedSizedN = performance.length > 0 ? undefined : n;
  return { correctness, performance: performance.length > 0 ? performance : [sizedInput(n)], sizedInput, sizedN: n, timedSizedN };
}
