/**
 * User-provided inputs: a JSON file (an array of argument arrays, or `{ "correctness": [...], "performance": [...] }`)
 * or a module in the code's language (C and C++: a C++ module) with `correctness_inputs` / `performance_inputs` /
 * `sized_input` (JS/TS: camelCase). Found next to the code (`<stem>.perfloop.json` / `<stem>.perfloop.<ext>`) or passed
 * explicitly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { z } from 'zod';
import { WORKLOAD_MODULE_EXTENSIONS, workloadModuleExtensionsFor } from '../profilers/registry.js';
import { CAPTURE_DIR, readCaptureManifest, type CaptureManifestEntry } from '../profilers/hotspots/captureStore.js';
import type { WorkloadSource } from '../profilers/runner.js';

/** A problem with the user's workload file: shown to the user as is (exit code 2 in the CLI). */
export class WorkloadFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkloadFileError';
  }
}

const argumentLists = z.array(z.array(z.unknown(), { error: 'each input must be an array of arguments, e.g. [1, 2] for f(1, 2)' }), {
  error: 'expected an array of argument arrays, e.g. [[1, 2], [3, 4]] for two calls f(1, 2) and f(3, 4)',
});
const splitWorkload = z
    .object({
      correctness: argumentLists.optional(),
      performance: argumentLists.optional(),
    })
    .strict()
    .refine((w) => (w.correctness?.length ?? 0) + (w.performance?.length ?? 0) > 0, {
      message: 'needs at least one input in "correctness" or "performance"',
    });

const MODULE_EXTENSIONS = WORKLOAD_MODULE_EXTENSIONS;

export function readWorkloadFile(path: string): WorkloadSource {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new WorkloadFileError(`Inputs file not found: ${path}`);
  const extension = extname(absolute).toLowerCase();
  // A module in the target's language; its runner loads it (Python: correctness_inputs(), JS/TS: correctnessInputs()).
  if (MODULE_EXTENSIONS.includes(extension)) return { kind: 'module', origin: 'user', path: absolute };
  if (extension !== '.json') {
    throw new WorkloadFileError(
      `Inputs file ${path} must be .json (argument lists) or a module that generates inputs (${MODULE_EXTENSIONS.join(', ')}).`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(absolute, 'utf8'));
  } catch (error) {
    throw new WorkloadFileError(`Inputs file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data) && (typeof data !== 'object' || data === null)) {
    throw new WorkloadFileError(`Inputs file ${path}: expected an array of argument arrays, or {"correctness": [...], "performance": [...]}.`);
  }
  // Validate against the shape the file chose, so the message points at the real problem rather than "no union member matched".
  const parsed = Array.isArray(data) ? argumentLists.safeParse(data) : splitWorkload.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
    throw new WorkloadFileError(`Inputs file ${path}${where}: ${issue?.message ?? 'unexpected shape'}`);
  }
  const value = parsed.data;
  if (Array.isArray(value)) {
    if (value.length === 0) throw new WorkloadFileError(`Inputs file ${path} is an empty array: add at least one argument list.`);
    // One list serves both purposes: every input is checked and every input is timed.
    return { kind: 'json', origin: 'user', path: absolute, correctness: value, performance: value };
  }
  const correctness = value.correctness ?? value.performance ?? [];
  const performance = value.performance ?? value.correctness ?? [];
  return { kind: 'json', origin: 'user', path: absolute, correctness, performance };
}

/** `<stem>.perfloop.json`, or a module `<stem>.perfloop.<ext>` in an extension its language declares, next to the source file. */
export function findWorkloadNextTo(sourcePath: string): string | undefined {
  const sourceExtension = extname(sourcePath);
  const stem = basename(sourcePath, sourceExtension);
  for (const extension of ['.json', ...workloadModuleExtensionsFor(sourcePath)]) {
    const candidate = join(dirname(resolve(sourcePath)), `${stem}.perfloop${extension}`);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The inputs `perfloop profile` captured for this function (a module next to the capture's data, listed in
 * `.perfloop/captures/manifest.json` of the source file's folder or one above it), when there are any.
 */
export function findCapturedInputs(sourcePath: string, functionName: string): { path: string; entry: CaptureManifestEntry } | undefined {
  const source = resolve(sourcePath);
  for (let dir = dirname(source); ; dir = dirname(dir)) {
    const entry = readCaptureManifest(dir).find((e) => e.module && e.qualname === functionName && resolve(dir, e.file) === source);
    if (entry?.module) {
      const module = join(dir, CAPTURE_DIR, entry.module);
      if (existsSync(module)) return { path: module, entry };
    }
    if (dirname(dir) === dir) return undefined;
  }
}
