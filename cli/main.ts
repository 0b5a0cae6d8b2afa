/**
 * The headless front door: `perfloop optimize`, `perfloop compare` and `perfloop profile`. Progress on stderr, results on stdout.
 * Exit codes: 0 a faster candidate was found (or compare ran), 1 none found, 2 bad usage or input, 130 cancelled.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compareCandidate } from '../optimizer/compare.js';
import { defaultCacheDir, fileTimedSizeMemory } from '../optimizer/timedSizeMemory.js';
import { OpenAICompatibleProvider } from '../optimizer/llm/openaiProvider.js';
import { optimize } from '../optimizer/optimize.js';
import { renderMarkdownReport } from '../optimizer/report/markdown.js';
import { renderResultsTable } from '../optimizer/report/table.js';
import type { OptimizationReport, RunEvent } from '../optimizer/types.js';
import { readWorkloadFile, WorkloadFileError } from '../optimizer/workloadFile.js';
import { runnerForFile } from '../profilers/registry.js';
import { RunnerError } from '../profilers/runner.js';
import { SandboxUnavailableError } from '../profilers/sandbox/sandboxErrors.js';
import { readSourceFile, writeSourceFile, type SourceFile } from '../profilers/sourceFile.js';
import { runOptionsOf, type RunOptions } from '../optimizer/settings/runOptions.js';
import { ConfigError } from '../optimizer/settings/valueRules.js';
import { addSettingOptions, cliNameOf, cliSettingValues, llmConfigFrom, parseLines } from './config.js';
import { describeEvent } from './progress.js';
import { profileCommand, ProfileCommandError } from '../profilers/hotspots/profileCommand.js';
import { WORKLOAD_PROFILERS } from '../profilers/hotspots/workloadProfilers.js';
import { renderHotspotMarkdown, renderHotspotTable } from '../optimizer/report/hotspots.js';
import { renderWorkloadMarkdown, renderWorkloadTable } from '../optimizer/report/workload.js';
import { optimizeWorkload } from '../optimizer/workloadOptimize.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
}

/** The options that are not settings; the settings' flags are read through the table (cliSettingValues). */
interface CommonFlags extends Record<string, unknown> {
  json?: string;
  markdown?: string;
  quiet?: boolean;
}

