/**
 * The headless front door: `perfloop optimize` and `perfloop compare`. Progress on stderr, results on stdout.
 * Exit codes: 0 a faster candidate was found (or compare ran), 1 none found, 2 bad usage or input, 130 cancelled.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compareCandidate } from '../optimizer/compare.js';
import { OpenAICompatibleProvider } from '../optimizer/llm/openaiProvider.js';
import { optimize } from '../optimizer/optimize.js';
import { renderMarkdownReport } from '../optimizer/report/markdown.js';
import { renderResultsTable } from '../optimizer/report/table.js';
import type { OptimizationReport, ProjectCommands, RunEvent } from '../optimizer/types.js';
import { readWorkloadFile, WorkloadFileError } from '../optimizer/workloadFile.js';
import { splitCommandLine } from '../profilers/native/nativeBuild.js';
import { runnerForFile } from '../profilers/registry.js';
import { RunnerError } from '../profilers/runner.js';
import { SandboxUnavailableError } from '../profilers/sandbox/sandboxErrors.js';
import { readSourceFile, writeSourceFile, type SourceFile } from '../profilers/sourceFile.js';
import {
  ConfigError,
  envValue,
  flagValue,
  httpUrl,
  llmConfigFrom,
  onOff,
  parseCounters,
  parseFraction,
  parseLines,
  parsePositiveInt,
  parseSandbox,
  positiveSeconds,
  settingsFrom,
  type SettingFlags,
} from './config.js';
import { describeEvent } from './progress.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
}

interface CommonFlags extends SettingFlags {
  inputs?: string;
  projectDir?: string;
  testCommand?: string;
  benchCommand?: string;
  buildCommand?: string;
  benchRuns?: number;
  json?: string;
  markdown?: string;
  python?: string;
  cflags?: string;
  cc?: string;
  cxx?: string;
  /** False with --no-sanitizers. */
  sanitizers?: boolean;
  quiet?: boolean;
}

interface OptimizeFlags extends CommonFlags {
  function?: string;
  lines?: { start: number; end: number };
  baseUrl?: string;
  model?: string;
  temperature?: number;
  requestTimeout?: number;
  apply?: boolean;
}

class UsageError extends Error {}

