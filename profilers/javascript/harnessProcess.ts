/**
 * One sandboxed run of the JavaScript harness under Node: a fresh work directory holding the program modules (TypeScript
 * transpiled by esbuild, types not checked), the workload and job.json; the result is read back from result.json (never
 * stdout, which user code may print to). The harness itself is read from where Perfloop is installed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stderrTail } from '../python/harnessProcess.js';
import { findResource } from '../resources.js';
import type { Program, WorkloadSource } from '../runner.js';
import { RunnerError } from '../runner.js';
import { runSandboxed } from '../sandbox/sandbox.js';
import type { SandboxMode, SandboxResult } from '../sandbox/types.js';
import type { CountingWrapper } from '../python/harnessProcess.js';
import {
  harnessProgress,
  jsHarnessJob,
  jsHarnessResult,
  type HarnessProgress,
  type JsHarnessJob,
  type JsHarnessMode,
  type JsHarnessResult,
} from './harnessProtocol.js';
import { isTypeScriptFile } from './javascriptTarget.js';

export { stderrTail };

const HARNESS_RESOURCE = 'profilers/javascript/harness';
/**
 * V8 reserves far more address space than it uses (heap cage, wasm guard regions, one isolate per loader thread), so
 * RLIMIT_AS is no memory limit for Node; the heap limit below is, and fails with a clear "heap out of memory".
 */
const ADDRESS_SPACE_BYTES = 64 * 1024 ** 3;
const HEAP_LIMIT_MB = 4096;

export type JsProgramRole = 'original' | 'candidate' | 'program';

export interface JsProgramEntry {
  program: Program;
  /** The user's file the program came from: imports resolve from it, and `.ts` means the source is TypeScript. */
  filePath?: string;
}

export interface JsHarnessRunRequest {
  node: string;
  mode: JsHarnessMode;
  programs: Partial<Record<JsProgramRole, JsProgramEntry>>;
  workload: WorkloadSource;
  job: Partial<JsHarnessJob>;
  sandbox: SandboxMode;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Extra Node flags (before the harness script). */
  nodeFlags?: readonly string[];
  /** Wraps Node's argv in an instruction counter (the same wrappers as the Python runner's). */
  wrap?: (argv: string[], workDir: string) => CountingWrapper;
}

export interface JsHarnessRun {
  result?: JsHarnessResult;
  progress?: HarnessProgress;
  sandbox: SandboxResult;
  /** The wrapper's count, when a wrapper was given and the harness succeeded. */
  count?: number;
  /** result.json was there but without the job's nonce: program code wrote it (and then ended the process). */
  forged?: boolean;
}

const DEFAULT_JOB = {
  floatTolerance: 1e-7,
  sizedN: null,
  perfCallSeconds: 0.03,
  maxSizedN: 1 << 20,
  mutatesArguments: false,
  samples: 0,
  sampleSeconds: 0.05,
  maxPoints: 0,
  maxSecondsPerCall: 1,
  complexityStartSize: 8,
  profileSeconds: 2,
  calls: 1,
} satisfies Partial<JsHarnessJob>;

/** Program text as Node can load it: TypeScript loses its types (esbuild, no type checking). */
export async function toJavaScript(source: string, typescript: boolean, what: string): Promise<string> {
  if (!typescript) return source;
  try {
    // Loaded on first use: esbuild is a native package the editor bundle does not carry, and Python users never need it.
    const { transform } = await import('esbuild');
    return (await transform(source, { loader: 'ts', format: 'esm', target: 'node20' })).code;
  } catch (error) {
    throw new RunnerError(`${what} does not transpile as TypeScript: ${(error as Error).message.split('\n').slice(0, 6).join('\n')}`);
  }
}

async function workloadSpec(workload: WorkloadSource, programsDir: string): Promise<JsHarnessJob['workload']> {
  const sourcePath = path.join(programsDir, 'workload.mjs');
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
      writeFileSync(sourcePath, await toJavaScript(text, isTypeScriptFile(workload.path), 'The workload module'));
      return { kind: 'module', path: path.resolve(workload.path), sourcePath };
    }
    case 'generator':
      // LLM-written generators may carry type annotations whatever the target's language; plain JS passes through.
      writeFileSync(sourcePath, await toJavaScript(workload.source, true, 'The input generator'));
      // Its imports resolve from the work directory: only Node's built-ins are meant to be used there.
      return { kind: 'module', path: sourcePath, sourcePath };
  }
}

function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // a half-written progress file of a killed process
  }
}

/** The user's project stays readable where the sandbox hides a private area such as /tmp. */
function visibleDirectories(files: (string | undefined)[]): string[] {
  const dirs = files.filter((f): f is string => !!f).map((f) => path.dirname(path.resolve(f)));
  return [...new Set(dirs)].filter((d) => d !== '/' && existsSync(d));
}

