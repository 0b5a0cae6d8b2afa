/**
 * Where captured inputs live: `.perfloop/captures/` in the project (a `.perfloop/.gitignore` keeps git out of it), one
 * folder per function with the language's data files, and `manifest.json` describing them, which later runs read.
 * A capture of a function replaces its earlier one; other functions' captures stay.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CapturedCalls, CapturedInputsModule } from './types.js';

export const CAPTURE_DIR = path.join('.perfloop', 'captures');
const MANIFEST = 'manifest.json';

const manifestEntry = z.object({
  language: z.string(),
  /** Relative to the project root. */
  file: z.string(),
  line: z.number().int(),
  qualname: z.string(),
  /** Calls of the function during the captured run. */
  calls: z.number().int(),
  /** Inputs kept, and their rough sizes (items in containers), smallest first. */
  inputs: z.number().int(),
  sizes: z.array(z.number()),
  note: z.string().optional(),
  /** The data files, relative to .perfloop/captures. */
  files: z.array(z.string()),
  /** The inputs module that reads them (relative to .perfloop/captures), which later runs on the function use. */
  module: z.string().optional(),
  /** Positions (in the module's correctness inputs) of the performance inputs: the largest captured. */
  performance: z.array(z.number().int()).optional(),
  /** Their sizes, in the same order. */
  performanceSizes: z.array(z.number()).optional(),
  /** Positions of the inputs held back from every prompt: checked, never shown to the LLM (capturedRoles). */
  heldBack: z.array(z.number().int()).optional(),
  command: z.array(z.string()),
  capturedAt: z.string(),
});
export type CaptureManifestEntry = z.infer<typeof manifestEntry>;
const manifestSchema = z.object({ version: z.literal(1), functions: z.array(manifestEntry) });

/** How many of the largest captured inputs are timed. */
export const TIMED_CAPTURES = 3;

/**
 * What each captured input is for, by position in the module's inputs (sizes in that order): the TIMED_CAPTURES largest
 * are the performance inputs; of the others, ranked by size, every third from the second on (about a third, spread over
 * the sizes) is held back from the prompts, so a candidate fitted to the inputs the LLM saw fails on them.
 */
export function capturedRoles(sizes: readonly number[]): { performance: number[]; heldBack: number[] } {
  const bySize = sizes.map((size, position) => ({ size, position })).sort((a, b) => a.size - b.size || a.position - b.position);
  const performance = bySize.slice(-TIMED_CAPTURES).map((e) => e.position);
  const rest = bySize.slice(0, Math.max(0, bySize.length - TIMED_CAPTURES));
  const heldBack = rest.filter((_, rank) => rank % 3 === 1).map((e) => e.position);
  return { performance: performance.sort((a, b) => a - b), heldBack: heldBack.sort((a, b) => a - b) };
}

/** What a language's capture hook writes per function and process, beside the data file it names. */
const capturedFile = z.object({
  file: z.string(),
  line: z.number().int(),
  qualname: z.string(),
  calls: z.number().int(),
  sizes: z.array(z.number()),
  failure: z.string().nullable(),
});

/**
 * The calls a capture run kept, from the JSON files named `pattern` in outDir: each describes one function in one
 * process, its data in the file of the same name with `dataExtension`. A file that is not one is left out.
 */
export function readCapturedCalls(outDir: string, pattern: RegExp, dataExtension: string): CapturedCalls[] {
  const out: CapturedCalls[] = [];
  for (const name of readdirSync(outDir).filter((f) => pattern.test(f))) {
    const parsed = capturedFile.safeParse(JSON.parse(readFileSync(path.join(outDir, name), 'utf8')));
    if (!parsed.success) continue;
    const { failure, ...calls } = parsed.data;
    out.push({ ...calls, dataFile: path.join(outDir, name.replace(/\.json$/, dataExtension)), ...(failure ? { failure } : {}) });
  }
  return out;
}

function folderName(file: string, qualname: string): string {
  return `${file}:${qualname}`.replace(/[^A-Za-z0-9._-]+/g, '_');
}

export function readCaptureManifest(projectRoot: string): CaptureManifestEntry[] {
  const file = path.join(projectRoot, CAPTURE_DIR, MANIFEST);
  if (!existsSync(file)) return [];
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data.functions : [];
}

/**
 * Stores one capture run's calls (several processes may have run a function: their files are kept side by side) and
 * returns the manifest entries written, with the manifest's path relative to the project root.
 */
export function storeCaptures(
  projectRoot: string,
  language: string,
  captured: readonly CapturedCalls[],
  command: readonly string[],
  inputsModule?: CapturedInputsModule,
): { entries: CaptureManifestEntry[]; manifest: string } {
  const base = path.join(projectRoot, CAPTURE_DIR);
  mkdirSync(base, { recursive: true });
  const ignore = path.join(projectRoot, '.perfloop', '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# Perfloop’s captured inputs and run data: not part of the project.\n*\n');
  const byFunction = new Map<string, CapturedCalls[]>();
  for (const c of captured) {
    const key = `${path.relative(projectRoot, c.file)}\0${c.line}\0${c.qualname}`;
    byFunction.set(key, [...(byFunction.get(key) ?? []), c]);
  }
  const capturedAt = new Date().toISOString();
  const entries: CaptureManifestEntry[] = [];
  for (const [key, parts] of byFunction) {
    const [file, line, qualname] = key.split('\0') as [string, string, string];
    const folder = folderName(file, qualname);
    rmSync(path.join(base, folder), { recursive: true, force: true });
    mkdirSync(path.join(base, folder), { recursive: true });
    const files: string[] = [];
    const sizes: number[] = [];
    parts.forEach((part, i) => {
      if (part.sizes.length === 0) return;
      const name = path.join(folder, `inputs-${i + 1}${path.extname(part.dataFile)}`);
      copyFileSync(part.dataFile, path.join(base, name));
      files.push(name);
      sizes.push(...part.sizes);
    });
    const roles = capturedRoles(sizes);
    const module = inputsModule && files.length > 0 ? path.join(folder, inputsModule.fileName) : undefined;
    if (module && inputsModule) {
      const facts = { files: files.map((f) => path.basename(f)), folder: path.join(base, folder), file, qualname, command, capturedAt, performance: roles.performance };
      writeFileSync(path.join(base, module), inputsModule.source(facts));
    }
    const failure = parts.find((p) => p.failure)?.failure;
    const note = failure ? `some calls could not be captured: ${failure}` : undefined;
    entries.push({
      language,
      file,
      line: Number(line),
      qualname,
      calls: parts.reduce((sum, p) => sum + p.calls, 0),
      inputs: sizes.length,
      sizes: [...sizes].sort((a, b) => a - b),
      ...(note ? { note } : {}),
      files,
      ...(module ? { module, performance: roles.performance, performanceSizes: roles.performance.map((i) => sizes[i] ?? 0), heldBack: roles.heldBack } : {}),
      command: [...command],
      capturedAt,
    });
  }
  const kept = readCaptureManifest(projectRoot).filter((old) => !entries.some((e) => e.language === old.language && e.file === old.file && e.qualname === old.qualname));
  writeFileSync(path.join(base, MANIFEST), `${JSON.stringify({ version: 1, functions: [...kept, ...entries] }, null, 2)}\n`);
  return { entries, manifest: path.join(CAPTURE_DIR, MANIFEST) };
}
