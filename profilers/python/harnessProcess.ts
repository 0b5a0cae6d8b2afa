/**
 * One sandboxed run of the Python harness: a fresh work directory holding a copy of the harness, the program sources,
 * the workload and job.json; the result is read back from result.json (never stdout, which user code may print to).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findResource } from '../resources.js';
import type { Program, WorkloadSource } from '../runner.js';
import { RunnerError } from '../runner.js';
import { runSandboxed } from '../sandbox/sandbox.js';
import type { ResourceLimits, SandboxMode, SandboxResult } from '../sandbox/types.js';
import {
  harnessJob,
  harnessProgress,
  harnessResult,
  type HarnessJob,
  type HarnessMode,
  type HarnessProgress,
  type HarnessResult,
} from './harnessProtocol.js';

const HARNESS_RESOURCE = 'profilers/python/harness';
/** The copy's package name: unlikely to collide with anything a user's project imports. */
const HARNESS_PACKAGE = 'perfloop_harness';

export type ProgramRole = 'original' | 'candidate' | 'program';

export interface ProgramWithOrigin {
  program: Program;
  /** The user's file the program was extracted from, when known. */
  filePath?: string;
}

export interface HarnessRunRequest {
  python: string;
  mode: HarnessMode;
  programs: Partial<Record<ProgramRole, ProgramWithOrigin>>;
  workload: WorkloadSource;
  /** Job fields beyond the defaults. */
  job: Partial<HarnessJob>;
  sandbox: SandboxMode;
  timeoutMs: number;
  signal?: AbortSignal;
  limits?: Partial<ResourceLimits>;
  /** Wraps the interpreter's argv in an instruction counter. */
  wrap?: (argv: string[], workDir: string) => CountingWrapper;
}

export interface CountingWrapper {
  argv: string[];
  launcher?: readonly string[];
  /** Reads the count (from the output or from files in the work directory, which still exists when it is called). */
  parse(result: SandboxResult): number;
}

export interface HarnessRun {
  /** Undefined when the process died, was killed or timed out before writing its result. */
  result?: HarnessResult;
  /** The input the harness was on when it last reported (verify and workload modes). */
  progress?: HarnessProgress;
  sandbox: SandboxResult;
  /** The wrapper's count, when a wrapper was given and the harness succeeded. */
  count?: number;
}

const DEFAULT_JOB = {
  seed: 1729,
  floatTolerance: 1e-7,
  sizedN: null,
  perfCallSeconds: 0.03,
  maxSizedN: 1 << 20,
  mutatesArguments: false,
  samples: 0,
  sampleSeconds: 0.05,
  calls: 1,
  profileSeconds: 3,
  maxPoints: 0,
  maxSecondsPerCall: 1,
  complexityStartSize: 8,
} satisfies Partial<HarnessJob>;

function workloadSpec(workload: WorkloadSource, programsDir: string): HarnessJob['workload'] {
  switch (workload.kind) {
    case 'json':
      return { kind: 'json', correctness: workload.correctness, performance: workload.performance };
    case 'module': {
      let text: string;
      try {
        text = readFileSync(workload.path, 'utf8');
      } catch (error) {
        throw new RunnerError(`Cannot read the workload module ${workload.path}: ${(error as Error).message}`);
      }
      const sourcePath = path.join(programsDir, 'workload.py');
      writeFileSync(sourcePath, text);
      return { kind: 'module', path: workload.path, sourcePath };
    }
    case 'generator': {
      const sourcePath = path.join(programsDir, 'workload.py');
      writeFileSync(sourcePath, workload.source);
      return { kind: 'generator', sourcePath };
    }
  }
}

/** Directories the user's own imports resolve from: the target file's and the workload module's. */
function searchPaths(request: HarnessRunRequest): string[] {
  const files = Object.values(request.programs).map((p) => p?.filePath);
  if (request.workload.kind === 'module') files.push(request.workload.path);
  const dirs = files.filter((f): f is string => !!f).map((f) => path.dirname(path.resolve(f)));
  return [...new Set(dirs)];
}

function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // a half-written progress file of a killed process
  }
}

function visibleDirectories(dirs: string[]): string[] {
  return [...new Set(dirs.map((d) => path.resolve(d)))].filter((d) => d !== '/' && existsSync(d));
}

