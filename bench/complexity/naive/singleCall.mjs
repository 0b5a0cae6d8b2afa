// Naive two-point baseline: one timed call at each of two sizes, in one fresh process, no warm-up, no repeats.
// Usage: node singleCall.mjs CODE_FILE FUNCTION WORKLOAD_FILE N_SMALL N_LARGE  ->  {"small": s, "large": s} on stdout.
import { pathToFileURL } from 'node:url';

const [codeFile, functionName, workloadFile, small, large] = process.argv.slice(2);
const fn = (await import(pathToFileURL(codeFile).href))[functionName];
const workload = await import(pathToFileURL(workloadFile).href);
const seconds = {};
let sink = 0;
for (const [label, n] of [['small', Number(small)], ['large', Number(large)]]) {
  const args = workload.sizedInput(n);
  const start = process.hrtime.bigint();
  const result = fn(...args);
  seconds[label] = Number(process.hrtime.bigint() - start) / 1e9;
  sink += Array.isArray(result) ? result.length : Number(result);
}
process.stdout.write(`${JSON.stringify({ ...seconds, sink })}\n`);
