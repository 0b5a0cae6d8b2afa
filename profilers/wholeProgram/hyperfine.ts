/**
 * Times a benchmark command with hyperfine, run inside the sandbox (it starts the user's command, so subprocesses are
 * allowed there; network stays off and only the project copy and a scratch directory are writable).
 */
import { execa } from 'execa';
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { runSandboxed } from '../sandbox/sandbox.js';
import type { SandboxMode } from '../sandbox/types.js';
import type { CommandTimings } from './commandTimings.js';

const hyperfineResultSchema = z.object({
  command: z.string(),
  mean: z.number(),
  stddev: z.number().nullable(),
  median: z.number(),
  min: z.number(),
  max: z.number(),
  times: z.array(z.number()).min(1),
  exit_codes: z.array(z.number().nullable()).optional(),
  memory_usage_byte: z.array(z.number()).optional(),
});
const hyperfineExportSchema = z.object({ results: z.array(hyperfineResultSchema).length(1) });

/** Reads hyperfine's `--export-json` file for a single command. */
export function parseHyperfineExport(json: string): CommandTimings {
  const parsed = hyperfineExportSchema.parse(JSON.parse(json));
  const result = parsed.results[0];
  if (!result) throw new Error('hyperfine export has no result');
  const memory = result.memory_usage_byte;
  return {
    times: result.times,
    mean: result.mean,
    // hyperfine reports null for a single run; 0 keeps the type numeric and means the same thing.
    stddev: result.stddev ?? 0,
    median: result.median,
    min: result.min,
    max: result.max,
    ...(memory && memory.length > 0 ? { maxRssBytes: Math.max(...memory) } : {}),
    exitCodes: (result.exit_codes ?? result.times.map(() => 0)).map((code) => code ?? -1),
  };
}

const MAX_EXPORT_BYTES = 64 * 1024 * 1024;

let hyperfineVersion: Promise<string | undefined> | undefined;

/** hyperfine's version when it is on PATH, else undefined (cached). */
export function detectHyperfine(): Promise<string | undefined> {
  hyperfineVersion ??= execa('hyperfine', ['--version'], { timeout: 10_000 })
    .then(({ stdout }) => stdout.trim())
    .catch(() => undefined);
  return hyperfineVersion;
}

/** Characters that need a shell; without them hyperfine can run the command directly (-N), with no shell overhead. */
const SHELL_SYNTAX = /[^\w\s./:,+@%-]/;

export function commandNeedsShell(command: string): boolean {
  return SHELL_SYNTAX.test(command) || command.includes('\n');
}

export interface HyperfineRun {
  command: string;
  /** The project copy: working directory and the only writable project files. */
  workDir: string;
  /** Writable directory for the JSON export. */
  scratchDir: string;
  label: string;
  runs: number;
  warmup: number;
  /** Limit for one run of the command; the whole hyperfine invocation gets one per run, plus slack. */
  timeoutMs: number;
  sandbox: SandboxMode;
  signal?: AbortSignal;
  env?: Readonly<Record<string, string>>;
}

export async function timeWithHyperfine(run: HyperfineRun): Promise<CommandTimings> {
  const exportFile = path.join(run.scratchDir, `hyperfine-${run.label}.json`);
  const argv = [
    'hyperfine',
    '--export-json', exportFile,
    '--warmup', String(run.warmup),
    '--runs', String(run.runs),
    '--style', 'basic',
    '--command-name', run.label,
    ...(commandNeedsShell(run.command) ? [] : ['-N']),
    '--',
    run.command,
  ];
  const result = await runSandboxed({
    argv,
    mode: run.sandbox,
    workDir: run.workDir,
    writablePaths: [run.scratchDir],
    allowSubprocesses: true,
    persistentWorkDir: true,
    timeoutMs: run.timeoutMs * (run.runs + run.warmup + 1) + 10_000,
    signal: run.signal,
    env: run.env,
  });
  if (result.aborted) throw new Error('Measurement aborted.');
  if (result.timedOut) throw new Error(`hyperfine timed out on the ${run.label} version.`);
  if (result.exitCode !== 0) {
    const tail = result.stderr.trim().split('\n').slice(-10).join('\n');
    throw new Error(`hyperfine failed on the ${run.label} version (exit ${result.exitCode ?? result.signal}):\n${tail}`);
  }
  return parseHyperfineExport(readExport(exportFile));
}

/** The export lives where the benchmarked code could write too: refuse anything but a plain, modest file. */
function readExport(file: string): string {
  const stat = lstatSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile() || stat.size > MAX_EXPORT_BYTES) throw new Error(`hyperfine left no usable export at ${file}.`);
  return readFileSync(file, 'utf8');
}

/** Tests only. */
export function forgetHyperfine(): void {
  hyperfineVersion = undefined;
}
