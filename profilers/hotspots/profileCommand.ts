/**
 * `perfloop profile -- COMMAND`: runs the user's command once as it is and once under every language's workload
 * profiler, and ranks the functions of their project by where the profiled run's time went. The command is the user's
 * own (their script, their tests), run in their project as they would run it: it is not sandboxed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { storeCaptures } from './captureStore.js';
import type { CapturedCalls, FunctionTimes, Hotspot, HotspotReport, WorkloadProfiler } from './types.js';

const OUTPUT_TAIL_CHARS = 4000;

export class ProfileCommandError extends Error {}

export interface ProfileCommandOptions {
  /** The project: where the command runs, and whose files are ranked. */
  projectRoot: string;
  profilers: readonly WorkloadProfiler[];
  timeoutMs: number;
  env?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  /** Capture the real inputs of this many top functions, in a run of their own (0 or unset: none). */
  capture?: number;
  /** Called before each run. */
  onRun?: (which: 'plain' | 'profiled' | 'capture') => void;
}

interface CommandRun {
  seconds: number;
  /** CPU time of the command's processes (Linux), which a busy machine does not stretch as it does wall time. */
  cpuSeconds?: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  outputTail: string;
}

let clockTicks: number | undefined;

/**
 * CPU seconds of this process's children that have ended (Linux: cutime + cstime of /proc/self/stat, which hold each
 * child's own children too), or undefined where there is no such file.
 */
function childrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    return (Number(fields[13]) + Number(fields[14])) / clockTicks;
  } catch {
    return undefined;
  }
}

