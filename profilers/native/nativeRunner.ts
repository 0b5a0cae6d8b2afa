/**
 * The C and C++ runner. Every question is answered by a harness executable (harness/perfloop_harness.hpp linked with
 * the program objects, see README.md) run inside the sandbox; every compile runs there too. The original is compiled
 * once per run, each candidate once, and executables are cached by content (nativeBuild.ts).
 *
 * Each side runs in an executable and a process of its own (README.md, "Judged outside the judged"): the original's
 * and a candidate's outcomes are compared, and their timing workers driven, by profilers/judge in Perfloop's process.
 *
 * Beyond what the other runners check, an equivalence check that passes is repeated under AddressSanitizer and UBSan
 * (unless turned off): a candidate whose outputs match only by luck of undefined behaviour is `incorrect`.
 */
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { countCalls, type CountRun } from '../counters/countedCalls.js';
import { detectInstructionCounter, wrapForCounting } from '../counters/instructions.js';
import {
  complexityData,
  countData,
  harnessError,
  harnessModes,
  inputsData,
  memoryData,
  workloadData,
  type HarnessMode,
  type HarnessProgress,
} from '../harnessProtocol.js';
import { harnessData, throwIfWorkloadCrashed, type HarnessVoice } from '../harnessResults.js';
import { candidateLimits, judgeOutcomes, outcomesData } from '../judge/outcomes.js';
import { startWorker } from '../judge/pairedWorkers.js';
import { checkEquivalenceSideBySide, measureTimeSideBySide, originalOutcomes, OriginalOutcomes, type SideBySideRunner } from '../judge/sideBySide.js';
import {
  describeAbnormalEnd as describeHarnessEnd,
  readHarnessProgress,
  readHarnessResult,
  readWorkloadModule,
  SHARED_JOB_DEFAULTS,
  stderrTail,
  throwIfAborted,
  withWorkDir,
  type AbnormalEndWording,
} from '../harnessRun.js';
import { findResource } from '../resources.js';
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
import { resolveSandboxKind, runSandboxed } from '../sandbox/sandbox.js';
import type { SandboxKind, SandboxMode, SandboxRequest, SandboxResult } from '../sandbox/types.js';
import { GeneratedInputFiles } from '../generatedInputFiles.js';
import { generatedApart, SizedWorkloads } from '../sizedWorkloads.js';
import { callgrindLineCosts } from './callgrind.js';
import {
  CompileError,
  compilerVersion,
  harnessFlags,
  NativeBuildCache,
  resolveToolchain,
  SANITIZER_FLAGS,
  type NativeToolchainOptions,
  type Toolchain,
} from './nativeBuild.js';
import {
  applyNativeCandidate,
  buildNativeCandidate,
  dialectForFile,
  extractNativeTarget,
  originalNativeProgram,
  splitProgram,
  type NativeDialect,
  type SplitProgram,
} from './nativeTarget.js';
import { assembleHarnessPrelude, assembleProgramUnit, assembleTemplateProbe, entryExpressions } from './nativeUnits.js';
import { candidateMethodName } from './nativeMethod.js';
import { generatorFunctions, jsonWorkloadToCpp } from './nativeWorkload.js';

export interface NativeRunnerOptions extends NativeToolchainOptions {
  /** Which files this instance is registered for. Default: C++. */
  dialect?: NativeDialect;
}

const HARNESS_RESOURCE = 'profilers/native/harness';
const PROTOCOL = 1;
/** Native code under cachegrind runs ~20–60× slower; perf barely slows it. */
const COUNTER_SLOWDOWN = { valgrind: 60, perf: 2 } as const;
/** AddressSanitizer and UBSan slow code 2–5×. */
const SANITIZER_SLOWDOWN = 5;
/**
 * Seeds rand() before each call of an outcomes run (the seed plus the input's position), the same on both sides; also the
 * seed of count and memory runs (the harness's default), so one inputs file made apart serves all three.
 */
const OUTCOMES_SEED = 1729;
const ADDRESS_SPACE_BYTES = 8 * 1024 ** 3;
/** The smallest sized input the line profile uses. */
const PROFILE_MIN_SIZE = 8;

const nativeHarnessResult = z.discriminatedUnion('ok', [
  z.object({
    protocol: z.literal(PROTOCOL),
    compiler: z.string(),
    nonce: z.string(),
    ok: z.literal(true),
    mode: z.enum(harnessModes),
    sizedN: z.number().int().nullable(),
    data: z.unknown(),
  }),
  z.object({ protocol: z.literal(PROTOCOL), compiler: z.string(), nonce: z.string(), ok: z.literal(false), error: harnessError }),
]);
type NativeHarnessResult = z.infer<typeof nativeHarnessResult>;

const NATIVE_END: AbnormalEndWording = {
  processName: 'harness',
  signalHints: {
    SIGSEGV: ' (a segmentation fault: an invalid memory access or a stack overflow)',
    SIGBUS: ' (an invalid memory access)',
    SIGFPE: ' (an arithmetic error such as integer division by zero)',
    SIGABRT: ' (abort(): a failed assert, std::terminate, or a heap corruption glibc detected)',
    SIGILL: ' (an illegal instruction, e.g. __builtin_unreachable reached or code built for another CPU)',
    SIGKILL: ' (killed: most likely out of memory)',
    SIGXCPU: ' (CPU time limit reached)',
    SIGXFSZ: ' (file size limit reached)',
  },
  exitHint: 'exit() or a crash in the code',
  fromOutput: (run) => sanitizerSummary(run.stderr),
};

const NATIVE_HARNESS: HarnessVoice = { harnessName: 'C/C++', describeAbnormalEnd: (run) => describeHarnessEnd(run, NATIVE_END) };

/** The report AddressSanitizer or UBSan printed, in one line, or undefined. */
export function sanitizerSummary(stderr: string): string | undefined {
  const summary = /SUMMARY: (\w+Sanitizer: .*)/.exec(stderr)?.[1];
  if (summary) return summary.trim();
  const ubsan = /^(.*runtime error: .*)$/m.exec(stderr)?.[1];
  if (ubsan) return `UndefinedBehaviorSanitizer: ${ubsan.replace(/^.*?:\d+:\d+: /, '').trim()} at ${/([^\s/]+:\d+):\d+: runtime error/.exec(ubsan)?.[1] ?? '?'}`;
  const asan = /ERROR: (AddressSanitizer: [^\n]*)/.exec(stderr)?.[1];
  return asan?.trim();
}

