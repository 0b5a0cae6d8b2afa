/**
 * A/A check of the timing verdict: a function measured against an identical copy, N times at default settings, with
 * the verdicts counted. Usage: `npm run build && npx tsc -p . && node out/bench/aaFalsePositives.js [trials]`.
 * (The full benchmark suite, `npm run bench`, builds on this.)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SETTINGS } from '../optimizer/types.js';
import { PythonRunner } from '../profilers/python/pythonRunner.js';
import type { Program, WorkloadSource } from '../profilers/runner.js';
import { estimatePairedSpeedup } from '../profilers/stats/speedup.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const trials = Number(process.argv[2] ?? 50);
const runner = new PythonRunner();
const original: Program = {
  id: 'original',
  source: readFileSync(`${root}examples/python/duplicates.py`, 'utf8'),
  functionName: 'find_duplicates',
};
const copy: Program = { ...original, id: 'candidate' };
const workload: WorkloadSource = { kind: 'module', origin: 'user', path: `${root}examples/python/duplicates.perfloop.py` };
const opts = { sandbox: DEFAULT_SETTINGS.sandbox, timeoutMs: DEFAULT_SETTINGS.timeoutMs };

const summary = await runner.checkWorkload(original, workload, opts);
const counts = { faster: 0, slower: 0, 'no-difference': 0 };
const widths: number[] = [];
const started = Date.now();
for (let i = 0; i < trials; i++) {
  const samples = await runner.measureTime(original, copy, workload, summary.originalMutatesArguments, {
    ...opts,
    samples: DEFAULT_SETTINGS.timingSamples,
    sampleSeconds: DEFAULT_SETTINGS.sampleSeconds,
  });
  const estimate = estimatePairedSpeedup(samples.original, samples.candidate, { noiseThreshold: DEFAULT_SETTINGS.noiseThreshold });
  counts[estimate.verdict]++;
  widths.push(estimate.high - estimate.low);
}
widths.sort((a, b) => a - b);
const falsePositives = counts.faster + counts.slower;
console.log(
  JSON.stringify(
    {
      trials,
      verdicts: counts,
      falsePositiveRate: falsePositives / trials,
      medianIntervalWidth: widths[Math.floor(widths.length / 2)],
      widestInterval: widths[widths.length - 1],
      secondsPerTrial: (Date.now() - started) / 1000 / trials,
    },
    null,
    2,
  ),
);
