/**
 * The Python runner: every execution of original, candidate or workload code is one run of the stdlib-only harness
 * (profilers/python/harness) inside the sandbox. This file maps the LanguageRunner calls to harness jobs and the
 * harness's answers (or its death) back to the contract's results.
 *
 * Imports: the user's file runs as its project imports it (pythonProject.ts): as a member of its package, with the
 * project's import roots on sys.path and the project root as the working directory. Installed packages come from the
 * interpreter's own site-packages (a virtualenv's interpreter keeps its packages, editable installs included), PYTHONPATH
 * is honoured (pythonInterpreter.ts); user site-packages are off (-s).
 */
import type { z } from 'zod';
import { countCalls } from '../counters/countedCalls.js';
import { detectInstructionCounter, wrapForCounting } from '../counters/instructions.js';
import type {
  CandidateBuild,
  ComplexityOptions,
  ComplexityPoint,
  EquivalenceResult,
  ExtractedTarget,
  CountOptions,
  InstructionCount,
  LanguageRunner,
  LineProfile,
  MemoryProfile,
  PairedTimingSamples,
  Program,
  RunOptions,
  TargetSpec,
  TimingOptions,
  WorkloadSource,
  WorkloadSummary,
} from '../runner.js';
import { RunnerError } from '../runner.js';
import { equivalenceResult, harnessData, throwIfWorkloadCrashed, type HarnessVoice } from '../harnessResults.js';
import { resolveSandboxKind } from '../sandbox/sandbox.js';
import { SizedWorkloads } from '../sizedWorkloads.js';
import type { SandboxKind, SandboxMode } from '../sandbox/types.js';
import {
  DEFAULT_SEED,
  describeAbnormalEnd,
  runHarness,
  startHarnessWorker,
  stderrTail,
  type HarnessRun,
  type HarnessRunRequest,
  type ProgramWithOrigin,
} from './harnessProcess.js';
import { GeneratedInputFiles } from '../generatedInputFiles.js';
import { checkEquivalenceSideBySide, measureTimeSideBySide, OriginalOutcomes, type SideBySideRunner, userEqualHook } from '../judge/sideBySide.js';
import {
  complexityData,
  countData,
  equalData,
  inputsData,
  memoryData,
  profileData,
  timeData,
  workloadData,
  type HarnessJob,
  type HarnessMode,
} from './harnessProtocol.js';
import { resolvePythonInterpreter, type PythonInterpreter } from './pythonInterpreter.js';
import { describeHiddenFiles, pythonModulePlace } from './pythonProject.js';
import { applyPythonCandidate, buildPythonCandidate, extractPythonTarget, originalPythonProgram } from './pythonTarget.js';

export interface PythonRunnerOptions {
  /** Interpreter path or command; default: python3, then python, on PATH (resolved to the real binary once). */
  pythonPath?: string;
  /** The project root (--project-dir); default: found from the target file (pythonProject.ts). */
  projectDir?: string;
}

/** Instruction counters slow Python down (valgrind 20–100×): their runs get a longer time limit. */
const COUNTER_SLOWDOWN = { valgrind: 15, perf: 2 } as const;

const PYTHON_HARNESS: HarnessVoice = { harnessName: 'Python', describeAbnormalEnd };

type InstructionCounter = NonNullable<Awaited<ReturnType<typeof detectInstructionCounter>>>;

interface RunSettings {
  timeoutMs?: number;
  wrap?: HarnessRunRequest['wrap'];
  /** Generated inputs to read instead of running the generator (GeneratedInputFiles). */
  inputsFile?: string;
}