export async function runHarness(request: HarnessRunRequest): Promise<HarnessRun> {
  const harnessSource = findResource(HARNESS_RESOURCE);
  const workDir = mkdtempSync(path.join(tmpdir(), 'perfloop-py-'));
  try {
    const harnessDir = path.join(workDir, 'lib', HARNESS_PACKAGE);
    cpSync(harnessSource, harnessDir, { recursive: true, filter: (source) => !source.includes('__pycache__') });
    // Program sources live outside sys.path, so user code cannot import them by accident.
    const programsDir = path.join(workDir, 'programs');
    mkdirSync(programsDir);
    const programs: HarnessJob['programs'] = {};
    for (const [role, entry] of Object.entries(request.programs) as [ProgramRole, ProgramWithOrigin | undefined][]) {
      if (!entry) continue;
      const sourcePath = path.join(programsDir, `${role}.py`);
      writeFileSync(sourcePath, entry.program.source);
      programs[role] = {
        path: sourcePath,
        functionName: entry.program.functionName,
        ...(entry.filePath ? { filePath: path.resolve(entry.filePath) } : {}),
      };
    }
    const resultPath = path.join(workDir, 'result.json');
    const progressPath = path.join(workDir, 'progress.json');
    const job: HarnessJob = harnessJob.parse({
      ...DEFAULT_JOB,
      callTimeoutSeconds: Math.max(1, request.timeoutMs / 2000),
      budgetSeconds: Math.max(1, request.timeoutMs / 2000),
      ...request.job,
      mode: request.mode,
      programs,
      workload: workloadSpec(request.workload, programsDir),
      searchPaths: searchPaths(request),
      resultPath,
      progressPath,
    });
    const jobPath = path.join(workDir, 'job.json');
    writeFileSync(jobPath, JSON.stringify(job));

    // -s: no user site-packages. Not -I/-E: they would drop the sandbox's PYTHONHASHSEED=0 (the sandbox scrubs the
    // environment anyway); the harness removes its own directory from sys.path itself.
    const argv = [request.python, '-s', '-B', path.join(harnessDir, '__main__.py'), jobPath];
    const wrapped: Omit<CountingWrapper, 'parse'> & Partial<CountingWrapper> = request.wrap ? request.wrap(argv, workDir) : { argv };
    const sandbox = await runSandboxed({
      argv: wrapped.argv,
      ...(wrapped.launcher ? { launcher: wrapped.launcher } : {}),
      mode: request.sandbox,
      workDir,
      timeoutMs: request.timeoutMs,
      // The wall clock is the limit that matters; the CPU limit only stops what escapes it.
      limits: { cpuSeconds: Math.ceil(request.timeoutMs / 1000) + 5, ...request.limits },
      env: { PYTHONHASHSEED: '0' },
      // The user's project (for its imports) and the interpreter's environment stay readable even where the sandbox
      // hides a private area such as /tmp (CI checkouts and virtualenvs do live there).
      readOnlyPaths: visibleDirectories([...job.searchPaths, path.dirname(path.dirname(request.python))]),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    if (sandbox.aborted) {
      const reason: unknown = request.signal?.reason;
      throw reason instanceof Error ? reason : new Error('cancelled');
    }
    const rawResult = readJson(resultPath);
    let result: HarnessResult | undefined;
    if (rawResult !== undefined) {
      const parsed = harnessResult.safeParse(rawResult);
      if (!parsed.success) throw new Error(`The Python harness wrote an invalid result: ${parsed.error.message.slice(0, 500)}`);
      result = parsed.data;
    }
    const progress = harnessProgress.safeParse(readJson(progressPath));
    const count = result?.ok && wrapped.parse ? wrapped.parse(sandbox) : undefined;
    return {
      ...(result ? { result } : {}),
      ...(progress.success ? { progress: progress.data } : {}),
      sandbox,
      ...(count !== undefined ? { count } : {}),
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The last lines of stderr, where a traceback or a faulthandler dump ends. */
export function stderrTail(run: SandboxResult, limit = 1500): string {
  const text = run.stderr.trim();
  return text.length <= limit ? text : `...${text.slice(-limit)}`;
}

/** Why a harness process ended without a result, in words. */
export function describeAbnormalEnd(run: SandboxResult): string {
  if (run.outputTruncated) return 'it printed more output than allowed and was stopped';
  if (run.signal) {
    const hints: Record<string, string> = {
      SIGSEGV: ' (a crash in native code: ctypes, an extension module, or recursion deeper than the C stack)',
      SIGABRT: ' (the interpreter aborted)',
      SIGKILL: ' (killed: most likely out of memory)',
      SIGXCPU: ' (CPU time limit reached)',
      SIGXFSZ: ' (file size limit reached)',
    };
    return `the Python process was killed by ${run.signal}${hints[run.signal] ?? ''}`;
  }
  return `the Python process exited with status ${run.exitCode} before reporting (sys.exit/os._exit in the code, or a crash)`;
}
