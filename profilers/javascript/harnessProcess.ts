/**
 * One sandboxed run of the JavaScript harness under Node: a fresh work directory holding the program modules (TypeScript
 * transpiled by esbuild, types not checked), the workload and job.json; the result is read back from result.json (never
 * stdout, which user code may print to). The harness itself is read from where Perfloop is installed.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  describeAbnormalEnd as describeHarnessEnd,
  makeProgramsDir,
  nodeProjectPaths,
  readHarnessProgress,
  readHarnessResult,
  readWorkloadModule,
  SHARED_JOB_DEFAULTS,
  stderrTail,
  throwIfAborted,
  userFiles,
  visibleDirectories,
  withWorkDir,
  wrapArgv,
  writePrograms,
  type AbnormalEndWording,
  type CountingWrapper,
  type ProgramRole,
  type ProgramWithOrigin,
} from '../harnessRun.js';
import { findResource } from '../resources.js';
import type { WorkloadSource } from '../runner.js';
import { RunnerError } from '../runner.js';
import { runSandboxed } from '../sandbox/sandbox.js';
import type { SandboxMode, SandboxRequest, SandboxResult } from '../sandbox/types.js';
import { startWorker, type StartedWorker } from '../judge/pairedWorkers.js';
import type { Side } from '../judge/timingCoordinator.js';
import { jsHarnessJob, jsHarnessResult, type HarnessProgress, type JsHarnessJob, type JsHarnessMode, type JsHarnessResult } from './harnessProtocol.js';
import { anchorImports } from './importAnchors.js';
import { isTypeScriptFile } from './javascriptTarget.js';
import { compileProjectModules, type ProjectEntry, type ProjectModules } from './projectImports.js';
import { TYPESCRIPT_TRANSFORM } from './sourceMap.js';

export { stderrTail };

const HARNESS_RESOURCE = 'profilers/javascript/harness';
/**
 * V8 reserves far more address space than it uses (heap cage, wasm guard regions, one isolate per loader thread), so
 * RLIMIT_AS is no memory limit for Node; the heap limit below is, and fails with a clear "heap out of memory".
 */
const ADDRESS_SPACE_BYTES = 64 * 1024 ** 3;
const HEAP_LIMIT_MB = 4096;

export type JsProgramRole = ProgramRole;

/** The user's file the program came from: imports resolve from it, and `.ts` means the source is TypeScript. */
export type JsProgramEntry = ProgramWithOrigin;

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
  /** Extra environment variables for Node (the sandbox scrubs the rest). */
  env?: Readonly<Record<string, string>>;
  /**
   * Imports of the copies reach the user's files through absolute specifiers where those are exact, so that the run
   * needs no resolution hooks (see importAnchors.ts); the hooks still serve copies whose imports cannot be anchored.
   */
  anchorImports?: boolean;
  /** An inputs file made by an inputs run (harness/inputsData.mjs): the process reads its inputs there. */
  inputsFile?: string;
  /** inputs mode: where the inputs file is kept once the run wrote it (it outlives the work directory). */
  keepInputs?: string;
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

/** The seed of every job that sets none (all but the timing workers'): its inputs are the same in every such process. */
export const DEFAULT_SEED = 1729;
const DEFAULT_JOB = { ...SHARED_JOB_DEFAULTS, profileSeconds: 2, seed: DEFAULT_SEED } satisfies Partial<JsHarnessJob>;

/** Program text as Node can load it: TypeScript loses its types (esbuild, no type checking). */
export async function toJavaScript(source: string, typescript: boolean, what: string): Promise<string> {
  if (!typescript) return source;
  try {
    // Loaded on first use: esbuild is a native package the editor bundle does not carry, and Python users never need it.
    const { transform } = await import('esbuild');
    return (await transform(source, TYPESCRIPT_TRANSFORM)).code;
  } catch (error) {
    throw new RunnerError(`${what} does not transpile as TypeScript: ${(error as Error).message.split('\n').slice(0, 6).join('\n')}`);
  }
}

/**
 * What the copies of the user's modules become once transpiled: unchanged (the resolution hooks map their imports), or
 * anchored where possible; `hooksNeeded` tells whether some copy still relies on the hooks.
 */