export class PythonRunner implements LanguageRunner {
  readonly language = 'python' as const;
  readonly fileExtensions: readonly string[] = ['.py', '.pyw'];
  /** The user's file each program came from (Program carries only its source): for sys.path and `__file__`. */
  private readonly sourceFiles = new WeakMap<Program, string>();
  /** Per workload: the settled sized-input size and whether the original mutates its arguments. */
  private readonly workloads = new SizedWorkloads();
  private counter: Promise<InstructionCounter | undefined> | undefined;
  /** The original's behaviour on the inputs, run once and compared with every candidate's. */
  private readonly originalOutcomes = new OriginalOutcomes();
  /** The interpreter resolved by the first run (timing workers start synchronously from it). */
  private resolvedPython: PythonInterpreter | undefined;
  /** An LLM-written generator's inputs, made apart from the code under test and read by each side's process. */
  private readonly generated = new GeneratedInputFiles(this.workloads, { folderPrefix: 'perfloop-py-inputs-', extension: '.pickle' }, (original, workload, seed, keepAt, opts) =>
    this.makeInputs(original, workload, seed, keepAt, opts),
  );

  constructor(private readonly options: PythonRunnerOptions = {}) {}

  private python(): Promise<PythonInterpreter> {
    return resolvePythonInterpreter(this.options.pythonPath);
  }

  async describe(): Promise<string> {
    const python = await this.python();
    return `${python.implementation} ${python.version} (${python.executable})`;
  }

  sandboxKind(mode: SandboxMode): Promise<SandboxKind> {
    return resolveSandboxKind(mode);
  }

  extractTarget(fileText: string, filePath: string, spec: TargetSpec): Promise<ExtractedTarget> {
    return extractPythonTarget(fileText, filePath, spec);
  }

  originalProgram(target: ExtractedTarget): Program {
    const program = originalPythonProgram(target);
    this.sourceFiles.set(program, target.filePath);
    return program;
  }

  async buildCandidate(target: ExtractedTarget, code: string, id: string): Promise<CandidateBuild> {
    const build = await buildPythonCandidate(target, code, id);
    if (build.ok) this.sourceFiles.set(build.program, target.filePath);
    return build;
  }

  applyCandidate(target: ExtractedTarget, code: string): Promise<string> {
    return applyPythonCandidate(target, code);
  }

  /** The project root the program (else the workload module) runs from. */
  private projectRoot(program: Program, workload: WorkloadSource): string {
    const file = this.sourceFiles.get(program) ?? (workload.kind === 'module' ? workload.path : undefined);
    return file ? pythonModulePlace(file, this.options.projectDir).projectRoot : 'the folder of the code';
  }

  private entry(program: Program): ProgramWithOrigin {
    const filePath = this.sourceFiles.get(program);
    return filePath ? { program, filePath } : { program };
  }

  private resolved(): PythonInterpreter {
    if (!this.resolvedPython) throw new Error('internal: the interpreter is resolved by the first run');
    return this.resolvedPython;
  }

  /** The request fields every harness run of this runner shares: interpreter, its import paths, the project root. */
  private interpreterFields(python: PythonInterpreter): Pick<HarnessRunRequest, 'python' | 'interpreter' | 'projectDir'> {
    return {
      python: python.executable,
      interpreter: python,
      ...(this.options.projectDir ? { projectDir: this.options.projectDir } : {}),
    };
  }

  private async run(
    mode: HarnessMode,
    programs: HarnessRunRequest['programs'],
    workload: WorkloadSource,
    opts: RunOptions,
    job: Partial<HarnessJob>,
    settings: RunSettings = {},
  ): Promise<HarnessRun> {
    const python = await this.python();
    this.resolvedPython = python;
    const run = await runHarness({
      ...this.interpreterFields(python),
      mode,
      programs,
      workload,
      job: { ...this.workloads.baseJob(workload, opts), ...job },
      sandbox: opts.sandbox,
      timeoutMs: settings.timeoutMs ?? opts.timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(settings.wrap ? { wrap: settings.wrap } : {}),
      ...(settings.inputsFile ? { inputsFile: settings.inputsFile } : {}),
    });
    this.workloads.remember(mode, workload, run.result);
    return run;
  }

  /** The `inputs` run for one seed: the generator with the original only, its inputs moved to `keepAt`. */
  private async makeInputs(original: Program, workload: WorkloadSource, seed: number, keepAt: string, opts: RunOptions) {
    const python = await this.python();
    // Not this.run: an inputs run never calibrates, so it says nothing about the sized input's size.
    const run = await runHarness({
      ...this.interpreterFields(python),
      mode: 'inputs',
      programs: { original: this.entry(original) },
      workload,
      job: { ...this.workloads.baseJob(workload, opts), seed },
      sandbox: opts.sandbox,
      timeoutMs: opts.timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
      keepInputsAt: keepAt,
    });
    throwIfWorkloadCrashed(run, PYTHON_HARNESS);
    return this.data(run, inputsData, 'Making the generated inputs', opts.timeoutMs);
  }