interface OptimizeFlags extends CommonFlags {
  function?: string;
  lines?: { start: number; end: number };
  apply?: boolean;
  workload?: string;
  top: number;
  minShare: number;
  commandTimeout: number;
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

function addCommonOptions(command: Command, which: 'optimize' | 'compare'): Command {
  return addSettingOptions(command, which)
    .option('--json <out>', 'write the full report as JSON')
    .option('--markdown <out>', 'write a Markdown report')
    .option('-q, --quiet', 'no progress on stderr');
}

/** Every setting is read before any work, so a wrong one is reported first. */
function runOptionsFrom(flags: CommonFlags, io: CliIo): RunOptions {
  return runOptionsOf(cliSettingValues(flags, io.env), { baseDir: process.cwd(), nameOf: cliNameOf });
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
  const { settings, project, inputsFile, runner: runnerOptions, llm } = runOptionsFrom(flags, io);
  const provider = new OpenAICompatibleProvider(llmConfigFrom(llm, io.env));
  const runner = runnerForFile(filePath, runnerOptions);
  let report: OptimizationReport;
  try {
    report = await optimize(
      {
        filePath,
        fileText,
        target: flags.function ? { functionName: flags.function } : { lines: flags.lines as { start: number; end: number } },
        ...(inputsFile ? { workload: readWorkloadFile(inputsFile) } : {}),
        ...(project ? { project } : {}),
        settings,
      },
      { provider, runner, timedSizes: fileTimedSizeMemory(defaultCacheDir(io.env)) },
      { onEvent: progress(flags, io), ...(io.signal ? { signal: io.signal } : {}) },
    );
  } finally {
    runner.dispose?.();
  }
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

/** `optimize --workload "COMMAND"`: the command's hot spots optimized, combined, and timed end to end. */
async function runWorkloadOptimize(flags: OptimizeFlags, io: CliIo): Promise<number> {
  if (flags.function || flags.lines) throw new UsageError('--workload finds the functions itself: leave out --function and --lines.');
  const { settings, project, runner: runnerOptions, llm, inputsFile } = runOptionsFrom(flags, io);
  if (inputsFile) throw new UsageError('--workload uses the inputs captured from the command: leave out --inputs.');
  if (project?.benchCommand) throw new UsageError('--workload times the workload command itself: leave out --bench-command.');
  const provider = new OpenAICompatibleProvider(llmConfigFrom(llm, io.env));
  const say = (text: string): void => {
    if (!flags.quiet) io.stderr(`${text}\n`);
  };
  const report = await optimizeWorkload(
    {
      command: flags.workload as string,
      projectRoot: project?.dir ?? process.cwd(),
      top: flags.top,
      minShare: flags.minShare,
      commandTimeoutMs: flags.commandTimeout * 1000,
      ...(project?.testCommand ? { testCommand: project.testCommand } : {}),
      ...(project?.buildCommand ? { buildCommand: project.buildCommand } : {}),
      ...(project?.benchRuns ? { benchRuns: project.benchRuns } : {}),
      ...(flags.apply ? { apply: true } : {}),
      settings,
    },
    { provider, profilers: WORKLOAD_PROFILERS, runnerOptions, timedSizes: fileTimedSizeMemory(defaultCacheDir(io.env)) },
    {
      onStep: say,
      onFunctionEvent: (hotspot, event) => {
        const line = flags.quiet ? undefined : describeEvent(event);
        if (line) io.stderr(`  [${hotspot.function}] ${line}\n`);
      },
      ...(io.signal ? { signal: io.signal } : {}),
    },
  );
  io.stdout(renderWorkloadTable(report));
  for (const file of report.patch) io.stdout(`\n${file.diff}`);
  if (flags.json) writeFileSync(flags.json, `${JSON.stringify(report, null, 2)}\n`);
  if (flags.markdown) writeFileSync(flags.markdown, renderWorkloadMarkdown(report));
  if (report.applied) io.stderr(`Applied the combined patch (${report.patch.map((f) => f.file).join(', ')}).\n`);
  else if (flags.apply && report.note) io.stderr(`${report.note}\n`);
  if (io.signal?.aborted) return 130;
  return report.endToEnd?.verdict === 'faster' && report.tests?.passed !== false ? 0 : 1;
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
  const { settings, project, inputsFile, runner: runnerOptions } = runOptionsFrom(flags, io);
  const runner = runnerForFile(filePath, runnerOptions);
  const fileText = readSource(filePath).text;
  const candidateText = readSource(candidatePath).text;
  let report: OptimizationReport;
  try {
    report = await compareCandidate(
      {
        filePath,
        fileText,
        target: { functionName: original.name },
        candidatePath,
        candidateText,
        ...(candidate.name ? { candidateFunction: candidate.name } : {}),
        ...(inputsFile ? { workload: readWorkloadFile(inputsFile) } : {}),
        ...(project ? { project } : {}),
        settings,
      },
      { runner, timedSizes: fileTimedSizeMemory(defaultCacheDir(io.env)) },
      { onEvent: progress(flags, io), ...(io.signal ? { signal: io.signal } : {}) },
    );
  } finally {
    runner.dispose?.();
  }
  writeReports(report, flags, io);
  if (report.outcome === 'failed') io.stderr(`error: ${report.error}\n`);
  return exitCodeOf(report, true);
}

interface ProfileFlags {
  top: number;
  capture: number;
  json?: string;
  markdown?: string;
  timeout: number;
  quiet?: boolean;
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number, 0 or more');
  return n;
}

function shareOf(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError('a fraction from 0 to below 1, e.g. 0.05');
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return n;
}

async function runProfile(command: string[], flags: ProfileFlags, io: CliIo): Promise<number> {
  const report = await profileCommand(command, {
    projectRoot: process.cwd(),
    profilers: WORKLOAD_PROFILERS,
    timeoutMs: flags.timeout * 1000,
    capture: flags.capture,
    env: io.env,
    ...(io.signal ? { signal: io.signal } : {}),
    onRun: (which) => {
      const what = { plain: `Running \`${command.join(' ')}\` as it is…`, profiled: 'Running it again under the profiler…', capture: 'Running it once more to capture the top functions’ inputs…' };
      if (!flags.quiet) io.stderr(`${what[which]}\n`);
    },
  });
  io.stdout(renderHotspotTable(report, flags.top));
  if (flags.json) writeFileSync(flags.json, `${JSON.stringify(report, null, 2)}\n`);
  if (flags.markdown) writeFileSync(flags.markdown, renderHotspotMarkdown(report, flags.top));
  return 0;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('perfloop')
    .description('Makes code faster and proves it: LLM candidates, checked for equivalence, measured with confidence intervals.')
    .exitOverride()
    .enablePositionalOptions()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const optimizeCommand = program
    .command('optimize')
    .description('ask an LLM for faster versions of a function, verify and measure them')
    .argument('[file]', 'source file (not with --workload)')
    .option('-f, --function <name>', 'function to optimize')
    .option('-l, --lines <A-B>', 'optimize the function enclosing these lines', parseLines)
    .option('--apply', 'write the best verified candidate into the file (--workload: the combined patch, when the whole command is faster)')
    .option('--workload <command>', "profile this command, optimize its hot spots on their captured inputs, time the command before and after")
    .option('--top <n>', '--workload: how many hot spots to optimize', positiveInteger, 3)
    .option('--min-share <fraction>', "--workload: leave functions under this share of the command's time alone", shareOf, 0.05)
    .option('--command-timeout <seconds>', '--workload: the longest the command may run as it is', positiveInteger, 600);
  addCommonOptions(optimizeCommand, 'optimize').action(async (file: string | undefined, flags: OptimizeFlags) => {
    if (flags.workload !== undefined) {
      if (file) throw new UsageError('Give a file or --workload "COMMAND", not both.');
      exitCode = await runWorkloadOptimize(flags, io);
      return;
    }
    if (!file) throw new UsageError('Give the source file to optimize, or --workload "COMMAND".');
    exitCode = await runOptimize(file, flags, io);
  });

  const compareCommand = program
    .command('compare')
    .description('verify and measure a hand-written candidate against the original (no LLM)')
    .argument('<original>', 'FILE:FUNCTION')
    .argument('<candidate>', 'FILE[:FUNCTION] (defaults to the original function name)');
  addCommonOptions(compareCommand, 'compare').action(async (original: string, candidate: string, flags: CommonFlags) => {
    exitCode = await runCompare(original, candidate, flags, io);
  });

  program
    .command('profile')
    .description("run a command that exercises your code (a script, a test suite) and rank your project's functions by where its time goes")
    .argument('<command...>', 'the command and its arguments, after `--`')
    .option('--top <n>', 'how many functions to show', positiveInteger, 10)
    .option('--capture <n>', 'capture the real inputs of the top N functions into .perfloop/captures (0: none)', nonNegativeInteger, 3)
    .option('--timeout <seconds>', 'the longest the command may run as it is (profiled: 4× that)', positiveInteger, 600)
    .option('--json <out>', 'write the hot spots as JSON')
    .option('--markdown <out>', 'write the hot spots as Markdown')
    .option('-q, --quiet', 'no progress on stderr')
    .passThroughOptions()
    .action(async (command: string[], flags: ProfileFlags) => {
      exitCode = await runProfile(command, flags, io);
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
      error instanceof ProfileCommandError ||
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
