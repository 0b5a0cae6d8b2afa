/**
 * `npm run bench`: runs the bench sections, writes bench/results/latest.json and latest.md, prints the summary table.
 * Usage: node out/bench/run.js [--tier tiny|quick|full] [--only id,id] [--out dir] [--data dir]
 * Progress goes to stderr, the table to stdout. A section that fails is reported as failed; the others still run.
 */
import { Command, InvalidArgumentError } from 'commander';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectInstructionCounter, instructionCounterUnavailableReason } from '../profilers/counters/instructions.js';
import { PythonRunner } from '../profilers/python/pythonRunner.js';
import { resolveSandboxKind } from '../profilers/sandbox/sandbox.js';
import { detectHyperfine } from '../profilers/wholeProgram/hyperfine.js';
import { renderBenchMarkdown, renderSummaryTable } from './markdown.js';
import { BENCH_SECTIONS } from './sections.js';
import type { BenchContext, BenchResults, BenchTier, MachineInfo, SectionResult } from './types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TIERS: readonly BenchTier[] = ['tiny', 'quick', 'full'];

export interface BenchOptions {
  tier: BenchTier;
  only?: string[];
  /** Sections run at the full tier whatever `tier` says (e.g. the A/A figure, which needs its 100 trials). */
  full?: string[];
  outDir: string;
  dataDir: string;
  log?: (message: string) => void;
  signal?: AbortSignal;
}

async function describeMachine(): Promise<MachineInfo> {
  const runner = new PythonRunner();
  const counter = await detectInstructionCounter();
  const hyperfine = await detectHyperfine();
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.versions.node,
    python: await runner.describe().catch(() => undefined),
    sandbox: await resolveSandboxKind('auto'),
    instructionCounter: counter ? `${counter.kind} (${counter.detail})` : `none: ${instructionCounterUnavailableReason() ?? 'unknown'}`,
    ...(hyperfine ? { hyperfine } : {}),
  };
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const unknown = [...(options.only ?? []), ...(options.full ?? [])].filter((id) => !BENCH_SECTIONS.some((s) => s.id === id));
  if (unknown.length > 0) {
    throw new Error(`Unknown section ${unknown.join(', ')}; sections: ${BENCH_SECTIONS.map((s) => s.id).join(', ')}`);
  }
  const sections = options.only?.length ? BENCH_SECTIONS.filter((s) => options.only?.includes(s.id)) : BENCH_SECTIONS;
  const startedAt = new Date();
  const started = performance.now();
  const machine = await describeMachine();
  log(`Perfloop bench (${options.tier}) on ${machine.cpu}, ${machine.cores} cores; sandbox ${machine.sandbox}; counter ${machine.instructionCounter}`);
  const results: SectionResult[] = [];
  for (const section of sections) {
    const scratchDir = mkdtempSync(path.join(os.tmpdir(), `perfloop-bench-${section.id}-`));
    const tier = options.full?.includes(section.id) ? 'full' : options.tier;
    const ctx: BenchContext = {
      tier,
      root: ROOT,
      dataDir: options.dataDir,
      scratchDir,
      log: (message) => log(`[${section.id}] ${message}`),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const sectionStart = performance.now();
    log(`— ${section.title}`);
    try {
      const outcome = await section.run(ctx);
      results.push({ id: section.id, title: section.title, tier, ...outcome, seconds: (performance.now() - sectionStart) / 1000 });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`${section.id} failed: ${message}`);
      results.push({ id: section.id, title: section.title, tier, figures: [], seconds: (performance.now() - sectionStart) / 1000, error: message });
    } finally {
      rmSync(scratchDir, { recursive: true, force: true });
    }
  }
  const commit = gitCommit();
  const bench: BenchResults = {
    startedAt: startedAt.toISOString(),
    tier: options.tier,
    machine,
    ...(commit ? { gitCommit: commit } : {}),
    seconds: (performance.now() - started) / 1000,
    sections: results,
  };
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(path.join(options.outDir, 'latest.json'), `${JSON.stringify(bench, null, 2)}\n`);
  writeFileSync(path.join(options.outDir, 'latest.md'), renderBenchMarkdown(bench));
  return bench;
}

function parseTier(value: string): BenchTier {
  if (!(TIERS as readonly string[]).includes(value)) throw new InvalidArgumentError(`one of ${TIERS.join(', ')}`);
  return value as BenchTier;
}

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('bench')
    .description('Measure how far Perfloop’s figures can be trusted; writes latest.json and latest.md')
    .option('--tier <tier>', 'tiny (seconds, for tests), quick (minutes) or full (the published figures)', parseTier, 'full')
    .option('--only <ids>', `comma-separated sections: ${BENCH_SECTIONS.map((s) => s.id).join(', ')}`, (v: string) => v.split(',').filter(Boolean))
    .option('--full <ids>', 'comma-separated sections to run at the full tier whatever --tier says', (v: string) => v.split(',').filter(Boolean))
    .option('--out <dir>', 'where latest.json and latest.md go', path.join(ROOT, 'bench', 'results'))
    .option('--data <dir>', 'the public benchmark data', process.env.PERFLOOP_BENCH_DATA ?? path.join(ROOT, '..', 'shared', 'bench-data'));
  program.parse(argv, { from: 'user' });
  const flags = program.opts<{ tier: BenchTier; only?: string[]; full?: string[]; out: string; data: string }>();
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Error('Interrupted')));
  const results = await runBench({
    tier: flags.tier,
    ...(flags.only ? { only: flags.only } : {}),
    ...(flags.full ? { full: flags.full } : {}),
    outDir: path.resolve(flags.out),
    dataDir: path.resolve(flags.data),
    signal: controller.signal,
  });
  process.stdout.write(`${renderSummaryTable(results)}\n\nWritten: ${path.join(flags.out, 'latest.json')} and latest.md\n`);
  return results.sections.some((s) => s.error) ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