  /** Removes the generated inputs' files. */
  dispose(): void {
    this.generated.dispose();
  }

  /** The mode's data, or the error that explains why there is none. */
  private data<T extends z.ZodType>(run: HarnessRun, schema: T, what: string, timeoutMs: number): z.infer<T> {
    return harnessData(run, schema, what, timeoutMs, PYTHON_HARNESS);
  }

  async checkWorkload(program: Program, workload: WorkloadSource, opts: RunOptions): Promise<WorkloadSummary> {
    const run = await this.run('workload', { original: this.entry(program) }, workload, opts, {});
    // The generator or the original took the process down: the user (or the LLM writing inputs) must fix it.
    throwIfWorkloadCrashed(run, PYTHON_HARNESS);
    // A file the sandbox hides makes the original raise (or fail to load) where the user's own runs succeed: said so.
    const hidden = describeHiddenFiles(run.result?.missingFiles ?? [], this.projectRoot(program, workload));
    let summary: WorkloadSummary;
    try {
      summary = this.data(run, workloadData, 'Checking the workload', opts.timeoutMs);
    } catch (error) {
      if (hidden && error instanceof Error) throw new RunnerError(`${error.message}\nWhy: ${hidden}`, (error as RunnerError).detail);
      throw error;
    }
    if (hidden && summary.originalRaisedOn > 0) {
      throw new RunnerError(`The original raised on ${summary.originalRaisedOn} input(s): ${hidden}`);
    }
    this.workloads.rememberMutation(workload, summary.originalMutatesArguments);
    this.generated.remember(workload, program, summary.generatorBesideCode);
    return summary;
  }

  /** The user's `equal(a, b)`, run in an `equal` job of its own (userEqualHook). */
  private sameReturns(original: Program, workload: WorkloadSource, opts: RunOptions): SideBySideRunner<HarnessRun>['sameReturns'] {
    return userEqualHook(workload, async (pairs) =>
      this.data(await this.run('equal', { original: this.entry(original) }, workload, opts, { pairs }), equalData, 'Comparing results with your equal(a, b)', opts.timeoutMs),
    );
  }

  /** Each side in a process of its own, judged by Perfloop (profilers/judge). */
  private sides(workload: WorkloadSource, opts: RunOptions, original?: Program): SideBySideRunner<HarnessRun> {
    const sameReturns = original ? this.sameReturns(original, workload, opts) : undefined;
    return {
      voice: PYTHON_HARNESS,
      ...(sameReturns ? { sameReturns } : {}),
      runOutcomes: async (program, job) => {
        const inputsFile = original ? await this.generated.fileFor(workload, DEFAULT_SEED, opts, original) : undefined;
        return this.run('outcomes', { [job.side]: this.entry(program) }, workload, opts, job, inputsFile ? { inputsFile } : {});
      },
      startTimingWorker: (side, program, job) => {
        const request: HarnessRunRequest = {
          ...this.interpreterFields(this.resolved()),
          mode: 'serve',
          programs: { [side]: this.entry(program) },
          workload,
          job: { ...this.workloads.baseJob(workload, opts), ...job, side },
          sandbox: opts.sandbox,
          timeoutMs: job.timeoutMs,
          ...(opts.signal ? { signal: opts.signal } : {}),
        };
        // Both workers of the pair ask for the same seed's inputs at once: one inputs run serves them.
        const inputsFile = original ? this.generated.fileFor(workload, job.seed, opts, original) : Promise.resolve(undefined);
        const worker = startHarnessWorker(side, inputsFile.then((file) => (file ? { ...request, inputsFile: file } : request)));
        this.generated.releaseWhenEnded(workload, job.seed, worker.ended);
        return worker;
      },
    };
  }

