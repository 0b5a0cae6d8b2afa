/**
 * One sandboxed run of the Python harness: a fresh work directory holding a copy of the harness, the program sources,
 * the workload and job.json; the result is read back from result.json (never stdout, which user code may print to).
 */
import { constants as fsConstants, copyFileSync, cpSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  describeAbnormalEnd as describeHarnessEnd,
  makeProgramsDir,
  readHarnessProgress,
  readHarnessResult,
  readWorkloadModule,
  SHARED_JOB_DEFAULTS,
  throwIfAborted,
  userFiles,
  visibleDirectories,
  withWorkDir,
  wrapArgv,
  writePrograms,
  type AbnormalEndWording,
  type CountingWrapper,
  type ProgramRole,
  type ProgramSpec,
  type ProgramWithOrigin,
} from '../harnessRun.js';
import { findResource } from '../resources.js';
import type { WorkloadSource } from '../runner.js';
import { runSandboxed } from '../sandbox/sandbox.js';
import type { ResourceLimits, SandboxMode, SandboxRequest, SandboxResult } from '../sandbox/types.js';
import { startWorker, type StartedWorker } from '../judge/pairedWorkers.js';
import type { Side } from '../judge/timingCoordinator.js';
import type { PythonInterpreter } from './pythonInterpreter.js';
import { pythonModulePlace, type PythonModulePlace } from './pythonProject.js';
import { harnessJob, harnessResult, type HarnessJob, type HarnessMode, type HarnessProgress, type HarnessResult } from './harnessProtocol.js';

export { stderrTail } from '../harnessRun.js';
export type { CountingWrapper, ProgramRole, ProgramWithOrigin } from '../harnessRun.js';

const HARNESS_RESOURCE = 'profilers/python/harness';
/** The copy's package name: unlikely to collide with anything a user's project imports. */
const HARNESS_PACKAGE = 'perfloop_harness';

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
  /** What the interpreter imports from outside the sandbox (see pythonInterpreter.ts); none when omitted. */
  interpreter?: Pick<PythonInterpreter, 'sysPath' | 'userCodePaths'>;
  /** The project root the user named (--project-dir); found from the target file when omitted. */
  projectDir?: string;
  /**
   * Inputs an `inputs` run made (profilers/sizedWorkloads.ts, generatedInputs): copied into the programs directory, which
   * the code sees read-only, and read there instead of running the generator.
   */
  inputsFile?: string;
  /** inputs mode: where the inputs file the process wrote is moved to (it outlives the run's work directory). */
  keepInputsAt?: string;
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

/** The seed of every job that names none: outcomes, count, memory (timing workers get a fresh one per pair). */
export const DEFAULT_SEED = 1729;

const DEFAULT_JOB = { ...SHARED_JOB_DEFAULTS, seed: DEFAULT_SEED, profileSeconds: 3 } satisfies Partial<HarnessJob>;

function workloadSpec(workload: WorkloadSource, programsDir: string): HarnessJob['workload'] {
  switch (workload.kind) {
    case 'json':
      return { kind: 'json', correctness: workload.correctness, performance: workload.performance };
    case 'module': {
      const text = readWorkloadModule(workload.path);
      const sourcePath = path.join(programsDir, 'workload.py');
      writeFileSync(sourcePath, text);
      return { kind: 'module', path: workload.path, sourcePath, packageName: pythonModulePlace(workload.path).packageName };
    }
    case 'generator': {
      const sourcePath = path.join(programsDir, 'workload.py');
      writeFileSync(sourcePath, workload.source);
      return { kind: 'generator', sourcePath };
    }
  }
}

/** Where the project imports the target file and the workload module from, and their project roots (the first one's is the cwd). */
function projectPlaces(request: HarnessRunRequest): PythonModulePlace[] {
  return userFiles(request.programs, request.workload).map((f) => pythonModulePlace(f, request.projectDir));
}

/** The program's module identity: the original's and every candidate's, so relative imports resolve the same way. */
function withModuleIdentity(spec: ProgramSpec): ProgramSpec & { packageName?: string; moduleName?: string } {
  if (!spec.filePath) return spec;
  const place = pythonModulePlace(spec.filePath);
  return { ...spec, packageName: place.packageName, moduleName: place.moduleName };
}

/** Runs one harness job to its end. */
export async function runHarness(request: HarnessRunRequest): Promise<HarnessRun> {
  return launchHarness(request);
}

/**
 * Starts a harness job that stays up and answers on its channel (serve mode): the timing worker of one side. The request
 * may wait for something first (its generated inputs).
 */
export function startHarnessWorker(side: Side, request: HarnessRunRequest | Promise<HarnessRunRequest>): StartedWorker<HarnessRun> {
  return startWorker(side, async (onChannel) => launchHarness(await request, onChannel));
}

