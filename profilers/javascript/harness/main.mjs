// The JavaScript harness: `node --expose-gc main.mjs job.json`, run inside the sandbox. Reads the job, runs the mode and
// writes result.json. Nothing goes to stdout: user code may print there.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { checkWorkload } from './verify.mjs';
import { measureMemory } from './measure.mjs';
import { profileLines } from './profile.mjs';
import { programSide } from './program.mjs';
import { measureComplexity } from './timing.mjs';
import { freshSize, loadWorkload, WorkloadError } from './workload.mjs';
import { runOutcomes } from './outcomes.mjs';
import { runEqual } from './equal.mjs';
import { reseedRandom } from './random.mjs';
import { resultText, serve, Thrown } from './serve.mjs';
import { snapshotArguments } from './snapshot.mjs';
import { inputsDigest } from './inputsDigest.mjs';
import { inputsAsData, readInputsFile } from './inputsData.mjs';

const PROTOCOL = 1;

class ProgramError extends Error {
  constructor(side, message, detail) {
    super(message);
    this.side = side;
    this.detail = detail;
  }
}

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
// The nonce proves to the runner that this harness wrote result.json, not program code that wrote a verdict of its own
// and exited: the job file (program code runs later) is gone before any program loads, so the nonce is in memory only.
const nonce = job.nonce;
delete job.nonce;
rmSync(process.argv[2]);

function writeResult(result) {
  writeFileSync(job.resultPath, JSON.stringify({ protocol: PROTOCOL, node: process.version, nonce, ...result }));
}

async function loadProgram(side) {
  const spec = job.programs[side];
  if (!spec) throw new Error(`the job has no ${side} program`);
  let module;
  try {
    module = await import(pathToFileURL(spec.path).href);
  } catch (error) {
    throw new ProgramError(side, `it does not load: ${error?.message ?? error}`, String(error?.stack ?? ''));
  }
  let program;
  try {
    program = programSide(module);
  } catch (error) {
    throw new ProgramError(side, `its exports cannot be read: ${error?.message ?? error}`, String(error?.stack ?? ''));
  }
  if (typeof program.fn !== 'function') throw new ProgramError(side, `\`${spec.functionName}\` is not a function (it is ${typeof program.fn})`);
  return program;
}

if (job.importHooks) {
  // A Map, not an object: named properties keyed by the work directory's paths (random per run) would join the
  // transition tree of `{}`, and every object later built by adding properties (inputs, their copies) would search a
  // transition array laid out by those paths' hashes: up to 0.35M instructions between otherwise identical counts.
  const parents = new Map();
  for (const spec of Object.values(job.programs)) {
    if (spec?.filePath) parents.set(pathToFileURL(spec.path).href, pathToFileURL(spec.filePath).href);
  }
  if (job.workload.kind === 'module') parents.set(pathToFileURL(job.workload.sourcePath).href, pathToFileURL(job.workload.path).href);
  for (const [copy, userFile] of job.projectModules.parents) parents.set(copy, userFile);
  register(new URL('./resolveHooks.mjs', import.meta.url), { data: { parents: [...parents], redirects: job.projectModules.redirects } });
}
// CommonJS-style files (`const fs = require('fs')` at the top) become ES modules here, where `require` does not exist:
// give them one that resolves from the user's file.
const userFile = Object.values(job.programs).find((spec) => spec?.filePath)?.filePath;
if (userFile) globalThis.require = createRequire(userFile);

/**
 * The job's inputs for `program`: read from the inputs file when an inputs process made them (the generator never runs
 * here), else made here.
 */
function inputsFor(program) {
  return job.inputsFile ? readInputsFile(job.inputsFile, program) : loadWorkload(job, program);
}

/** A program loaded and its inputs made as a side's process makes them, Math.random seeded alike for both. */
async function seededSide(side, makeInputs) {
  reseedRandom(job.seed - 1); // module-level randomness is repeatable too
  const program = await loadProgram(side);
  reseedRandom(job.seed);
  return { program, inputs: await makeInputs(program) };
}