interface ProgramOrigin {
  target: ExtractedTarget;
  side: 'original' | 'candidate';
}

type Side = 'original' | 'candidate';

interface HarnessRun {
  result?: NativeHarnessResult;
  progress?: HarnessProgress;
  sandbox: SandboxResult;
  forged?: boolean;
  count?: number;
  lineCounts?: Map<number, number>;
}

type JobValue = string | number | boolean | null | readonly number[];

interface RunRequest {
  mode: HarnessMode;
  programs: Partial<Record<Side, Program>>;
  workload: WorkloadSource;
  opts: RunOptions;
  job?: Record<string, JobValue | undefined>;
  timeoutMs?: number;
  sanitize?: boolean;
  memory?: boolean;
  counter?: 'perf' | 'valgrind';
  /** Run under callgrind and collect inclusive instructions per line of this file (the line profile). */
  linesOf?: string;
  /** Build the original without inlining (the line profile: calls are then charged to the line that makes them). */
  profileBuild?: boolean;
  /** serve mode: the coordinator's channel, fd 4 of the process. */
  onChannel?: SandboxRequest['onChannel'];
  /**
   * The inputs an LLM-written generator made apart (GeneratedInputFiles): the executable is built without the generator
   * and reads them from this file.
   */
  inputsFile?: string;
  /** inputs mode: where to keep the inputs file the run writes. */
  keepInputsAt?: string;
}

type InstructionCounter = NonNullable<Awaited<ReturnType<typeof detectInstructionCounter>>>;

export class NativeRunner implements LanguageRunner {
  readonly language: LanguageRunner['language'];
  readonly fileExtensions: readonly string[];
  private readonly dialect: NativeDialect;
  private readonly cache = new NativeBuildCache();
  private readonly origins = new WeakMap<Program, ProgramOrigin>();
  private readonly splits = new WeakMap<Program, Promise<SplitProgram>>();
  private readonly workloads = new SizedWorkloads();
  private readonly workloadSources = new WeakMap<WorkloadSource, string>();
  private toolchain: Toolchain | undefined;
  /**
   * cachegrind's count of one call per performance input (with its results), made alongside the line profile: the same run
   * countInstructions would make (exact counts), so it is not made twice.
   */
  private readonly valgrindTotals = new WeakMap<Program, WeakMap<WorkloadSource, CountRun>>();
  private counter: Promise<InstructionCounter | undefined> | undefined;
  /** Set when the sanitizer build failed once (e.g. libasan missing): later checks skip it and say so. */
  private sanitizersUnavailable: string | undefined;
  /** Compiles started ahead of need (the sanitizer build) while nothing is timed; timing waits for them. */
  private readonly backgroundBuilds = new Set<Promise<unknown>>();
  /** The original's behaviour on the inputs, run once and compared with every candidate's. */
  private readonly originalOutcomes = new OriginalOutcomes();
  /** The original's outcomes run under the sanitizers, made only when a candidate trips them: did the original too? */
  private readonly sanitizedOriginals = new WeakMap<Program, WeakMap<WorkloadSource, Promise<HarnessRun>>>();
  /** An LLM-written generator's inputs, made apart from the code under test and read by each side's executable. */
  private readonly generated = new GeneratedInputFiles(this.workloads, { folderPrefix: 'perfloop-native-inputs-', extension: '.bin' }, (original, workload, seed, keepAt, opts) =>
    this.makeInputs(original, workload, seed, keepAt, opts),
  );