  /** Inputs must not be calibrated in a one-side process (calibration times the original): settle them first. */
  private settleWorkload(program: Program, workload: WorkloadSource, opts: RunOptions): Promise<void> {
    return this.workloads.settle(workload, () => this.checkWorkload(program, workload, opts));
  }

  async checkEquivalence(original: Program, candidate: Program, workload: WorkloadSource, opts: RunOptions): Promise<EquivalenceResult> {
    await this.settleWorkload(original, workload, opts);
    return checkEquivalenceSideBySide(this.sides(workload, opts, original), this.originalOutcomes, original, candidate, workload, {
      ...opts,
      callTimeoutSeconds: Math.max(1, opts.timeoutMs / 2000),
    });
  }

  async measureTime(
    original: Program,
    candidate: Program,
    workload: WorkloadSource,
    mutatesArguments: boolean,
    opts: TimingOptions,
  ): Promise<PairedTimingSamples> {
    await this.settleWorkload(original, workload, opts);
    // Samples of both sides, plus calibration and warm-up, with room for slow machines; never less than asked.
    const expectedSeconds = (opts.samples + 6) * 2 * opts.sampleSeconds * 3 + 10;
    return measureTimeSideBySide(this.sides(workload, opts, original), this.originalOutcomes, original, candidate, workload, mutatesArguments, {
      ...opts,
      warmup: 'once',
      expectedSeconds,
    });
  }

  private instructionCounter(): Promise<InstructionCounter | undefined> {
    this.counter ??= detectInstructionCounter();
    return this.counter;
  }

  async countInstructions(program: Program, workload: WorkloadSource, opts: RunOptions, options?: CountOptions): Promise<InstructionCount | undefined> {
    const counter = await this.instructionCounter();
    if (!counter) return undefined;
    // Counting must not calibrate (timing-dependent): settle the sized input first.
    if (workload.kind !== 'json' && !this.workloads.isSized(workload)) await this.checkWorkload(program, workload, opts);
    const timeoutMs = opts.timeoutMs * COUNTER_SLOWDOWN[counter.kind];
    const inputsFile = await this.generated.fileFor(workload, DEFAULT_SEED, opts);
    return countCalls(counter.kind, async (job) => {
      const run = await this.run('count', { program: this.entry(program) }, workload, opts, job, {
        timeoutMs,
        wrap: (argv, workDir) => wrapForCounting(counter.kind, argv, workDir),
        ...(inputsFile ? { inputsFile } : {}),
      });
      const data = this.data(run, countData, 'Counting instructions', timeoutMs);
      if (run.count === undefined) throw new Error(`Counting instructions with ${counter.kind} gave no count.\n${stderrTail(run.sandbox)}`);
      return { count: run.count, results: data.results };
    }, options);
  }

  async measureMemory(program: Program, workload: WorkloadSource, opts: RunOptions): Promise<MemoryProfile> {
    // Generated inputs only once the size is settled: a memory run that makes its own inputs may still calibrate.
    const inputsFile = this.workloads.isSized(workload) ? await this.generated.fileFor(workload, DEFAULT_SEED, opts) : undefined;
    const run = await this.run('memory', { program: this.entry(program) }, workload, opts, {}, inputsFile ? { inputsFile } : {});
    return this.data(run, memoryData, 'Measuring memory', opts.timeoutMs);
  }

  async profileLines(program: Program, workload: WorkloadSource, opts: RunOptions): Promise<LineProfile> {
    const job = { profileSeconds: Math.min(3, opts.timeoutMs / 4000) };
    const run = await this.run('profile', { program: this.entry(program) }, workload, opts, job);
    const data = this.data(run, profileData, 'Profiling lines', opts.timeoutMs);
    return { entries: data.entries, totalSeconds: data.totalSeconds };
  }

  async measureComplexity(program: Program, workload: WorkloadSource, opts: ComplexityOptions): Promise<ComplexityPoint[]> {
    if (workload.kind === 'json') return [];
    const job = this.workloads.complexityJob(workload, opts);
    const run = await this.run('complexity', { program: this.entry(program) }, workload, opts, job);
    return this.data(run, complexityData, 'Measuring complexity', opts.timeoutMs).points;
  }
}
