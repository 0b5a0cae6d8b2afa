/**
 * How verdict latency grows with the size of the workload: the Python duplicates example with its inputs module
 * rewritten so the timed input has n addresses (the edge cases stay the same), one `compare` per size.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OptimizeSettings } from '../../optimizer/types.js';
import { LANGUAGE_CASES, measureLanguage, type LanguageLatency } from './verdictLatency.js';

const PERFORMANCE_INPUT = /yield sized_input\(\d+\)/;

/** The example's inputs module with its performance input at size n. */
export function sizedInputsModule(exampleText: string, n: number): string {
  if (!PERFORMANCE_INPUT.test(exampleText)) throw new Error('the duplicates inputs module no longer has `yield sized_input(N)`');
  return exampleText.replace(PERFORMANCE_INPUT, `yield sized_input(${n})`);
}

/** The size of the example module's own timed input (2000). */
export function exampleSize(exampleText: string): number | undefined {
  const match = /yield sized_input\((\d+)\)/.exec(exampleText);
  return match ? Number(match[1]) : undefined;
}

export interface ScalingPoint {
  n: number;
  latency: LanguageLatency;
  /** Taken from the Python case, whose inputs module is this very workload. */
  reused?: boolean;
}

export async function measureScaling(options: {
  root: string;
  scratchDir: string;
  sizes: readonly number[];
  settings: Partial<OptimizeSettings>;
  log(message: string): void;
  /** Measurements already made with the example's own inputs module (the Python case), by its size. */
  known?: ReadonlyMap<number, LanguageLatency>;
  signal?: AbortSignal;
}): Promise<ScalingPoint[]> {
  const python = LANGUAGE_CASES.find((c) => c.label === 'Python');
  if (!python) throw new Error('no Python case');
  const example = readFileSync(`${options.root}examples/python/duplicates.perfloop.py`, 'utf8');
  const points: ScalingPoint[] = [];
  for (const n of options.sizes) {
    if (options.signal?.aborted) break;
    const known = options.known?.get(n);
    if (known) {
      points.push({ n, latency: known, reused: true });
      continue;
    }
    const modulePath = path.join(options.scratchDir, `duplicates_n${n}.perfloop.py`);
    writeFileSync(modulePath, sizedInputsModule(example, n));
    options.log(`workload scaling: n = ${n}`);
    const latency = await measureLanguage(
      { ...python, label: `Python, n = ${n}`, workload: { kind: 'module', origin: 'user', path: modulePath } },
      { root: options.root, repetitions: 1, settings: options.settings, ...(options.signal ? { signal: options.signal } : {}) },
    );
    points.push({ n, latency });
  }
  return points;
}