export async function runJavaScriptHarness(request: JsHarnessRunRequest): Promise<JsHarnessRun> {
  const harnessDir = findResource(HARNESS_RESOURCE);
  const workDir = mkdtempSync(path.join(tmpdir(), 'perfloop-js-'));
  try {
    const programsDir = path.join(workDir, 'programs');
    mkdirSync(programsDir);
    const programs: JsHarnessJob['programs'] = {};
    for (const [role, entry] of Object.entries(request.programs) as [JsProgramRole, JsProgramEntry | undefined][]) {
      if (!entry) continue;
      const sourcePath = path.join(programsDir, `${role}.mjs`);
      const typescript = entry.filePath !== undefined && isTypeScriptFile(entry.filePath);
      writeFileSync(sourcePath, await toJavaScript(entry.program.source, typescript, `The ${role}`));
      programs[role] = {
        path: sourcePath,
        functionName: entry.program.functionName,
        ...(entry.filePath ? { filePath: path.resolve(entry.filePath) } : {}),
      };
    }
    const resultPath = path.join(workDir, 'result.json');
    const progressPath = path.join(workDir, 'progress.json');
    const job: JsHarnessJob = jsHarnessJob.parse({
      ...DEFAULT_JOB,
      budgetSeconds: Math.max(1, request.timeoutMs / 2000),
      ...request.job,
      mode: request.mode,
      programs,
      workload: await workloadSpec(request.workload, programsDir),
      resultPath,
      progressPath,
      nonce: randomBytes(16).toString('hex'),
    });
    const jobPath = path.join(workDir, 'job.json');
    writeFileSync(jobPath, JSON.stringify(job));

    const argv = [
      request.node,
      '--expose-gc',
      `--max-old-space-size=${HEAP_LIMIT_MB}`,
      ...(request.nodeFlags ?? []),
      path.join(harnessDir, 'main.mjs'),
      jobPath,
    ];
    const wrapped: Omit<CountingWrapper, 'parse'> & Partial<CountingWrapper> = request.wrap ? request.wrap(argv, workDir) : { argv };
    const userFiles = [...Object.values(request.programs).map((p) => p?.filePath), request.workload.kind === 'module' ? request.workload.path : undefined];
    const sandbox = await runSandboxed({
      argv: wrapped.argv,
      ...(wrapped.launcher ? { launcher: wrapped.launcher } : {}),
      mode: request.sandbox,
      workDir,
      timeoutMs: request.timeoutMs,
      // The wall clock is the limit that matters; the CPU limit (V8 compiles and collects on extra threads) only stops
      // what escapes it.
      limits: { cpuSeconds: Math.ceil(request.timeoutMs / 1000) * 2 + 5, addressSpaceBytes: ADDRESS_SPACE_BYTES },
      readOnlyPaths: visibleDirectories([...userFiles, path.join(harnessDir, 'main.mjs')]),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    if (sandbox.aborted) {
      const reason: unknown = request.signal?.reason;
      throw reason instanceof Error ? reason : new Error('cancelled');
    }
    const rawResult = readJson(resultPath);
    let result: JsHarnessResult | undefined;
    let forged = false;
    if (rawResult !== undefined) {
      const parsed = jsHarnessResult.safeParse(rawResult);
      if (!parsed.success) throw new Error(`The JavaScript harness wrote an invalid result: ${parsed.error.message.slice(0, 500)}`);
      // A result without the job's nonce was written by program code, not by the harness.
      if (parsed.data.nonce === job.nonce) result = parsed.data;
      else forged = true;
    }
    const progress = harnessProgress.safeParse(readJson(progressPath));
    const count = result?.ok && wrapped.parse ? wrapped.parse(sandbox) : undefined;
    return {
      ...(result ? { result } : {}),
      ...(progress.success ? { progress: progress.data } : {}),
      sandbox,
      ...(count !== undefined ? { count } : {}),
      ...(forged ? { forged } : {}),
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Why a harness process ended without a result, in words. */
export function describeAbnormalEnd(run: SandboxResult): string {
  if (run.outputTruncated) return 'it printed more output than allowed and was stopped';
  if (/heap out of memory|Allocation failed/i.test(run.stderr)) return `the Node process ran out of heap (limit ${HEAP_LIMIT_MB} MiB)`;
  if (run.signal) {
    const hints: Record<string, string> = {
      SIGSEGV: ' (a crash in native code or a stack overflow in native code)',
      SIGABRT: ' (Node aborted, e.g. out of memory)',
      SIGKILL: ' (killed: most likely out of memory)',
      SIGXCPU: ' (CPU time limit reached)',
      SIGXFSZ: ' (file size limit reached)',
    };
    return `the Node process was killed by ${run.signal}${hints[run.signal] ?? ''}`;
  }
  return `the Node process exited with status ${run.exitCode} before reporting (process.exit in the code, or a crash)`;
}