/** Through the one reader, so --apply can write the file back in its own encoding, BOM and line endings. */
function readSource(path: string): SourceFile {
  try {
    return readSourceFile(path);
  } catch (error) {
    if (error instanceof RunnerError) throw error;
    throw new UsageError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function addCommonOptions(command: Command): Command {
  return command
    .option('--inputs <file>', 'inputs: JSON argument lists, {"correctness": [...], "performance": [...]}, or a .py module')
    .option('--json <out>', 'write the full report as JSON')
    .option('--markdown <out>', 'write a Markdown report')
    .option('--samples <n>', 'interleaved timing sample pairs per candidate', parsePositiveInt('--samples'))
    .option('--noise-threshold <fraction>', 'speedup the 95% interval must clear (default 0.05)', parseFraction('--noise-threshold'))
    .option('--sandbox <mode>', 'auto | bwrap | unshare | none', parseSandbox)
    .option('--counters <which>', 'auto | time | instructions', parseCounters)
    .option('--timeout <seconds>', 'wall-clock limit per sandboxed process', parsePositiveInt('--timeout'))
    .option('--python <path>', 'Python interpreter (default: python3 on PATH, or PERFLOOP_PYTHON)')
    .option('--cflags <flags>', 'C/C++ compile flags replacing compile_commands.json and the default -O2 (PERFLOOP_CFLAGS)')
    .option('--cc <compiler>', 'C compiler (default gcc, else clang; PERFLOOP_CC)')
    .option('--cxx <compiler>', 'C++ compiler, also for the harness of C code (default g++, else clang++; PERFLOOP_CXX)')
    .option('--no-sanitizers', 'C/C++: skip the AddressSanitizer/UBSan re-check of candidates that pass')
    .option('--project-dir <dir>', 'project root: Python code runs from it as the project imports it (default: found from the file), and the commands below run in a temporary copy of it (default: current directory)')
    .option('--test-command <cmd>', 'your test command: must pass with a candidate applied before it may count as faster')
    .option('--bench-command <cmd>', 'your benchmark command: timed before and after the best candidate (hyperfine when installed)')
    .option('--build-command <cmd>', 'built once per project copy before --test-command / --bench-command run (e.g. "make")')
    .option('--bench-runs <n>', 'timed runs per side for --bench-command (default 10, at least 5)', parsePositiveInt('--bench-runs'))
    .option('-q, --quiet', 'no progress on stderr');
}

function writeReports(report: OptimizationReport, flags: CommonFlags, io: CliIo): void {
  io.stdout(renderResultsTable(report));
  if (report.best) io.stdout(`\n${report.best.diff}`);
  if (flags.json) writeFileSync(flags.json, `${JSON.stringify(report, null, 2)}\n`);
  if (flags.markdown) writeFileSync(flags.markdown, renderMarkdownReport(report));
}

function progress(flags: CommonFlags, io: CliIo) {
  return (event: RunEvent): void => {
    if (flags.quiet) return;
    const line = describeEvent(event);
    if (line) io.stderr(`${line}\n`);
  };
}

function runnerFor(file: string, flags: CommonFlags, io: CliIo) {
  const pythonPath = flags.python ?? io.env.PERFLOOP_PYTHON;
  const cflags = flags.cflags ?? io.env.PERFLOOP_CFLAGS;
  const cCompiler = flags.cc ?? io.env.PERFLOOP_CC;
  const cxxCompiler = flags.cxx ?? io.env.PERFLOOP_CXX;
  const sanitizers = flags.sanitizers === false || envValue(io.env, 'PERFLOOP_SANITIZERS', onOff) === false ? false : undefined;
  return runnerForFile(file, {
    python: { ...(pythonPath ? { pythonPath } : {}), ...(flags.projectDir ? { projectDir: resolve(flags.projectDir) } : {}) },
    native: {
      ...(cflags ? { flags: splitCommandLine(cflags) } : {}),
      ...(cCompiler ? { cCompiler } : {}),
      ...(cxxCompiler ? { cxxCompiler } : {}),
      ...(sanitizers === false ? { sanitizers } : {}),
    },
  });
}

function projectOf(flags: CommonFlags, io: CliIo): ProjectCommands | undefined {
  const testCommand = flags.testCommand ?? io.env.PERFLOOP_TEST_COMMAND;
  const benchCommand = flags.benchCommand ?? io.env.PERFLOOP_BENCH_COMMAND;
  const buildCommand = flags.buildCommand ?? io.env.PERFLOOP_BUILD_COMMAND;
  if (!testCommand && !benchCommand) {
    if (flags.benchRuns || buildCommand) {
      throw new UsageError('--build-command and --bench-runs go with --test-command or --bench-command.');
    }
    return undefined;
  }
  return {
    dir: resolve(flags.projectDir ?? '.'),
    ...(testCommand ? { testCommand } : {}),
    ...(benchCommand ? { benchCommand } : {}),
    ...(buildCommand ? { buildCommand } : {}),
    ...(flags.benchRuns ? { benchRuns: Math.max(5, flags.benchRuns) } : {}),
  };
}

function exitCodeOf(report: OptimizationReport, compare: boolean): number {
  if (report.outcome === 'cancelled') return 130;
  if (report.outcome === 'failed') return 2;
  if (compare) return 0;
  return report.outcome === 'improved' ? 0 : 1;
}

async function runOptimize(file: string, flags: OptimizeFlags, io: CliIo): Promise<number> {
  if (!flags.function === !flags.lines) throw new UsageError('Give exactly one of --function NAME or --lines A-B.');
  const filePath = resolve(file);
  const source = readSource(filePath);
  const fileText = source.text;
  const project = projectOf(flags, io);
  // Every setting is read before any work, so a wrong one is reported first.
  const settings = settingsFrom(flags, io.env);
  const provider = new OpenAICompatibleProvider(llmConfigFrom(flags, io.env));
  const runner = runnerFor(filePath, flags, io);
  const report = await optimize(
    {
      filePath,
      fileText,
      target: flags.function ? { functionName: flags.function } : { lines: flags.lines as { start: number; end: number } },
      ...(flags.inputs ? { workload: readWorkloadFile(flags.inputs) } : {}),
      ...(project ? { project } : {}),
      settings,
    },
    { provider, runner },
    { onEvent: progress(flags, io), ...(io.signal ? { signal: io.signal } : {}) },
  );
  writeReports(report, flags, io);
  if (report.outcome === 'failed') io.stderr(`error: ${report.error}\n`);
  if (flags.apply && report.outcome === 'improved' && report.best) {
    // Refuse to overwrite edits made while the run was going.
    if (!readFileSync(filePath).equals(source.bytes)) {
      io.stderr(`error: ${file} changed during the run; not applied. The diff is in the report.\n`);
      return 1;
    }
    // The report's diff is exactly this change: the same text, in the file's own encoding, BOM and line endings.
    writeSourceFile(filePath, report.best.patchedFileText, source.format);
    io.stderr(`Applied ${report.best.candidateId} to ${file}.\n`);
  }
  return exitCodeOf(report, false);
}

function splitTarget(spec: string, what: string): { path: string; name?: string } {
  const at = spec.lastIndexOf(':');
  if (at <= 0) return { path: spec };
  const name = spec.slice(at + 1);
  if (!/^[A-Za-z_][\w.]*$/.test(name)) throw new UsageError(`${what} "${spec}": expected FILE:FUNCTION.`);
  return { path: spec.slice(0, at), name };
}

async function runCompare(originalSpec: string, candidateSpec: string, flags: CommonFlags, io: CliIo): Promise<number> {
  const original = splitTarget(originalSpec, 'original');
  if (!original.name) throw new UsageError(`Name the original function: ${originalSpec}:FUNCTION.`);
  const candidate = splitTarget(candidateSpec, 'candidate');
  const filePath = resolve(original.path);
  const candidatePath = resolve(candidate.path);
  const project = projectOf(flags, io);
  const settings = settingsFrom(flags, io.env);
  const runner = runnerFor(filePath, flags, io);
  const fileText = readSource(filePath).text;
  const candidateText = readSource(candidatePath).text;
  const report = await compareCandidate(
    {
      filePath,
      fileText,
      target: { functionName: original.name },
      candidatePath,
      candidateText,
      ...(candidate.name ? { candidateFunction: candidate.name } : {}),
      ...(flags.inputs ? { workload: readWorkloadFile(flags.inputs) } : {}),
      ...(project ? { project } : {}),
      settings,
    },
    { runner },
    { onEvent: progress(flags, io), ...(io.signal ? { signal: io.signal } : {}) },
  );
  writeReports(report, flags, io);
  if (report.outcome === 'failed') io.stderr(`error: ${report.error}\n`);
  return exitCodeOf(report, true);
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('perfloop')
    .description('Makes code faster and proves it: LLM candidates, checked for equivalence, measured with confidence intervals.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const optimizeCommand = program
    .command('optimize')
    .description('ask an LLM for faster versions of a function, verify and measure them')
    .argument('<file>', 'source file')
    .option('-f, --function <name>', 'function to optimize')
    .option('-l, --lines <A-B>', 'optimize the function enclosing these lines', parseLines)
    .option('-r, --rounds <n>', 'refinement rounds (default 3)', parsePositiveInt('--rounds'))
    .option('-k, --candidates <n>', 'candidates per round (default 4)', parsePositiveInt('--candidates'))
    .option('-j, --jobs <n>', 'candidates measured at once; timing still runs alone (default: CPU cores, at most 4; PERFLOOP_JOBS)', parsePositiveInt('--jobs'))
    .option('--base-url <url>', 'OpenAI-compatible endpoint (PERFLOOP_BASE_URL)', flagValue('--base-url', httpUrl))
    .option('-m, --model <model>', 'model name (PERFLOOP_MODEL)')
    .option('--temperature <t>', 'sampling temperature', (v) => {
      const t = Number(v);
      if (!Number.isFinite(t) || t < 0 || t > 2) throw new InvalidArgumentError('--temperature must be in [0, 2].');
      return t;
    })
    .option('--request-timeout <seconds>', 'how long one LLM request may take; a hung or cut-off one is retried once (default 120; PERFLOOP_REQUEST_TIMEOUT)', flagValue('--request-timeout', positiveSeconds))
    .option('--apply', 'write the best verified candidate into the file');
  addCommonOptions(optimizeCommand).action(async (file: string, flags: OptimizeFlags) => {
    exitCode = await runOptimize(file, flags, io);
  });

  const compareCommand = program
    .command('compare')
    .description('verify and measure a hand-written candidate against the original (no LLM)')
    .argument('<original>', 'FILE:FUNCTION')
    .argument('<candidate>', 'FILE[:FUNCTION] (defaults to the original function name)');
  addCommonOptions(compareCommand).action(async (original: string, candidate: string, flags: CommonFlags) => {
    exitCode = await runCompare(original, candidate, flags, io);
  });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successful exits; everything else commander rejects is a usage error it already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (
      error instanceof UsageError ||
      error instanceof ConfigError ||
      error instanceof RunnerError ||
      error instanceof WorkloadFileError ||
      error instanceof InvalidArgumentError ||
      // No working sandbox (or a broken one) is a misconfiguration the message says how to fix.
      error instanceof SandboxUnavailableError
    ) {
      io.stderr(`error: ${error.message}\n`);
      if (error instanceof RunnerError && error.detail) io.stderr(`${error.detail}\n`);
      return 2;
    }
    throw error;
  }
}