function runCommand(command: readonly string[], cwd: string, env: Record<string, string | undefined>, timeoutMs: number, signal?: AbortSignal): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const cpuBefore = childrenCpuSeconds();
    const start = process.hrtime.bigint();
    const child = spawn(command[0] as string, command.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let tail = '';
    const keep = (chunk: Buffer): void => {
      tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const killGroup = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    const onAbort = (): void => killGroup();
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(new ProfileCommandError(`Cannot run \`${command.join(' ')}\`: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    });
    child.on('close', (exitCode, exitSignal) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const cpuAfter = childrenCpuSeconds();
      const cpuSeconds = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
      resolve({ seconds, ...(cpuSeconds !== undefined ? { cpuSeconds } : {}), exitCode, signal: exitSignal, timedOut, outputTail: tail });
    });
  });
}

function failure(command: readonly string[], run: CommandRun, which: string, timeoutMs: number): ProfileCommandError {
  const how = run.timedOut ? `did not finish within ${Math.round(timeoutMs / 1000)} s` : `exited with ${run.exitCode ?? run.signal}`;
  const tail = run.outputTail.trimEnd().split('\n').slice(-15).join('\n');
  return new ProfileCommandError(`\`${command.join(' ')}\` ${how} (${which} run): it must succeed to be profiled.${tail ? `\n${tail}` : ''}`);
}

/** One entry per function: the times of every process that ran it, added up. */
function merge(functions: readonly FunctionTimes[]): FunctionTimes[] {
  const byKey = new Map<string, FunctionTimes>();
  for (const f of functions) {
    const key = `${f.language}\0${f.file}\0${f.line}\0${f.qualname}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { ...f });
    else {
      if (seen.calls !== undefined || f.calls !== undefined) seen.calls = (seen.calls ?? 0) + (f.calls ?? 0);
      seen.selfSeconds += f.selfSeconds;
      seen.inclusiveSeconds += f.inclusiveSeconds;
    }
  }
  return [...byKey.values()];
}

/** Functions ranked by self share (own time plus direct library calls), then inclusive share. */
export function rankHotspots(functions: readonly FunctionTimes[], runSeconds: number, projectRoot: string): Hotspot[] {
  const clamp = (share: number): number => Math.min(1, Math.max(0, share));
  return merge(functions)
    .filter((f) => (f.calls === undefined ? f.inclusiveSeconds > 0 : f.calls > 0))
    .map((f) => ({
      language: f.language,
      function: f.qualname,
      file: path.relative(projectRoot, f.file) || f.file,
      line: f.line,
      inclusiveShare: clamp(f.unit ? f.inclusiveSeconds : f.inclusiveSeconds / runSeconds),
      selfShare: clamp(f.unit ? f.selfSeconds : f.selfSeconds / runSeconds),
      ...(f.calls !== undefined ? { calls: f.calls } : {}),
      // Instruction shares say nothing of seconds (the run was valgrind's): no time per call.
      ...(f.calls !== undefined && !f.unit ? { secondsPerCall: f.inclusiveSeconds / f.calls } : {}),
    }))
    .sort((a, b) => b.selfShare - a.selfShare || b.inclusiveShare - a.inclusiveShare);
}

export async function profileCommand(command: readonly string[], options: ProfileCommandOptions): Promise<HotspotReport> {
  if (command.length === 0) throw new ProfileCommandError('No command to profile: put it after `--`, e.g. `perfloop profile -- python main.py`.');
  const inherited = options.env ?? process.env;
  options.onRun?.('plain');
  const plain = await runCommand(command, options.projectRoot, { ...inherited }, options.timeoutMs, options.signal);
  if (options.signal?.aborted) throw new ProfileCommandError('Profiling cancelled.');
  if (plain.exitCode !== 0 || plain.timedOut) throw failure(command, plain, 'plain', options.timeoutMs);
  const outDir = mkdtempSync(path.join(tmpdir(), 'perfloop-profile-'));
  try {
    const env: Record<string, string | undefined> = { ...inherited };
    for (const profiler of options.profilers) Object.assign(env, profiler.environment(outDir, options.projectRoot, env));
    options.onRun?.('profiled');
    let wrapped: string[] | undefined;
    for (const profiler of options.profilers) wrapped ??= profiler.wrap?.(command, outDir, options.projectRoot);
    // valgrind runs a program some 50× slower.
    const profiledTimeout = options.timeoutMs * (wrapped ? 60 : 4);
    const profiled = await runCommand(wrapped ?? command, options.projectRoot, env, profiledTimeout, options.signal);
    if (options.signal?.aborted) throw new ProfileCommandError('Profiling cancelled.');
    if (profiled.exitCode !== 0 || profiled.timedOut) throw failure(command, profiled, 'profiled', profiledTimeout);
    const processes: Record<string, number> = {};
    const functions: FunctionTimes[] = [];
    for (const profiler of options.profilers) {
      const recorded = await profiler.read(outDir, options.projectRoot);
      if (recorded.processes > 0) processes[profiler.language] = recorded.processes;
      functions.push(...recorded.functions);
    }
    if (Object.keys(processes).length === 0) {
      throw new ProfileCommandError(
        `\`${command.join(' ')}\` ran, but no process of a language Perfloop profiles (${options.profilers.map((p) => p.language).join(', ')}) ` +
          'recorded anything: does it start one (not through a launcher that clears the environment)?',
      );
    }
    const report: HotspotReport = {
      command: [...command],
      projectRoot: options.projectRoot,
      wallSeconds: plain.seconds,
      profiledWallSeconds: profiled.seconds,
      // CPU time where it is known: one run each, and a busy machine stretches wall time by whatever else runs.
      ...(plain.cpuSeconds && profiled.cpuSeconds
        ? { profilerOverhead: profiled.cpuSeconds / plain.cpuSeconds, overheadBasis: 'cpu' as const }
        : { profilerOverhead: profiled.seconds / plain.seconds, overheadBasis: 'wall' as const }),
      processes,
      hotspots: rankHotspots(functions, profiled.seconds, options.projectRoot),
    };
    if (options.capture) await captureInputs(command, report, options);
    return report;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * A run of its own that records the arguments of the top functions (the profilers' hooks would slow the timed one),
 * stored under .perfloop/captures; every chosen hot spot says how many inputs it got, or why none.
 */
async function captureInputs(command: readonly string[], report: HotspotReport, options: ProfileCommandOptions): Promise<void> {
  const chosen = report.hotspots.slice(0, options.capture);
  const targets = new Map<WorkloadProfiler, Hotspot[]>();
  for (const h of chosen) {
    const profiler = options.profilers.find((p) => p.languages.includes(h.language));
    if (!profiler?.capture) {
      h.captureNote = `capturing ${h.language} inputs is not built yet: an inputs module or the LLM's generator makes them`;
      continue;
    }
    targets.set(profiler, [...(targets.get(profiler) ?? []), h]);
  }
  if (targets.size === 0) return;
  const outDir = mkdtempSync(path.join(tmpdir(), 'perfloop-capture-'));
  try {
    const env: Record<string, string | undefined> = { ...(options.env ?? process.env) };
    for (const [profiler, hotspots] of targets) {
      const wanted = hotspots.map((h) => ({ file: path.resolve(options.projectRoot, h.file), line: h.line, qualname: h.function }));
      Object.assign(env, profiler.capture?.environment(outDir, wanted, env));
    }
    options.onRun?.('capture');
    const run = await runCommand(command, options.projectRoot, env, options.timeoutMs * 4, options.signal);
    if (options.signal?.aborted) throw new ProfileCommandError('Profiling cancelled.');
    if (run.exitCode !== 0 || run.timedOut) throw failure(command, run, 'capture', options.timeoutMs * 4);
    for (const [profiler, hotspots] of targets) {
      const calls: CapturedCalls[] = (await profiler.capture?.read(outDir)) ?? [];
      const { entries, manifest } = storeCaptures(options.projectRoot, profiler.language, calls, command, profiler.capture?.inputsModule);
      report.captureManifest = manifest;
      for (const h of hotspots) {
        const entry = entries.find((e) => e.file === h.file && e.line === h.line);
        h.capturedInputs = entry?.inputs ?? 0;
        const note = entry?.note ?? (entry ? undefined : 'not called in the capture run');
        if (note) h.captureNote = note;
      }
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
