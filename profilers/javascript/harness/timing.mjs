// `complexity` mode: time per call at growing sizes (interleaved original/candidate timing is serve.mjs's, one process
// per side, driven by Perfloop).
const MAX_LOOPS = 10_000_000;
// Copies pre-built for one sample when the function mutates its arguments: bounds the memory they take.
const MAX_PREBUILT_CALLS = 100_000;

// Taken once, before any program loads: code under test cannot swap the clock the samples are read from.
const now = process.hrtime.bigint;
const collect = () => globalThis.gc?.();

/**
 * A timing loop compiled separately for each side: one shared loop would see both functions at its call site, turn
 * polymorphic and slow both down by an amount unrelated to either.
 */
function makeSampler(isAsync) {
  const body = `
    let sink;
    const start = now();
    for (let l = 0; l < loops; l++) {
      const batch = batches ? batches[l] : inputs;
      for (let i = 0; i < batch.length; i++) {
        try { sink = ${isAsync ? 'await ' : ''}fn(...batch[i]); } catch { sink = undefined; }
      }
    }
    const elapsed = now() - start;
    globalThis.__perfloopSink = sink;
    return elapsed;`;
  const Constructor = isAsync ? Object.getPrototypeOf(async () => {}).constructor : Function;
  return new Constructor('fn', 'inputs', 'batches', 'loops', 'now', body);
}

async function returnsPromise(program, inputs) {
  try {
    const value = program.fn(...program.copy(inputs[0] ?? []));
    if (value && typeof value.then === 'function') {
      await value.catch(() => undefined);
      return true;
    }
  } catch {
    // Throwing is behaviour, timed like any other.
  }
  return false;
}

/** A sampler of one program: `program.copy` gives each side inputs of its own classes (harness/program.mjs). */
async function makeSide(program, inputs, mutates) {
  const sampler = makeSampler(await returnsPromise(program, inputs));
  // Inputs that are never mutated are shared by all calls; copied once when this side's classes are not theirs.
  const own = !mutates && program.rebinds ? program.copy(inputs) : inputs;
  return async (loops) => {
    const batches = mutates ? Array.from({ length: loops }, () => program.copy(inputs)) : null;
    collect(); // each sample starts from a collected heap; the GC stays on while timing, as in real use
    const elapsed = await sampler(program.fn, own, batches, loops, now);
    return Number(elapsed) / 1e9 / (loops * inputs.length);
  };
}

/** Seconds per call of the program on args: repeated until the measurement lasts long enough to trust, best of three. */
async function secondsPerCall(program, args, mutates, limitSeconds) {
  const sample = await makeSide(program, [args], mutates);
  const first = await sample(1);
  if (first > limitSeconds) return first;
  const loops = Math.max(1, Math.ceil(0.005 / Math.max(first, 1e-9)));
  await sample(Math.min(loops, mutates ? 1000 : MAX_LOOPS)); // untimed: V8 re-tiers for the new input's shapes
  let best = Infinity;
  for (let r = 0; r < 3; r++) best = Math.min(best, await sample(Math.min(loops, mutates ? 1000 : MAX_LOOPS)));
  return best;
}

/**
 * Calls the program for a while on a mid-sized input before any size is timed. Otherwise the smallest sizes run while
 * V8 still interprets the function and look slow next to the larger ones, run optimised: the fitted exponent then
 * comes out too low (a quadratic function read as linear).
 */
async function warmUp(job, program, inputs) {
  const sample = await makeSide(program, [inputs.sizedInput(job.complexityStartSize * 32)], job.mutatesArguments);
  const until = Date.now() + Math.min(500, job.budgetSeconds * 100);
  while (Date.now() < until) {
    if ((await sample(1)) > job.maxSecondsPerCall / 4) break;
  }
}

/** Calls faster than this measure call overhead, not growth (as in the Python harness): they do not count as points. */
const MIN_GROWTH_SECONDS = 50e-6;
const MAX_COMPLEXITY_SIZE = 1 << 24;

export async function measureComplexity(job, program, inputs) {
  if (!inputs.sizedInput) return { points: [] };
  const deadline = Date.now() + job.budgetSeconds * 1000;
  await warmUp(job, program, inputs);
  const points = [];
  const meaningful = () => points.filter((p) => p.seconds >= MIN_GROWTH_SECONDS);
  for (let n = job.complexityStartSize; meaningful().length < job.maxPoints && n <= MAX_COMPLEXITY_SIZE && Date.now() < deadline; n *= 2) {
    const seconds = await secondsPerCall(program, inputs.sizedInput(n), job.mutatesArguments, job.maxSecondsPerCall);
    points.push({ size: n, seconds });
    if (seconds > job.maxSecondsPerCall) break;
  }
  const kept = meaningful();
  return { points: kept.length >= 3 ? kept : points.slice(-job.maxPoints) };
}