  constructor(private readonly options: NativeRunnerOptions = {}) {
    this.dialect = options.dialect ?? 'cpp';
    this.language = this.dialect;
    this.fileExtensions = this.dialect === 'c' ? ['.c', '.h'] : ['.cpp', '.cc', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.h'];
  }

  async describe(): Promise<string> {
    const toolchain = this.toolchain;
    if (!toolchain) return `${this.dialect === 'c' ? 'C' : 'C++'} (no target yet)`;
    const version = await compilerVersion(toolchain.compiler);
    const sanitizers = this.options.sanitizers === false ? 'sanitizer check off' : 'equivalence re-checked under ASan+UBSan';
    return `${version}; flags ${toolchain.flags.join(' ')} (${toolchain.origin === 'default' ? 'default' : `from ${toolchain.origin}`}); ${sanitizers}`;
  }

  sandboxKind(mode: SandboxMode): Promise<SandboxKind> {
    return resolveSandboxKind(mode);
  }

  async extractTarget(fileText: string, filePath: string, spec: TargetSpec): Promise<ExtractedTarget> {
    const target = await extractNativeTarget(fileText, filePath, spec);
    this.toolchain = resolveToolchain(filePath, dialectForFile(filePath, fileText), this.options);
    return target;
  }

  originalProgram(target: ExtractedTarget): Program {
    const program = originalNativeProgram(target);
    this.origins.set(program, { target, side: 'original' });
    return program;
  }

  async buildCandidate(target: ExtractedTarget, code: string, id: string): Promise<CandidateBuild> {
    const build = await buildNativeCandidate(target, code, id);
    if (build.ok) this.origins.set(build.program, { target, side: 'candidate' });
    return build;
  }

  applyCandidate(target: ExtractedTarget, code: string): Promise<string> {
    return applyNativeCandidate(target, code);
  }

  // ---- building -------------------------------------------------------------------------------------------------

  private origin(program: Program): ProgramOrigin {
    const origin = this.origins.get(program);
    if (!origin) throw new Error(`The C/C++ runner did not build the program ${program.id}.`);
    return origin;
  }

  private dialectOf(target: ExtractedTarget): NativeDialect {
    return dialectForFile(target.filePath, target.fileText);
  }

  private toolchainFor(target: ExtractedTarget): Toolchain {
    this.toolchain ??= resolveToolchain(target.filePath, this.dialectOf(target), this.options);
    return this.toolchain;
  }

  /** The program cut into the parts the build needs; overloaded names are told apart by line (original) or by types. */
  private split(program: Program): Promise<SplitProgram> {
    let split = this.splits.get(program);
    if (!split) {
      const { target, side } = this.origin(program);
      const dialect = this.dialectOf(target);
      const method = target.method ? { method: { className: target.method.className, name: target.method.name } } : {};
      split =
        side === 'original'
          ? splitProgram(program.source, dialect, program.functionName, { line: target.range.start, ...method })
          : this.split(this.originalOf(target)).then((original) =>
              splitProgram(program.source, dialect, program.functionName, { parameterTypes: original.signature.parameterTypes, ...method }),
            );
      this.splits.set(program, split);
    }
    return split;
  }

  /** Directories a compile of the user's code reads: the file's own and the include paths of the flags. */
  private readable(target: ExtractedTarget, flags: readonly string[]): string[] {
    const dirs = [path.dirname(path.resolve(target.filePath)), findResource(HARNESS_RESOURCE)];
    for (let i = 0; i < flags.length; i++) {
      const flag = flags[i] as string;
      if (flag === '-I' || flag === '-isystem' || flag === '-iquote' || flag === '-idirafter') dirs.push(flags[i + 1] ?? '/');
      else if (flag.startsWith('-I')) dirs.push(flag.slice(2));
    }
    return dirs;
  }

  private sanitizerFlags(sanitize: boolean): string[] {
    return sanitize ? SANITIZER_FLAGS : [];
  }

  /**
   * The object of one side's code. The original's also carries the C++ definitions that belong to the file's types
   * (out-of-class members, operators), which must exist once: it is linked into every executable.
   */
  private async programObject(program: Program, side: Side, sanitize: boolean, opts: RunOptions, instance: string | undefined, noInline = false): Promise<string> {
    const { target } = this.origin(program);
    const dialect = this.dialectOf(target);
    const toolchain = this.toolchainFor(target);
    const split = await this.split(program);
    const source = assembleProgramUnit(split, dialect, side, side === 'original', path.resolve(target.filePath), instance);
    const flags = [
      ...toolchain.flags,
      ...alignment(toolchain.flags),
      ...userIncludes(target.filePath),
      ...this.sanitizerFlags(sanitize),
      ...(noInline ? ['-fno-inline'] : []),
    ];
    return this.cache.compile({
      compiler: toolchain.compiler,
      flags,
      extension: dialect === 'c' ? '.c' : '.cpp',
      source,
      readable: this.readable(target, flags),
      sandbox: opts.sandbox,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  /** The workload module's C++ text (JSON workloads are turned into one). */
  private workloadSource(workload: WorkloadSource): string {
    let source = this.workloadSources.get(workload);
    if (source === undefined) {
      switch (workload.kind) {
        case 'json':
          source = jsonWorkloadToCpp(workload.correctness, workload.performance);
          break;
        case 'module':
          source = readWorkloadModule(workload.path);
          break;
        case 'generator':
          source = workload.source;
          break;
      }
      this.workloadSources.set(workload, source);
    }
    return source;
  }

  /**
   * The harness translation unit: the original's declarations, the harness, the workload module and `main`. With
   * `madeApart` (an LLM-written generator whose inputs were made apart), no workload module at all: not one line of the
   * generator, static initialisers included, is in a side's executable; it reads the inputs file instead.
   */
  private async harnessObject(original: Program, workload: WorkloadSource, sanitize: boolean, opts: RunOptions, instance: string | undefined, madeApart = false): Promise<string> {
    const { target } = this.origin(original);
    const dialect = this.dialectOf(target);
    const toolchain = this.toolchainFor(target);
    const split = await this.split(original);
    const harnessDir = findResource(HARNESS_RESOURCE);
    const entries = entryExpressions(split, dialect);
    const program = '  PerfloopFn program = candidate ? candidate : original;';
    let workloadPart: string[];
    let runCall: string;
    if (madeApart) {
      workloadPart = [];
      runCall = '  return perfloop::runMadeApart<PerfloopFn>(argc, argv, program);';
    } else {
      const generator = this.workloadSource(workload);
      const defined = generatorFunctions(generator);
      if (!defined.correctness) {
        throw new RunnerError('The workload module does not define `void correctness_inputs(perfloop::Inputs& in)`.');
      }
      const workloadName = workload.kind === 'module' ? path.resolve(workload.path) : 'perfloop-inputs.cpp';
      workloadPart = [`#line 1 ${JSON.stringify(workloadName)}`, generator];
      runCall =
        '  return perfloop::run<PerfloopFn>(argc, argv, program, perfloop::Generators<PerfloopFn>{' +
        `correctness_inputs, ${defined.performance ? 'performance_inputs' : 'nullptr'}, ${defined.sized ? 'sized_input' : 'nullptr'}});`;
    }
    const source = [
      assembleHarnessPrelude(split, dialect, path.resolve(target.filePath), instance),
      `#include ${JSON.stringify(path.join(harnessDir, 'perfloop_harness.hpp'))}`,
      `using PerfloopFn = std::remove_cv_t<decltype(${entries.original})>;`,
      'namespace perfloop { using Inputs = InputsFor<::PerfloopFn>; }',
      ...workloadPart,
      '#line 1 "perfloop-main.cpp"',
      'int main(int argc, char** argv) {',
      `  PerfloopFn original = ${entries.original};`,
      `  PerfloopFn candidate = ${entries.candidate};`,
      "  // One program per executable: a candidate's also links the original (it holds the shared definitions) and runs the candidate.",
      program,
      runCall,
      '}',
      '',
    ].join('\n');
    const flags = [
      ...harnessFlags(toolchain.flags),
      ...userIncludes(target.filePath),
      ...(workload.kind === 'module' && !madeApart ? userIncludes(workload.path) : []),
      ...this.sanitizerFlags(sanitize),
    ];
    const readable = this.readable(target, flags);
    if (workload.kind === 'module') readable.push(path.dirname(path.resolve(workload.path)));
    return this.cache.compile({
      compiler: toolchain.cxx,
      flags,
      extension: '.cpp',
      source,
      readable,
      sandbox: opts.sandbox,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  private allocObject(target: ExtractedTarget, opts: RunOptions): Promise<string> {
    const toolchain = this.toolchainFor(target);
    const file = path.join(findResource(HARNESS_RESOURCE), 'perfloop_alloc.cpp');
    return this.cache.compile({
      compiler: toolchain.cxx,
      flags: ['-O2', '-std=gnu++17'],
      extension: '.cpp',
      source: readFileSync(file, 'utf8'),
      readable: [path.dirname(file)],
      sandbox: opts.sandbox,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  /**
   * The executable for a request. Compile errors are attributed: the original's and the workload's are the user's to
   * fix (RunnerError); a candidate's are its verdict (CompileError, caught by the callers that judge candidates).
   */
  private async executable(request: RunRequest): Promise<string> {
    const { programs, workload, opts } = request;
    const sanitize = request.sanitize ?? false;
    const anchor = programs.original ?? programs.candidate;
    if (!anchor) throw new Error('a harness run needs a program');
    const { target } = this.origin(anchor);
    // The harness prelude (types, prototypes) and the shared definitions come from the user's file as it is.
    const original = programs.original ?? this.originalOf(target);
    const toolchain = this.toolchainFor(target);
    const blame = async <T>(what: 'original' | 'workload', build: () => Promise<T>): Promise<T> => {
      try {
        return await build();
      } catch (error) {
        if (!(error instanceof CompileError)) throw error;
        const receiver = target.method && !target.method.isStatic ? target.method : undefined;
        if (what === 'workload' && receiver && error.diagnostics.includes('Perfloop cannot compare values of this type')) {
          throw new RunnerError(
            `Perfloop compares the receiver of \`${target.functionName}\` after each call (the method is not const), and cannot compare ` +
              `\`${receiver.className}\` objects (or a type inside them): each side reports its values from a process of its own, so give ` +
              'the class an `operator<<` (std::ostream&) that shows its whole value, or make it an aggregate with public data members ' +
              '(compared field by field).',
            error.diagnostics,
          );
        }
        // The harness unit also holds the original's includes, types and prototype: say which part failed.
        const firstError = error.diagnostics.split('\n').find((line) => /\berror\b/.test(line)) ?? '';
        const inOriginal = what === 'workload' && firstError.startsWith(`${path.resolve(target.filePath)}:`);
        const subject =
          what === 'original' ? 'The original' : inOriginal ? "The original's declarations (in Perfloop's C++ harness)" : 'The workload module';
        throw new RunnerError(
          `${subject} ${error.message} with ${path.basename(what === 'workload' ? toolchain.cxx : toolchain.compiler)} ${toolchain.flags.join(' ')}${toolchain.origin === 'default' ? '' : ` (flags from ${toolchain.origin})`}.`,
          error.diagnostics,
        );
      }
    };
    const instance = await this.instanceFor(original, workload, opts);
    // Independent compiles, side by side (cached after the first time).
    const objects = await Promise.all([
      blame('workload', () => this.harnessObject(original, workload, sanitize, opts, instance, request.inputsFile !== undefined)),
      blame('original', () => this.programObject(original, 'original', sanitize, opts, instance, request.profileBuild)),
      ...(programs.candidate ? [this.programObject(programs.candidate, 'candidate', sanitize, opts, instance)] : []),
      ...(request.memory ? [this.allocObject(target, opts)] : []),
    ]);
    const linkFlags = [
      ...this.sanitizerFlags(sanitize),
      ...toolchain.flags.filter((f) => /^-(?:pthread|fopenmp|static|l|L|march=|mcpu=)/.test(f)),
      '-lm',
    ];
    return this.cache.link({ linker: toolchain.cxx, flags: linkFlags, objects, sandbox: opts.sandbox, ...(opts.signal ? { signal: opts.signal } : {}) });
  }

  /**
   * Starts compiling the original and the harness with sanitizers while the baseline's instruction counts run (they
   * are deterministic, so a busy CPU does not matter to them): the first candidate's sanitizer check then only
   * compiles the candidate. Failures are left for the check itself to meet.
   */
  private prebuildSanitizers(original: Program, workload: WorkloadSource, opts: RunOptions): void {
    if (this.options.sanitizers === false || this.sanitizersUnavailable || this.origin(original).side !== 'original') return;
    const madeApart = this.generated.madeApart(workload);
    const build = this.instanceFor(original, workload, opts)
      .then((instance) =>
        Promise.all([this.harnessObject(original, workload, true, opts, instance, madeApart), this.programObject(original, 'original', true, opts, instance)]),
      )
      .catch(() => undefined);
    this.backgroundBuilds.add(build);
    void build.finally(() => this.backgroundBuilds.delete(build));
  }

  /** Waits for background compiles: wall-time measurements must have the CPU to themselves. */
  private async quiet(): Promise<void> {
    while (this.backgroundBuilds.size > 0) await Promise.allSettled([...this.backgroundBuilds]);
  }

  /** A function template's instance per original and workload (the template arguments its inputs deduce). */
  private readonly instances = new WeakMap<Program, WeakMap<WorkloadSource, Promise<string | undefined>>>();

  private instanceFor(original: Program, workload: WorkloadSource, opts: RunOptions): Promise<string | undefined> {
    let perWorkload = this.instances.get(original);
    if (!perWorkload) this.instances.set(original, (perWorkload = new WeakMap()));
    let instance = perWorkload.get(workload);
    if (!instance) {
      const probing = this.probeInstance(original, workload, opts);
      perWorkload.set(workload, (instance = probing));
      // A cancelled probe is not an answer.
      probing.catch(() => {
        if (opts.signal?.aborted) perWorkload?.delete(workload);
      });
    }
    return instance;
  }

  /**
   * Which instance of a function template the workload's inputs call (README.md, "Function templates"): a probe — the
   * template with a body that prints its template arguments, called by the workload's first `in.add(...)` — is compiled
   * and run in the sandbox. Undefined for other targets.
   */
  private async probeInstance(original: Program, workload: WorkloadSource, opts: RunOptions): Promise<string | undefined> {
    const split = await this.split(original);
    if (!split.template) return undefined;
    const { target } = this.origin(original);
    const name = `\`${target.functionName}\``;
    if (workload.kind === 'json') {
      throw new RunnerError(
        `JSON inputs cannot instantiate the function template ${name}: its template arguments are deduced from the types of the inputs, which JSON values do not have. ` +
          'Use a workload module whose `in.add(...)` calls pass typed values (`in.add(std::vector<int>{1, 2, 3})`).',
      );
    }
    const toolchain = this.toolchainFor(target);
    const generator = this.workloadSource(workload);
    if (!generatorFunctions(generator).correctness) {
      throw new RunnerError('The workload module does not define `void correctness_inputs(perfloop::Inputs& in)`.');
    }
    const workloadName = workload.kind === 'module' ? path.resolve(workload.path) : 'perfloop-inputs.cpp';
    const flags = [...harnessFlags(toolchain.flags), ...userIncludes(target.filePath), ...(workload.kind === 'module' ? userIncludes(workload.path) : [])];
    const readable = this.readable(target, flags);
    if (workload.kind === 'module') readable.push(path.dirname(path.resolve(workload.path)));
    const signal = opts.signal ? { signal: opts.signal } : {};
    let exe: string;
    try {
      const source = assembleTemplateProbe(split, path.resolve(target.filePath), generator, workloadName);
      const object = await this.cache.compile({ compiler: toolchain.cxx, flags, extension: '.cpp', source, readable, sandbox: opts.sandbox, ...signal });
      exe = await this.cache.link({ linker: toolchain.cxx, flags: ['-lm'], objects: [object], sandbox: opts.sandbox, ...signal });
    } catch (error) {
      if (!(error instanceof CompileError)) throw error;
      throw new RunnerError(
        `The workload's inputs do not instantiate the function template ${name} (${error.message}): every \`in.add(...)\` must pass typed values ` +
          'its template arguments can be deduced from (`in.add(std::vector<int>{1, 2, 3})`, not `in.add({1, 2, 3})`).',
        error.diagnostics,
      );
    }
    const run = await withWorkDir('perfloop-native-probe-', (workDir) =>
      runSandboxed({
        argv: [exe],
        mode: opts.sandbox,
        workDir,
        timeoutMs: opts.timeoutMs,
        limits: { cpuSeconds: Math.ceil(opts.timeoutMs / 1000) + 5, addressSpaceBytes: ADDRESS_SPACE_BYTES },
        readOnlyPaths: [this.cache.directory],
        ...signal,
      }),
    );
    throwIfAborted(run, opts.signal);
    const found = /^PERFLOOP-INSTANCE (.*)$/m.exec(run.stdout)?.[1]?.trim();
    if (found === undefined) {
      const why = /^PERFLOOP-NO-INPUTS$/m.test(run.stdout) ? 'correctness_inputs added no input' : describeHarnessEnd(run, NATIVE_END);
      throw new RunnerError(`Perfloop could not find which instance of ${name} the workload's inputs call: ${why}.`, stderrTail(run));
    }
    if (found.includes('?') || found.includes('{anonymous}') || found.includes('(anonymous')) {
      throw new RunnerError(`The workload's inputs instantiate ${name} with template arguments Perfloop cannot spell in C++ (\`${found}\`): pass values of named types.`);
    }
    return found;
  }

  private readonly originalsByTarget = new WeakMap<ExtractedTarget, Program>();

  private originalOf(target: ExtractedTarget): Program {
    let program = this.originalsByTarget.get(target);
    if (!program) {
      program = this.originalProgram(target);
      this.originalsByTarget.set(target, program);
    }
    return program;
  }

  // ---- running --------------------------------------------------------------------------------------------------

  private async run(request: RunRequest): Promise<HarnessRun> {
    const exe = await this.executable(request);
    const { opts } = request;
    const timeoutMs = request.timeoutMs ?? opts.timeoutMs;
    const run = await withWorkDir('perfloop-native-', async (workDir): Promise<HarnessRun> => {
      const nonce = randomBytes(16).toString('hex');
      const resultPath = path.join(workDir, 'result.json');
      const progressPath = path.join(workDir, 'progress.json');
      const jobPath = path.join(workDir, 'job.txt');
      // The inputs file is the work directory's own copy: the process may change or remove it, not the runner's.
      const inputsPath = request.inputsFile || request.keepInputsAt ? path.join(workDir, 'inputs.bin') : undefined;
      if (request.inputsFile && inputsPath) copyFileSync(request.inputsFile, inputsPath, fsConstants.COPYFILE_FICLONE);
      const job: Record<string, JobValue | undefined> = {
        ...SHARED_JOB_DEFAULTS,
        profileSeconds: 1,
        budgetSeconds: Math.max(1, timeoutMs / 2000),
        ...this.workloads.baseJob(request.workload, opts),
        ...request.job,
        mode: request.mode,
        nonce,
        resultPath,
        progressPath,
        ...(inputsPath ? { inputsFile: inputsPath } : {}),
      };
      writeFileSync(jobPath, jobText(job));
      let argv = [exe, jobPath];
      let launcher: readonly string[] | undefined;
      let parse: ((result: SandboxResult) => number) | undefined;
      const callgrindOut = path.join(workDir, 'callgrind.out');
      if (request.linesOf) {
        const counting = wrapForCounting('valgrind', argv, workDir);
        argv = ['valgrind', '--tool=callgrind', `--callgrind-out-file=${callgrindOut}`, '--compress-strings=no', '--compress-pos=no', ...argv];
        parse = counting.parse; // callgrind ends with the same "I refs" summary
      } else if (request.counter) {
        const wrapped = wrapForCounting(request.counter, argv, workDir);
        argv = wrapped.argv;
        launcher = wrapped.launcher;
        parse = wrapped.parse;
      }
      const sanitize = request.sanitize ?? false;
      const sandbox = await runSandboxed({
        argv,
        ...(launcher ? { launcher } : {}),
        mode: opts.sandbox,
        workDir,
        timeoutMs,
        limits: {
          cpuSeconds: Math.ceil(timeoutMs / 1000) + 5,
          addressSpaceBytes: sanitize || request.counter === 'valgrind' ? Infinity : ADDRESS_SPACE_BYTES,
        },
        readOnlyPaths: [this.cache.directory],
        outputFiles: [resultPath, progressPath, ...(request.linesOf ? [callgrindOut] : []), ...(request.keepInputsAt && inputsPath ? [inputsPath] : [])],
        env: sanitize ? SANITIZER_ENV : {},
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(request.onChannel ? { onChannel: request.onChannel } : {}),
      });
      throwIfAborted(sandbox, opts.signal);
      const written = readHarnessResult(resultPath, nativeHarnessResult, 'C/C++');
      const forged = written !== undefined && written.nonce !== nonce;
      const result = forged ? undefined : written;
      const progress = readHarnessProgress(progressPath);
      if (request.keepInputsAt && inputsPath && result?.ok) keepFile(inputsPath, request.keepInputsAt);
      const count = result?.ok && parse ? parse(sandbox) : undefined;
      let lineCounts: Map<number, number> | undefined;
      if (result?.ok && request.linesOf) {
        const wanted = request.linesOf;
        try {
          lineCounts = callgrindLineCosts(readFileSync(callgrindOut, 'utf8'), (file) => path.resolve(workDir, file) === wanted || file === wanted);
        } catch {
          lineCounts = undefined;
        }
      }
      return {
        ...(result ? { result } : {}),
        ...(progress ? { progress } : {}),
        sandbox,
        ...(forged ? { forged } : {}),
        ...(count !== undefined ? { count } : {}),
        ...(lineCounts ? { lineCounts } : {}),
      };
    });
    // An inputs run uses the settled size: it says nothing new about it.
    if (run.result?.ok && request.mode !== 'inputs') this.workloads.remember(request.mode, request.workload, run.result);
    return run;
  }

  private data<T extends z.ZodType>(run: HarnessRun, schema: T, what: string, timeoutMs: number): z.infer<T> {
    return harnessData(run, schema, what, timeoutMs, NATIVE_HARNESS);
  }

  /** The program in the slot it was compiled for (an original as `original`, a candidate as `candidate`). */
  private slot(program: Program): Partial<Record<Side, Program>> {
    return { [this.origin(program).side]: program };
  }

  async checkWorkload(program: Program, workload: WorkloadSource, opts: RunOptions): Promise<WorkloadSummary> {
    const job = { inputsApart: generatedApart(workload) };
    const run = await this.run({ mode: 'workload', programs: this.slot(program), workload, opts, job });
    throwIfWorkloadCrashed(run, NATIVE_HARNESS);
    const summary = this.data(run, workloadData, 'Checking the workload', opts.timeoutMs);
    this.workloads.rememberMutation(workload, summary.originalMutatesArguments);
    if (this.origin(program).side === 'original') this.generated.remember(workload, program, summary.generatorBesideCode);
    return summary;
  }

  /**
   * One seed's inputs, made by an executable with the generator and the original (never a candidate), written at
   * `keepAt` (README.md, "Inputs made apart").
   */
  private async makeInputs(original: Program, workload: WorkloadSource, seed: number, keepAt: string, opts: RunOptions): Promise<{ written: unknown } | { besideCode: string }> {
    await this.settleWorkload(original, workload, opts);
    const run = await this.run({ mode: 'inputs', programs: { original }, workload, opts, job: { seed }, keepInputsAt: keepAt });
    throwIfWorkloadCrashed(run, NATIVE_HARNESS);
    return this.data(run, inputsData, 'Making the generated inputs', opts.timeoutMs);
  }

  /** The inputs file a side's run with this seed reads (when its generator runs apart), as RunRequest fields. */
  private async sideInputs(workload: WorkloadSource, seed: number, opts: RunOptions, original?: Program): Promise<Pick<RunRequest, 'inputsFile'>> {
    const file = await this.generated.fileFor(workload, seed, opts, original);
    return file ? { inputsFile: file } : {};
  }

  /** Removes the inputs files this runner made; it can still run (it makes them again). */
  dispose(): void {
    this.generated.dispose();
  }

  /** Each side in an executable and a process of its own, judged by Perfloop (profilers/judge). */
  private sides(workload: WorkloadSource, opts: RunOptions, original: Program): SideBySideRunner<HarnessRun> {
    return {
      voice: NATIVE_HARNESS,
      runOutcomes: async (program, job) =>
        this.run({
          mode: 'outcomes',
          programs: this.slot(program),
          workload,
          opts,
          job: { side: job.side, seed: OUTCOMES_SEED, limits: job.limits },
          ...(await this.sideInputs(workload, OUTCOMES_SEED, opts, original)),
        }),
      startTimingWorker: (side, program, job) => {
        // Both workers of the pair ask for the same seed's inputs at once: one inputs run serves them.
        const inputs = this.sideInputs(workload, job.seed, opts, original);
        const worker = startWorker(side, (onChannel) =>
          inputs.then((fields) =>
            this.run({
              mode: 'serve',
              programs: this.slot(program),
              workload,
              opts,
              job: { side, seed: job.seed, mutatesArguments: job.mutatesArguments },
              timeoutMs: job.timeoutMs,
              onChannel,
              ...fields,
            }),
          ),
        );
        this.generated.releaseWhenEnded(workload, job.seed, worker.ended);
        return worker;
      },
    };
  }

  /** Inputs must not be calibrated in a one-side process (calibration times the program it runs): settle them first. */
  private async settleWorkload(program: Program, workload: WorkloadSource, opts: RunOptions): Promise<void> {
    if (workload.kind !== 'json' && !this.workloads.isSized(workload)) await this.checkWorkload(program, workload, opts);
  }

  /** The longest a candidate's call may take on any input (less where the original is fast: judge/outcomes.ts). */
  private callTimeoutSeconds(opts: RunOptions): number {
    return Math.max(1, opts.timeoutMs / 2000);
  }

  async checkEquivalence(original: Program, candidate: Program, workload: WorkloadSource, opts: RunOptions): Promise<EquivalenceResult> {
    await this.settleWorkload(original, workload, opts);
    let verdict: EquivalenceResult;
    try {
      verdict = await checkEquivalenceSideBySide(this.sides(workload, opts, original), this.originalOutcomes, original, candidate, workload, {
        ...opts,
        callTimeoutSeconds: this.callTimeoutSeconds(opts),
      });
    } catch (error) {
      if (error instanceof CompileError) return { status: 'error', reason: `the candidate ${error.message}`, detail: this.candidateDiagnostics(error.diagnostics, original) };
      throw error;
    }
    if (verdict.status !== 'equivalent' || this.options.sanitizers === false) return verdict;
    return this.sanitizerCheck(original, candidate, workload, opts, verdict);
  }

  /** A method candidate's compile errors in the method's own name (the build compiles it as `perfloop_candidate_<name>`). */
  private candidateDiagnostics(diagnostics: string, original: Program): string {
    const method = this.origin(original).target.method;
    return method ? diagnostics.replace(new RegExp(`\\b${candidateMethodName(method.name)}\\b`, 'g'), method.name) : diagnostics;
  }

  /**
   * The candidate's outcomes again, from a build with AddressSanitizer and UBSan, judged against the original's. A
   * sanitizer report while the candidate runs makes it `incorrect`, unless the original trips them on the same input or
   * an earlier one (its own outcomes under the sanitizers, run only then); so does a behaviour that differs in this
   * build. When the sanitizer build is unavailable, or the run only ran out of time, the plain verdict stands.
   */
  private async sanitizerCheck(
    original: Program,
    candidate: Program,
    workload: WorkloadSource,
    opts: RunOptions,
    verdict: Extract<EquivalenceResult, { status: 'equivalent' }>,
  ): Promise<EquivalenceResult> {
    if (this.sanitizersUnavailable) return verdict;
    const expected = await originalOutcomes(this.sides(workload, opts, original), this.originalOutcomes, original, workload, opts.timeoutMs);
    const limits = candidateLimits(expected, this.callTimeoutSeconds(opts)).map((limit) => limit * SANITIZER_SLOWDOWN);
    let run: HarnessRun;
    try {
      run = await this.sanitizedOutcomes(candidate, workload, opts, { side: 'candidate', seed: OUTCOMES_SEED, limits }, original);
    } catch (error) {
      // The original or the workload cannot be built with sanitizers (e.g. libasan missing): not for this run.
      if (error instanceof RunnerError) this.sanitizersUnavailable = error.message;
      // Only this candidate's sanitizer build failed: its plain verdict stands.
      if (error instanceof CompileError || error instanceof RunnerError) return verdict;
      throw error;
    }
    if (run.result?.ok) {
      const judged = judgeOutcomes(expected, outcomesData.parse(run.result.data), opts.floatTolerance ?? 1e-7);
      return judged.status === 'different' ? judged : verdict;
    }
    const report = sanitizerSummary(run.sandbox.stderr);
    const failedAt = run.progress;
    if (!report || failedAt?.side !== 'candidate') return verdict;
    const originalRun = await this.sanitizedOriginal(original, workload, opts);
    const originalFailedAt = !originalRun.result?.ok && sanitizerSummary(originalRun.sandbox.stderr) ? originalRun.progress : undefined;
    if (originalFailedAt && inputPosition(originalFailedAt) <= inputPosition(failedAt)) return verdict;
    return {
      status: 'different',
      inputsChecked: verdict.inputsChecked,
      mismatches: 1,
      counterexample: {
        kind: 'crash',
        input: failedAt.input,
        expected: 'no undefined behaviour (the original runs clean under AddressSanitizer and UBSan)',
        actual: report,
        inputSize: failedAt.input.length,
      },
    };
  }

  private async sanitizedOutcomes(program: Program, workload: WorkloadSource, opts: RunOptions, job: RunRequest['job'], original: Program): Promise<HarnessRun> {
    const inputs = await this.sideInputs(workload, OUTCOMES_SEED, opts, original);
    return this.run({ mode: 'outcomes', programs: this.slot(program), workload, opts, job, sanitize: true, timeoutMs: opts.timeoutMs * SANITIZER_SLOWDOWN, ...inputs });
  }

  private sanitizedOriginal(original: Program, workload: WorkloadSource, opts: RunOptions): Promise<HarnessRun> {
    let perWorkload = this.sanitizedOriginals.get(original);
    if (!perWorkload) this.sanitizedOriginals.set(original, (perWorkload = new WeakMap()));
    let run = perWorkload.get(workload);
    if (!run) {
      run = this.sanitizedOutcomes(original, workload, opts, { side: 'original', seed: OUTCOMES_SEED }, original);
      perWorkload.set(workload, run);
      run.catch(() => perWorkload?.delete(workload));
    }
    return run;
  }

  async measureTime(
    original: Program,
    candidate: Program,
    workload: WorkloadSource,
    mutatesArguments: boolean,
    opts: TimingOptions,
  ): Promise<PairedTimingSamples> {
    await this.quiet();
    await this.settleWorkload(original, workload, opts);
    // Samples of both sides plus calibration and one warm-up pair, with room for slow machines; never less than asked.
    const expectedSeconds = (opts.samples + 10) * 2 * opts.sampleSeconds * 2 + 10;
    return measureTimeSideBySide(this.sides(workload, opts, original), this.originalOutcomes, original, candidate, workload, mutatesArguments, {
      ...opts,
      warmup: 'once',
      expectedSeconds,
    });
  }

  /** Instructions of one call per performance input, minus a run that makes no calls (exact under cachegrind). */
  async countInstructions(program: Program, workload: WorkloadSource, opts: RunOptions, options?: CountOptions): Promise<InstructionCount | undefined> {
    this.counter ??= detectInstructionCounter();
    const counter = await this.counter;
    if (!counter) return undefined;
    if (workload.kind !== 'json' && !this.workloads.isSized(workload)) await this.checkWorkload(program, workload, opts);
    const timeoutMs = opts.timeoutMs * COUNTER_SLOWDOWN[counter.kind];
    const inputs = await this.sideInputs(workload, OUTCOMES_SEED, opts);
    // Build once, then the deterministic counts side by side.
    await this.executable({ mode: 'count', programs: this.slot(program), workload, opts, ...inputs });
    const known = counter.kind === 'valgrind' ? this.valgrindTotals.get(program)?.get(workload) : undefined;
    return countCalls(counter.kind, async (job) => {
      if (known && job.calls === 1 && job.results) return known;
      const run = await this.run({ mode: 'count', programs: this.slot(program), workload, opts, job: { ...job }, timeoutMs, counter: counter.kind, ...inputs });
      const data = this.data(run, countData, 'Counting instructions', timeoutMs);
      if (run.count === undefined) throw new Error(`Counting instructions with ${counter.kind} gave no count.\n${stderrTail(run.sandbox)}`);
      return { count: run.count, results: data.results };
    }, options);
  }

  async measureMemory(program: Program, workload: WorkloadSource, opts: RunOptions): Promise<MemoryProfile> {
    // Generated inputs only once the size is settled: a memory run that makes its own inputs may still calibrate.
    const inputs = this.workloads.isSized(workload) ? await this.sideInputs(workload, OUTCOMES_SEED, opts) : {};
    const run = await this.run({ mode: 'memory', programs: this.slot(program), workload, opts, memory: true, ...inputs });
    return this.data(run, memoryData, 'Measuring memory', opts.timeoutMs);
  }

  /**
   * Inclusive instructions per line of the original: callgrind on a build with the user's flags plus `-fno-inline`, so
   * that what a line calls (std::string's copying, a helper, memcpy) is charged to that line rather than to library
   * headers. Exact counts (of a sized input at an eighth of the timed size); `hits` holds the line's instructions,
   * shares are shares of the function's; time is not measured per line. The instruction count of the real build runs alongside (cachegrind) and is kept for
   * countInstructions.
   */
  async profileLines(program: Program, workload: WorkloadSource, opts: RunOptions): Promise<LineProfile> {
    const origin = this.origins.get(program);
    if (!origin || origin.side !== 'original' || !(await this.valgrindAvailable())) return { entries: [], totalSeconds: 0 };
    const { target } = origin;
    if (workload.kind !== 'json' && !this.workloads.isSized(workload)) await this.checkWorkload(program, workload, opts);
    this.prebuildSanitizers(program, workload, opts);
    const timeoutMs = opts.timeoutMs * COUNTER_SLOWDOWN.valgrind;
    const counting = (await this.counter)?.kind === 'valgrind' ? this.countOneCallWithCachegrind(program, workload, opts, timeoutMs) : undefined;
    // callgrind is several times slower than cachegrind: a sized input is profiled at an eighth of the timed size
    // (shares, not totals, are what the profile is for).
    const timedSize = this.workloads.baseJob(workload, opts).sizedN;
    const run = await this.run({
      mode: 'count',
      programs: this.slot(program),
      workload,
      opts,
      job: { calls: 1, ...(timedSize !== undefined ? { sizedN: Math.max(PROFILE_MIN_SIZE, Math.floor(timedSize / 8)) } : {}) },
      timeoutMs,
      counter: 'valgrind',
      linesOf: path.resolve(target.filePath),
      profileBuild: true,
    });
    this.data(run, countData, 'Profiling lines', timeoutMs);
    await counting;
    const counts = run.lineCounts ?? new Map<number, number>();
    const texts = target.functionSource.split('\n');
    const inFunction = [...counts.entries()]
      .map(([line, instructions]) => ({ line: line - target.range.start + 1, instructions }))
      .filter((l) => l.line >= 1 && l.line <= texts.length && l.instructions > 0)
      .sort((a, b) => a.line - b.line);
    const total = inFunction.reduce((sum, l) => sum + l.instructions, 0);
    return {
      entries: inFunction.map((l) => ({
        line: l.line,
        text: texts[l.line - 1] ?? '',
        hits: l.instructions,
        timeSeconds: 0,
        timeShare: total > 0 ? l.instructions / total : 0,
        memoryBytes: 0,
      })),
      totalSeconds: 0,
      basis: 'instructions',
    };
  }

  /**
   * cachegrind's count run for one call per performance input of the real build, remembered for countInstructions: the
   * same run it would make (results serialised, to be checked like any counted run's), so it is not made twice.
   */
  private async countOneCallWithCachegrind(program: Program, workload: WorkloadSource, opts: RunOptions, timeoutMs: number): Promise<void> {
    const job = { calls: 1, results: true };
    const inputs = await this.sideInputs(workload, OUTCOMES_SEED, opts, program);
    const run = await this.run({ mode: 'count', programs: this.slot(program), workload, opts, job, timeoutMs, counter: 'valgrind', ...inputs });
    const data = this.data(run, countData, 'Counting instructions', timeoutMs);
    if (run.count === undefined) return;
    const totals = this.valgrindTotals.get(program) ?? new WeakMap<WorkloadSource, CountRun>();
    totals.set(workload, { count: run.count, results: data.results });
    this.valgrindTotals.set(program, totals);
  }

  private async valgrindAvailable(): Promise<boolean> {
    this.counter ??= detectInstructionCounter();
    const counter = await this.counter;
    if (counter?.kind === 'valgrind') return true;
    const probe = await detectInstructionCounter('valgrind');
    return probe?.kind === 'valgrind';
  }

  async measureComplexity(program: Program, workload: WorkloadSource, opts: ComplexityOptions): Promise<ComplexityPoint[]> {
    await this.quiet();
    const job = this.workloads.complexityJob(workload, opts);
    const run = await this.run({ mode: 'complexity', programs: this.slot(program), workload, opts, job });
    return this.data(run, complexityData, 'Measuring complexity', opts.timeoutMs).points;
  }
}

/** Where an input comes in an outcomes run (correctness inputs first), from a progress report. */
function inputPosition(progress: HarnessProgress): number {
  return progress.set === 'correctness' ? progress.index : Number.MAX_SAFE_INTEGER / 2 + progress.index;
}

/** AddressSanitizer and UBSan as the sandbox allows them: no leak check (it needs ptrace), stop at the first report. */
const SANITIZER_ENV = {
  ASAN_OPTIONS: 'detect_leaks=0:halt_on_error=1:abort_on_error=0:exitcode=86:allocator_may_return_null=1:detect_stack_use_after_return=0',
  UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1:exitcode=87',
};


/**
 * Functions and loops aligned to 64 bytes in both sides' code. Original and candidate live in different objects, so
 * the same loop lands at different addresses, and alignment alone moved an A/A comparison of a memory-bound C loop by
 * 1–4% (ratios 1.006–1.043 over 8 runs; with these flags 0.999–1.005). The user's own -falign-* flags win.
 */
function alignment(flags: readonly string[]): string[] {
  return flags.some((f) => f.startsWith('-falign-')) ? [] : ['-falign-functions=64', '-falign-loops=64'];
}

/**
 * `#include "x.h"` looks next to the including file first; the units are compiled from Perfloop's build directory, so
 * the user's file's own directory is named explicitly (as the quote-include directory, like the compiler would search).
 */
function userIncludes(filePath: string): string[] {
  return ['-iquote', path.dirname(path.resolve(filePath))];
}

/** Moves a file out of a work directory that is about to go (copied when it is on another file system). */
function keepFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** The job file: `key value` lines; null becomes 0 (the harness's "none"), booleans 0/1, lists comma-separated. */
function jobText(job: Record<string, JobValue | undefined>): string {
  return `${Object.entries(job)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key} ${value === null ? 0 : typeof value === 'boolean' ? (value ? 1 : 0) : String(value).replace(/\n/g, ' ')}`)
    .join('\n')}\n`;
}