async function run() {
  switch (job.mode) {
    case 'inputs': {
      // The sides' inputs, made by the generator with the original loaded (no candidate), written as data for them.
      const { program, inputs } = await seededSide('original', (original) => loadWorkload(job, original));
      const made = inputsAsData(job, program, inputs);
      if (made.bytes) writeFileSync(job.inputsOutPath, made.bytes);
      return { inputs, data: made.bytes ? { written: true } : { besideCode: made.besideCode } };
    }
    case 'outcomes':
    case 'serve': {
      // One side of a comparison, in a process of its own: Perfloop compares the two sides' reports.
      const { program, inputs } = await seededSide(job.side, inputsFor);
      if (job.mode === 'serve') await serve(job, program, inputs, inputsDigest(inputs)); // answers until told to stop
      const data = await runOutcomes(job, job.side, program, inputs);
      return { inputs, data: { ...data, inputsDigest: inputsDigest(inputs) } };
    }
    case 'equal': {
      // No inputs are made: the values to compare come with the job.
      const original = await loadProgram('original');
      return { inputs: { sizedN: null }, data: await runEqual(job, original) };
    }
    case 'workload': {
      const original = await loadProgram('original');
      const inputs = await loadWorkload(job, original);
      const data = await checkWorkload(job, original, inputs);
      // Whether the inputs can reach the sides as data, or the generator must run beside the code (the report says so).
      const besideCode = job.inputsApart ? inputsAsData(job, original, inputs).besideCode : undefined;
      return { inputs, data: { ...data, ...(besideCode ? { generatorBesideCode: besideCode } : {}) } };
    }
    case 'memory':
    case 'profile':
    case 'complexity': {
      const program = await loadProgram('program');
      const inputs = await (job.mode === 'memory' ? inputsFor(program) : loadWorkload(job, program));
      const measure = { memory: measureMemory, profile: profileLines, complexity: measureComplexity }[job.mode];
      return { inputs, data: await measure(job, program, inputs) };
    }
    case 'count': {
      // calls = 0: everything but the counted calls (start-up, imports, inputs, a warm pass), subtracted by the runner; 1:
      // one call per input. The warm pass pays the one-time costs (first compilation, caches warming) in both runs, on
      // inputs the counted calls never saw (sizedInput at a neighbouring size; else the correctness inputs), so a cache of
      // results gains nothing from it.
      const program = await loadProgram('program');
      const inputs = await inputsFor(program);
      const calls = inputs.performance.length > 0 ? inputs.performance : inputs.correctness;
      const copies = calls.map((args) => program.copy(args));
      const warm = inputs.sizedInput && inputs.sizedN ? [inputs.sizedInput(freshSize(inputs.sizedN, job.seed))] : inputs.correctness;
      const warmCopies = warm.map((args) => program.copy(args));
      // From a collected heap: else the calls' first scavenge moves whatever the harness left young (the inputs, their
      // copies, loading's garbage), and the calls were charged 629.7M–638.0M instead of 630.5M depending on when the
      // last scavenge before them had run.
      for (const args of warmCopies) {
        try {
          globalThis.__perfloopSink = await program.fn(...args);
        } catch {
          // what the warm pass raises is not counted
        }
      }
      globalThis.__perfloopSink = undefined;
      globalThis.gc();
      let raised = 0;
      // With `results`, the last round's results are kept and serialised after the calls, as the timing worker does
      // (serve.mjs): the runner checks the results of the calls it counted and subtracts the serialising, measured on the
      // original (profilers/counters/countedCalls.ts).
      const kept = job.results && job.calls > 0 ? new Array(copies.length) : undefined;
      for (let round = 0; round < job.calls; round++) {
        for (const [i, args] of copies.entries()) {
          try {
            globalThis.__perfloopSink = await program.fn(...args);
          } catch (error) {
            raised++;
            globalThis.__perfloopSink = kept ? new Thrown(error) : undefined;
          }
          if (kept) kept[i] = globalThis.__perfloopSink;
        }
      }
      const results = kept ? kept.map((value, i) => ({ value: resultText(value, copies[i]), args: snapshotArguments(copies[i]) })) : [];
      return { inputs, data: { calls: job.calls * copies.length, raised, results } };
    }
    default:
      throw new Error(`unknown mode ${job.mode}`);
  }
}

try {
  const { inputs, data } = await run();
  writeResult({ ok: true, mode: job.mode, sizedN: inputs.sizedN, data });
} catch (error) {
  const detail = String(error?.stack ?? error);
  if (error instanceof ProgramError) writeResult({ ok: false, error: { kind: 'program', side: error.side, message: error.message, detail: error.detail ?? detail } });
  else if (error instanceof WorkloadError) writeResult({ ok: false, error: { kind: 'workload', side: 'workload', message: error.message, detail } });
  else writeResult({ ok: false, error: { kind: 'internal', message: String(error?.message ?? error), detail } });
}
// Timers or open handles left by user code must not keep the process (and the sandbox's clock) running.
process.exit(0);
