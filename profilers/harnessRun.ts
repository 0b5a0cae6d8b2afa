/**
 * What both language runners do around one sandboxed harness process: a fresh work directory, the program sources
 * written into it, the counting wrapper, the result and progress files read back (never stdout, which user code may
 * print to), and the words for a process that ended without a result.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { harnessProgress, type HarnessProgress } from './harnessProtocol.js';
import type { Program, WorkloadSource } from './runner.js';
import { RunnerError } from './runner.js';
import type { SandboxResult } from './sandbox/types.js';

export type ProgramRole = 'original' | 'candidate' | 'program';

export interface ProgramWithOrigin {
  program: Program;
  /** The user's file the program was extracted from, when known. */
  filePath?: string;
}

export interface CountingWrapper {
  argv: string[];
  launcher?: readonly string[];
  /** Reads the count (from the output or from files in the work directory, which still exists when it is called). */
  parse(result: SandboxResult): number;
}

/** The program entry of a harness job: where its module was written and what to call. */
export interface ProgramSpec {
  path: string;
  functionName: string;
  filePath?: string;
}

/** The common job defaults; each harness adds its own. */
export const SHARED_JOB_DEFAULTS = {
  floatTolerance: 1e-7,
  sizedN: null,
  perfCallSeconds: 0.03,
  maxSizedN: 1 << 20,
  mutatesArguments: false,
  samples: 0,
  sampleSeconds: 0.05,
  calls: 1,
  results: false,
  maxPoints: 0,
  maxSecondsPerCall: 1,
  complexityStartSize: 8,
} as const;

/** Runs `body` in a fresh temporary directory, removed afterwards whatever happens. */
export async function withWorkDir<T>(prefix: string, body: (workDir: string) => Promise<T>): Promise<T> {
  const workDir = mkdtempSync(path.join(tmpdir(), prefix));
  try {
    return await body(workDir);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Writes each program's module as `<role><extension>` in `programsDir`; `toSource` may transpile it. */
export async function writePrograms(
  programsDir: string,
  programs: Partial<Record<ProgramRole, ProgramWithOrigin>>,
  extension: string,
  toSource: (entry: ProgramWithOrigin, role: ProgramRole) => string | Promise<string>,
): Promise<Partial<Record<ProgramRole, ProgramSpec>>> {
  const specs: Partial<Record<ProgramRole, ProgramSpec>> = {};
  for (const [role, entry] of Object.entries(programs) as [ProgramRole, ProgramWithOrigin | undefined][]) {
    if (!entry) continue;
    const sourcePath = path.join(programsDir, `${role}${extension}`);
    writeFileSync(sourcePath, await toSource(entry, role));
    specs[role] = {
      path: sourcePath,
      functionName: entry.program.functionName,
      ...(entry.filePath ? { filePath: path.resolve(entry.filePath) } : {}),
    };
  }
  return specs;
}

/** Creates the directory the program sources go to. */
export function makeProgramsDir(workDir: string): string {
  const programsDir = path.join(workDir, 'programs');
  mkdirSync(programsDir);
  return programsDir;
}

export function readWorkloadModule(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new RunnerError(`Cannot read the workload module ${file}: ${(error as Error).message}`);
  }
}

/** The user's files behind a run: the programs' and the workload module's. */
export function userFiles(programs: Partial<Record<ProgramRole, ProgramWithOrigin>>, workload: WorkloadSource): string[] {
  const files = Object.values(programs).map((p) => p?.filePath);
  if (workload.kind === 'module') files.push(workload.path);
  return files.filter((f): f is string => !!f);
}

export function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // a half-written progress file of a killed process
  }
}

/**
 * What Node needs to see of the user's project besides the files' own directories, where the sandbox hides a private
 * area (such as /tmp) the project lives in: the package each file belongs to (the nearest directory with a package.json,
 * whose "type" decides how a .js file loads and whose sibling modules it may import), and every ancestor's node_modules
 * and package.json, where bare imports resolve. A package root that is itself a hidden area's root or contains one
 * (a package.json in /tmp or in the home directory) is not exposed whole, only its package.json and node_modules.
 */
export function nodeProjectPaths(files: string[], hiddenAreas: string[] = [tmpdir(), homedir(), '/tmp', '/run']): string[] {
  const hidden = hiddenAreas.map((d) => path.resolve(d));
  const containsHidden = (dir: string): boolean =>
    hidden.some((area) => area === dir || area.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep));
  const paths: string[] = [];
  for (const file of files) {
    let dir = path.dirname(path.resolve(file));
    let packageRootFound = false;
    for (;;) {
      const manifest = path.join(dir, 'package.json');
      const modules = path.join(dir, 'node_modules');
      if (existsSync(manifest)) {
        if (!packageRootFound && !containsHidden(dir)) paths.push(dir);
        else paths.push(manifest);
        packageRootFound = true;
      }
      if (existsSync(modules)) paths.push(modules);
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return [...new Set(paths)];
}

/** Existing directories other than the root, each once: those the sandbox keeps readable. */
export function visibleDirectories(dirs: string[]): string[] {
  return [...new Set(dirs.map((d) => path.resolve(d)))].filter((d) => d !== '/' && existsSync(d));
}

/** The argv as run: wrapped in the instruction counter when one is asked for. */
export function wrapArgv(
  argv: string[],
  workDir: string,
  wrap: ((argv: string[], workDir: string) => CountingWrapper) | undefined,
): Omit<CountingWrapper, 'parse'> & Partial<CountingWrapper> {
  return wrap ? wrap(argv, workDir) : { argv };
}

/** A cancelled run ends with the signal's reason. */
export function throwIfAborted(sandbox: SandboxResult, signal: AbortSignal | undefined): void {
  if (sandbox.aborted) {
    const reason: unknown = signal?.reason;
    throw reason instanceof Error ? reason : new Error('cancelled');
  }
}

/** result.json validated, or undefined when the process ended before writing it. */
export function readHarnessResult<T extends z.ZodType>(file: string, schema: T, harnessName: string): z.infer<T> | undefined {
  const raw = readJson(file);
  if (raw === undefined) return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`The ${harnessName} harness wrote an invalid result: ${parsed.error.message.slice(0, 500)}`);
  return parsed.data;
}

export function readHarnessProgress(file: string): HarnessProgress | undefined {
  const progress = harnessProgress.safeParse(readJson(file));
  return progress.success ? progress.data : undefined;
}

/** The last lines of stderr, where a traceback or a faulthandler dump ends. */
export function stderrTail(run: SandboxResult, limit = 1500): string {
  const text = run.stderr.trim();
  return text.length <= limit ? text : `...${text.slice(-limit)}`;
}

/** How one language's harness process is described when it ends without a result. */
export interface AbnormalEndWording {
  /** "Python", "Node". */
  processName: string;
  /** Per signal, a parenthesised hint at the likely cause. */
  signalHints: Record<string, string>;
  /** After "exited with status N": what usually does that. */
  exitHint: string;
  /** A cause recognised in the output, checked before the signal. */
  fromOutput?: (run: SandboxResult) => string | undefined;
}

/** Why a harness process ended without a result, in words. */
export function describeAbnormalEnd(run: SandboxResult, wording: AbnormalEndWording): string {
  if (run.outputTruncated) return 'it printed more output than allowed and was stopped';
  const recognised = wording.fromOutput?.(run);
  if (recognised !== undefined) return recognised;
  if (run.signal) return `the ${wording.processName} process was killed by ${run.signal}${wording.signalHints[run.signal] ?? ''}`;
  return `the ${wording.processName} process exited with status ${run.exitCode} before reporting (${wording.exitHint})`;
}
