// `serve` mode: a timing worker. It loads one program and the performance inputs, greets the coordinator on its channel
// (fd 4) and answers one JSON line per request until the channel closes:
//   {"op":"run","loops":L}  prepares L passes over the inputs (copies, a collection); replies {"prepared":true}
//                           ("fresh":true: one pass over inputs of about the same size never used before, when the
//                           workload can make them: how the coordinator tells a cache of results from one-time costs)
//   {"op":"go"}             runs them; replies {"ns": nanoseconds the passes took}
//   {"op":"digest"}         a digest of each input's result in the last pass; replies {"digests":[...]}
//   {"op":"snap","index":i} that result in full; replies {"value": snapshot text, "args": snapshot text}
// The coordinator (profilers/judge/timingCoordinator.ts) drives the original's worker and a candidate's in turn, checks
// the reported times against the kernel's CPU accounting and the results against the other side's. Nothing here is
// trusted: code under test shares this process.
import { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { snapshotArguments, snapshotValue, digest } from './snapshot.mjs';
import { freshSize } from './workload.mjs';

const CHANNEL_FD = 4;
const MAX_LOOPS = 10_000_000;
// Copies pre-built for one sample when the function mutates its arguments: bounds the memory they take.
const MAX_PREBUILT_CALLS = 100_000;

// Taken once, before any program loads.
const now = process.hrtime.bigint;

export class Thrown {
  constructor(error) {
    this.kind = error instanceof Error ? (error.constructor?.name ?? error.name) : `non-Error ${typeof error}`;
  }
}

/**
 * The timing loop, compiled for this process's one function: a returned promise is awaited inside the timed call when
 * the original's results are promises (an async function's work is what it resolves).
 */
function makeSampler(lazy) {
  const body = `
    const start = now();
    for (let l = 0; l < loops; l++) {
      const batch = batches ? batches[l] : inputs;
      for (let i = 0; i < batch.length; i++) {
        try { results[i] = ${lazy ? 'await ' : ''}fn(...batch[i]); } catch (error) { results[i] = new Thrown(error); }
      }
    }
    return now() - start;`;
  const Constructor = lazy ? Object.getPrototypeOf(async () => {}).constructor : Function;
  return new Constructor('fn', 'inputs', 'batches', 'loops', 'results', 'now', 'Thrown', body);
}

export function resultText(value, args) {
  return value instanceof Thrown ? JSON.stringify({ t: 'raised', c: value.kind }) : snapshotValue(value, args);
}

/**
 * Calls on the correctness inputs that are not also performance inputs, before the greeting: one-time costs (a lazy
 * import, a table built on first use, the first compilations) land here, so that the coordinator's first timed pass over
 * the performance inputs differs from its second only by what a cache of results would save.
 */
async function warmUp(job, program, inputs) {
  const calls = [];
  if (inputs.performance.length > 0) {
    const timed = new Set(inputs.performance.map((args) => snapshotArguments(args)));
    calls.push(...inputs.correctness.filter((args) => !timed.has(snapshotArguments(args))));
  }
  if (inputs.sizedInput && inputs.sizedN) {
    // One call at the fresh inputs' scale (a size next to theirs): with fixed performance inputs nothing else has run
    // at that size, and first compilations or heap growth would make the first fresh pass look dearer than the second.
    try {
      calls.push(inputs.sizedInput(freshSize(inputs.sizedN, job.seed) + 1));
    } catch {
      // The fresh inputs will be missing too (freshInputs).
    }
  }
  for (const args of calls) {
    try {
      await program.fn(...program.copy(args));
    } catch {
      // Behaviour, not the point here.
    }
  }
}

/** Performance inputs never timed (a copy, with this side's classes); null when the workload cannot make them. */
function freshInputs(job, program, inputs) {
  if (!inputs.sizedInput || !inputs.sizedN) return null;
  try {
    return program.copy([inputs.sizedInput(freshSize(inputs.sizedN, job.seed))]);
  } catch {
    return null;
  }
}

export async function serve(job, program, inputs, inputsDigest) {
  const socket = new Socket({ fd: CHANNEL_FD, readable: true, writable: true });
  const lines = createInterface({ input: socket })[Symbol.asyncIterator]();
  const nextMessage = async () => {
    const { value, done } = await lines.next();
    return done ? { op: 'exit' } : JSON.parse(value);
  };
  const send = (message) => new Promise((resolve) => socket.write(`${JSON.stringify(message)}\n`, resolve));

  const performance = inputs.performance.length > 0 ? inputs.performance : inputs.correctness;
  const mutates = job.mutatesArguments;
  // Inputs never mutated are shared by all calls; copied once so that objects get this side's classes.
  const shared = program.copy(performance);
  const results = new Array(performance.length);
  const sampler = makeSampler(job.lazyResults === true);
  const maxLoops = mutates ? Math.max(1, Math.floor(MAX_PREBUILT_CALLS / performance.length)) : MAX_LOOPS;
  let lastBatch = shared;
  const fresh = freshInputs(job, program, inputs);
  const freshResults = new Array(fresh?.length ?? 0);
  let freshBatch = fresh;
  await warmUp(job, program, inputs);
  // Printing still costs its call, but nothing accumulates in the sandbox's bounded output.
  for (const name of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir']) console[name] = () => undefined;
  await send({ ready: true, inputs: performance.length, maxLoops, clock: 'process.hrtime.bigint', inputsDigest, fresh: fresh !== null });
  for (;;) {
    const message = await nextMessage();
    if (message.op === 'run' && message.fresh && fresh) {
      freshBatch = mutates ? program.copy(fresh) : fresh;
      globalThis.gc?.();
      await send({ prepared: true });
      if ((await nextMessage()).op !== 'go') break;
      await send({ ns: Number(await sampler(program.fn, fresh, [freshBatch], 1, freshResults, now, Thrown)) });
    } else if (message.op === 'run') {
      const loops = Math.max(1, Math.min(Number(message.loops) || 1, maxLoops));
      const batches = mutates ? Array.from({ length: loops }, () => program.copy(performance)) : null;
      globalThis.gc?.(); // each sample starts from a collected heap; the GC stays on while timing, as in real use
      await send({ prepared: true });
      if ((await nextMessage()).op !== 'go') break;
      const elapsed = await sampler(program.fn, shared, batches, loops, results, now, Thrown);
      if (batches) lastBatch = batches.at(-1);
      await send({ ns: Number(elapsed) });
    } else if (message.op === 'digest') {
      const [values, batch] = message.fresh && fresh ? [freshResults, freshBatch] : [results, lastBatch];
      const digests = values.map((value, i) => (mutates ? digest(resultText(value, batch[i]), snapshotArguments(batch[i])) : digest(resultText(value, batch[i]))));
      await send({ digests });
    } else if (message.op === 'snap') {
      const i = Number(message.index);
      const [values, batch] = message.fresh && fresh ? [freshResults, freshBatch] : [results, lastBatch];
      await send({ value: resultText(values[i], batch[i] ?? []), args: snapshotArguments(batch[i] ?? []) });
    } else {
      break;
    }
  }
  process.exit(0);
}