async function launchHarness(request: HarnessRunRequest, onChannel?: SandboxRequest['onChannel']): Promise<HarnessRun> {
  const harnessSource = findResource(HARNESS_RESOURCE);
  return withWorkDir('perfloop-py-', async (workDir) => {
    const harnessDir = path.join(workDir, 'lib', HARNESS_PACKAGE);
    cpSync(harnessSource, harnessDir, { recursive: true, filter: (source) => !source.includes('__pycache__') });
    // Program sources live outside sys.path, so user code cannot import them by accident.
    const programsDir = makeProgramsDir(workDir);
    const written = await writePrograms(programsDir, request.programs, '.py', (entry) => entry.program.source);
    const programs: HarnessJob['programs'] = Object.fromEntries(
      Object.entries(written).map(([role, spec]) => [role, withModuleIdentity(spec)]),
    );
    const places = projectPlaces(request);
    const resultPath = path.join(workDir, 'result.json');
    const progressPath = path.join(workDir, 'progress.json');
    // Written by an inputs run (an output file: directly in the work directory); read from the programs directory.
    const inputsFile = request.keepInputsAt ? path.join(workDir, 'inputs.pickle') : request.inputsFile ? path.join(programsDir, 'inputs.pickle') : undefined;
    if (request.inputsFile && inputsFile) copyFileSync(request.inputsFile, inputsFile, fsConstants.COPYFILE_FICLONE);
    const job: HarnessJob = harnessJob.parse({
      ...DEFAULT_JOB,
      callTimeoutSeconds: Math.max(1, request.timeoutMs / 2000),
      budgetSeconds: Math.max(1, request.timeoutMs / 2000),
      ...request.job,
      mode: request.mode,
      programs,
      workload: workloadSpec(request.workload, programsDir),
      searchPaths: [...new Set(places.flatMap((place) => place.importRoots))],
      interpreterPaths: request.interpreter?.sysPath ?? [],
      ...(places[0] ? { workingDirectory: places[0].projectRoot } : {}),
      resultPath,
      progressPath,
      ...(inputsFile ? { inputsFile } : {}),
    });
    const jobPath = path.join(workDir, 'job.json');
    writeFileSync(jobPath, JSON.stringify(job));

    // -s: no user site-packages. Not -I/-E: they would drop the sandbox's PYTHONHASHSEED=0 (the sandbox scrubs the
    // environment anyway); the harness removes its own directory from sys.path itself.
    const argv = [request.python, '-s', '-B', path.join(harnessDir, '__main__.py'), jobPath];
    const wrapped = wrapArgv(argv, workDir, request.wrap);
    const sandbox = await runSandboxed({
      argv: wrapped.argv,
      ...(wrapped.launcher ? { launcher: wrapped.launcher } : {}),
      mode: request.sandbox,
      workDir,
      timeoutMs: request.timeoutMs,
      // The wall clock is the limit that matters; the CPU limit only stops what escapes it.
      limits: { cpuSeconds: Math.ceil(request.timeoutMs / 1000) + 5, ...request.limits },
      env: { PYTHONHASHSEED: '0' },
      // The user's project (for its imports and data files; its secrets stay hidden), the user's code the interpreter
      // imports from elsewhere (PYTHONPATH, editable installs) and the interpreter's environment (a virtualenv with its
      // pyvenv.cfg) stay readable even where the sandbox hides a private area such as /tmp (CI checkouts and virtualenvs
      // do live there).
      readOnlyPaths: visibleDirectories([
        ...job.searchPaths,
        ...places.map((place) => place.projectRoot),
        ...(request.interpreter?.userCodePaths ?? []),
      ]),
      toolchainPaths: visibleDirectories([path.dirname(path.dirname(request.python))]),
      outputFiles: [resultPath, progressPath, ...(request.keepInputsAt && inputsFile ? [inputsFile] : [])],
      ...(request.signal ? { signal: request.signal } : {}),
      ...(onChannel ? { onChannel } : {}),
    });
    throwIfAborted(sandbox, request.signal);
    const result: HarnessResult | undefined = readHarnessResult(resultPath, harnessResult, 'Python');
    const progress = readHarnessProgress(progressPath);
    if (request.keepInputsAt && inputsFile && result?.ok) moveFile(inputsFile, request.keepInputsAt);
    const count = result?.ok && wrapped.parse ? wrapped.parse(sandbox) : undefined;
    return {
      ...(result ? { result } : {}),
      ...(progress ? { progress } : {}),
      sandbox,
      ...(count !== undefined ? { count } : {}),
    };
  });
}

function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    copyFileSync(from, to); // another file system; the work directory is removed anyway
  }
}

const PYTHON_END: AbnormalEndWording = {
  processName: 'Python',
  signalHints: {
    SIGSEGV: ' (a crash in native code: ctypes, an extension module, or recursion deeper than the C stack)',
    SIGABRT: ' (the interpreter aborted)',
    SIGKILL: ' (killed: most likely out of memory)',
    SIGXCPU: ' (CPU time limit reached)',
    SIGXFSZ: ' (file size limit reached)',
  },
  exitHint: 'sys.exit/os._exit in the code, or a crash',
};

/** Why a Python harness process ended without a result, in words. */
export function describeAbnormalEnd(run: SandboxResult): string {
  return describeHarnessEnd(run, PYTHON_END);
}