function importResolution(anchor: boolean, project: ProjectModules): { finish(js: string, userFile: string): Promise<string>; hooksNeeded(): boolean } {
  let hooksNeeded = !anchor;
  return {
    async finish(js, userFile) {
      if (!anchor) return js;
      const anchored = await anchorImports(js, userFile, project.redirects);
      if (anchored === undefined) hooksNeeded = true;
      return anchored ?? js;
    },
    hooksNeeded: () => hooksNeeded,
  };
}

/** `.cjs`, or a `.js` without import/export statements: Node's CommonJS loader must load it, not a `.mjs` copy. */
function isCommonJsModule(file: string): boolean {
  const extension = path.extname(file).toLowerCase();
  return extension === '.cjs' || (extension === '.js' && !/^[ \t]*(?:import[ \t{*'"]|export[ \t{*])/m.test(readWorkloadModule(file)));
}

async function workloadSpec(
  workload: WorkloadSource,
  programsDir: string,
  imports: ReturnType<typeof importResolution>,
): Promise<JsHarnessJob['workload']> {
  const sourcePath = path.join(programsDir, 'workload.mjs');
  switch (workload.kind) {
    case 'json':
      return { kind: 'json', correctness: workload.correctness, performance: workload.performance };
    case 'module': {
      // CommonJS loads in place, where its `require`s resolve as in the project (a copy would resolve from here).
      if (isCommonJsModule(workload.path)) return { kind: 'module', path: path.resolve(workload.path), sourcePath: path.resolve(workload.path) };
      const text = await toJavaScript(readWorkloadModule(workload.path), isTypeScriptFile(workload.path), 'The inputs module');
      writeFileSync(sourcePath, await imports.finish(text, path.resolve(workload.path)));
      return { kind: 'module', path: path.resolve(workload.path), sourcePath };
    }
    case 'generator':
      // LLM-written generators may carry type annotations whatever the target's language; plain JS passes through.
      writeFileSync(sourcePath, await toJavaScript(workload.source, true, 'The input generator'));
      // Its imports resolve from the work directory: only Node's built-ins are meant to be used there.
      return { kind: 'module', path: sourcePath, sourcePath };
  }
}

/** The copies whose imports resolve from a user's file: the programs and the user's inputs module. */
function projectEntries(request: JsHarnessRunRequest): ProjectEntry[] {
  const entries: ProjectEntry[] = [];
  for (const entry of Object.values(request.programs)) {
    if (entry?.filePath) entries.push({ source: entry.program.source, filePath: path.resolve(entry.filePath) });
  }
  if (request.workload.kind === 'module') entries.push({ source: readWorkloadModule(request.workload.path), filePath: path.resolve(request.workload.path) });
  return entries;
}

export async function runJavaScriptHarness(request: JsHarnessRunRequest): Promise<JsHarnessRun> {
  return launchHarness(request);
}

/**
 * Starts a harness job that stays up and answers on its channel (serve mode): the timing worker of one side. The request
 * may wait for something first (its inputs file).
 */
export function startJavaScriptHarnessWorker(side: Side, request: JsHarnessRunRequest | Promise<JsHarnessRunRequest>): StartedWorker<JsHarnessRun> {
  return startWorker(side, async (onChannel) => launchHarness(await request, onChannel));
}


async function launchHarness(request: JsHarnessRunRequest, onChannel?: SandboxRequest['onChannel']): Promise<JsHarnessRun> {
  const harnessDir = findResource(HARNESS_RESOURCE);
  return withWorkDir('perfloop-js-', async (workDir) => {
    const programsDir = makeProgramsDir(workDir);
    const projectDir = path.join(workDir, 'project');
    mkdirSync(projectDir);
    // Original and candidate alike: their imports resolve from the user's file, by the project's rules.
    const project = await compileProjectModules(projectEntries(request), projectDir);
    const imports = importResolution(request.anchorImports ?? false, project);
    for (const copy of project.copies) writeFileSync(copy.path, await imports.finish(copy.text, copy.filePath));
    const programs: JsHarnessJob['programs'] = await writePrograms(programsDir, request.programs, '.mjs', async (entry, role) => {
      const typescript = entry.filePath !== undefined && isTypeScriptFile(entry.filePath);
      const text = await toJavaScript(entry.program.source, typescript, `The ${role}`);
      return entry.filePath === undefined ? text : imports.finish(text, path.resolve(entry.filePath));
    });
    const workload = await workloadSpec(request.workload, programsDir, imports);
    const resultPath = path.join(workDir, 'result.json');
    const progressPath = path.join(workDir, 'progress.json');
    const inputsOutPath = path.join(workDir, 'inputs-made.bin');
    const inputsFile = path.join(workDir, 'inputs.bin');
    // A copy, not a link: where the sandbox leaves the work directory writable, a side must not change the other's inputs.
    if (request.inputsFile) copyFileSync(request.inputsFile, inputsFile);
    const job: JsHarnessJob = jsHarnessJob.parse({
      ...DEFAULT_JOB,
      budgetSeconds: Math.max(1, request.timeoutMs / 2000),
      ...request.job,
      mode: request.mode,
      programs,
      workload,
      importHooks: imports.hooksNeeded(),
      projectModules: { redirects: [...project.redirects], parents: [...project.parents] },
      resultPath,
      progressPath,
      ...(request.inputsFile ? { inputsFile } : {}),
      ...(request.keepInputs ? { inputsOutPath } : {}),
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
    const wrapped = wrapArgv(argv, workDir, request.wrap);
    // The user's project stays readable where the sandbox hides a private area such as /tmp.
    const readable = [...userFiles(request.programs, request.workload), path.join(harnessDir, 'main.mjs')];
    const sandbox = await runSandboxed({
      argv: wrapped.argv,
      ...(wrapped.launcher ? { launcher: wrapped.launcher } : {}),
      mode: request.sandbox,
      workDir,
      timeoutMs: request.timeoutMs,
      // The wall clock is the limit that matters; the CPU limit (V8 compiles and collects on extra threads) only stops
      // what escapes it.
      limits: { cpuSeconds: Math.ceil(request.timeoutMs / 1000) * 2 + 5, addressSpaceBytes: ADDRESS_SPACE_BYTES },
      readOnlyPaths: visibleDirectories([
        ...readable.map((f) => path.dirname(path.resolve(f))),
        ...nodeProjectPaths(userFiles(request.programs, request.workload)),
        ...project.files.map((f) => path.dirname(f)),
      ]),
      outputFiles: [resultPath, progressPath, ...(request.keepInputs ? [inputsOutPath] : [])],
      ...(request.env ? { env: request.env } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(onChannel ? { onChannel } : {}),
    });
    throwIfAborted(sandbox, request.signal);
    const written: JsHarnessResult | undefined = readHarnessResult(resultPath, jsHarnessResult, 'JavaScript');
    // A result without the job's nonce was written by program code, not by the harness.
    const forged = written !== undefined && written.nonce !== job.nonce;
    const result = forged ? undefined : written;
    const progress = readHarnessProgress(progressPath);
    const count = result?.ok && wrapped.parse ? wrapped.parse(sandbox) : undefined;
    if (request.keepInputs && result?.ok) copyFileSync(inputsOutPath, request.keepInputs);
    return {
      ...(result ? { result } : {}),
      ...(progress ? { progress } : {}),
      sandbox,
      ...(count !== undefined ? { count } : {}),
      ...(forged ? { forged } : {}),
    };
  });
}

const NODE_END: AbnormalEndWording = {
  processName: 'Node',
  signalHints: {
    SIGSEGV: ' (a crash in native code or a stack overflow in native code)',
    SIGABRT: ' (Node aborted, e.g. out of memory)',
    SIGKILL: ' (killed: most likely out of memory)',
    SIGXCPU: ' (CPU time limit reached)',
    SIGXFSZ: ' (file size limit reached)',
  },
  exitHint: 'process.exit in the code, or a crash',
  fromOutput: (run) => (/heap out of memory|Allocation failed/i.test(run.stderr) ? `the Node process ran out of heap (limit ${HEAP_LIMIT_MB} MiB)` : undefined),
};

/** Why a Node harness process ended without a result, in words. */
export function describeAbnormalEnd(run: SandboxResult): string {
  return describeHarnessEnd(run, NODE_END);
}
