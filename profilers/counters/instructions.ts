/**
 * Counts the user-space instructions a program executes: hardware counters through `perf stat` where the machine exposes
 * them, else valgrind's cachegrind (exact, ~50× slower). Counts are far less noisy than wall time (COFFE: 0.003–0.005%
 * relative standard deviation), which is why Perfloop prefers them for verdicts when available.
 *
 * Both counters report on stderr after the program has exited, so the program's own output comes first and cannot
 * replace the real figures (parsers take the last report).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runSandboxed } from '../sandbox/sandbox.js';
import type { SandboxResult } from '../sandbox/types.js';

export type InstructionCounterKind = 'perf' | 'valgrind';

export interface CountingCommand {
  /** The program to run (valgrind: wrapped; perf: unchanged, perf goes in `launcher`). */
  argv: string[];
  /**
   * Pass as SandboxRequest.launcher: perf has to fork the program, which the no-subprocess filter forbids to the program
   * itself, so perf runs as a trusted launcher in front of the filter.
   */
  launcher?: string[];
  /** The instruction count of the run; throws when the counter did not report one. */
  parse(result: SandboxResult): number;
}

const PROBE_TIMEOUT_MS = 30_000;
const PERF_EVENT = 'instructions:u';

/**
 * One line of `perf stat -x,`: value, unit, event, run time, percentage, ... The event is `instructions:u`, or on hybrid
 * CPUs `cpu_core/instructions:u/` and `cpu_atom/instructions:u/` (one line each, to be summed).
 */
const PERF_CSV_LINE = /^([^,]*),[^,]*,((?:[\w.-]+\/)?instructions:u\/?),/;
/** The cachegrind summary line, e.g. `==2== I   refs:      139,930,300`. */
const CACHEGRIND_REFS_LINE = /^==\d+== I\s+refs:\s+([\d,]+)\s*$/;

/** Sums the last report of each instructions event; throws with perf's own words when it did not count. */
export function parsePerfStatCsv(text: string): number {
  const lastValueByEvent = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = PERF_CSV_LINE.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) lastValueByEvent.set(match[2], match[1]);
  }
  if (lastValueByEvent.size === 0) throw new Error('perf stat printed no instructions:u line.');
  const values = [...lastValueByEvent.values()];
  const counted = values.filter((value) => /^\d+$/.test(value));
  // On hybrid CPUs the core type the program never ran on reports <not counted>; that is fine if another counted.
  if (counted.length === 0) throw new Error(`perf stat could not count instructions:u here (${values.join(', ')}).`);
  return counted.reduce((sum, value) => sum + Number(value), 0);
}

export function parseCachegrindLog(text: string): number {
  let refs: string | undefined;
  for (const line of text.split('\n')) {
    const match = CACHEGRIND_REFS_LINE.exec(line.trim());
    if (match?.[1] !== undefined) refs = match[1];
  }
  if (refs === undefined) throw new Error('valgrind (cachegrind) printed no "I refs" summary.');
  return Number(refs.replaceAll(',', ''));
}

function failureContext(result: SandboxResult): string | undefined {
  if (result.timedOut) return 'the run timed out';
  if (result.aborted) return 'the run was aborted';
  if (result.outputTruncated) return 'the run printed more than the output limit';
  return undefined;
}

function countParser(kind: InstructionCounterKind): (result: SandboxResult) => number {
  return (result) => {
    const context = failureContext(result);
    if (context) throw new Error(`No instruction count: ${context}.`);
    try {
      return kind === 'perf' ? parsePerfStatCsv(result.stderr) : parseCachegrindLog(result.stderr);
    } catch (error) {
      const tail = result.stderr.trim().split('\n').slice(-5).join('\n');
      throw new Error(`${error instanceof Error ? error.message : String(error)} Last lines of stderr:\n${tail}`);
    }
  };
}

/**
 * The command that counts instructions of `argv`, to be run through runSandboxed (argv and launcher both). `workDir` is
 * accepted for counters that need a file; perf and cachegrind both report on stderr, which the program cannot overwrite.
 */
export function wrapForCounting(kind: InstructionCounterKind, argv: readonly string[], _workDir: string): CountingCommand {
  if (kind === 'perf') {
    return { argv: [...argv], launcher: ['perf', 'stat', '-x,', '-e', PERF_EVENT, '--'], parse: countParser('perf') };
  }
  return {
    argv: [
      'valgrind',
      '--tool=cachegrind',
      // Instruction counts only: cache and branch simulation would slow the run and add nothing.
      '--cache-sim=no',
      '--branch-sim=no',
      '--cachegrind-out-file=/dev/null',
      ...argv,
    ],
    parse: countParser('valgrind'),
  };
}

interface CounterProbe {
  works: boolean;
  detail: string;
}

const counterProbes = new Map<InstructionCounterKind, Promise<CounterProbe>>();
let lastUnavailableReason: string | undefined;

/** Counts /bin/true exactly as a real measurement would (same sandbox, same wrapping), so success means it works. */
async function probeCounter(kind: InstructionCounterKind): Promise<CounterProbe> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'perfloop-counter-probe-'));
  try {
    const command = wrapForCounting(kind, ['/bin/true'], workDir);
    const result = await runSandboxed({
      argv: command.argv,
      launcher: command.launcher,
      mode: 'auto',
      workDir,
      timeoutMs: PROBE_TIMEOUT_MS,
    });
    const instructions = command.parse(result);
    if (result.exitCode !== 0) throw new Error(`exit status ${result.exitCode ?? result.signal}: ${result.stderr.trim()}`);
    return { works: true, detail: `${kind} (${instructions} instructions for /bin/true, sandbox ${result.sandbox})` };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { works: false, detail: `${kind}: ${reason.includes('ENOENT') ? 'not installed' : reason}` };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function probeCached(kind: InstructionCounterKind): Promise<CounterProbe> {
  let probe = counterProbes.get(kind);
  if (!probe) {
    probe = probeCounter(kind);
    counterProbes.set(kind, probe);
  }
  return probe;
}

/**
 * The instruction counter to use here: perf when its hardware counter really counts (VMs and containers often print
 * `<not supported>`), else valgrind. Undefined when neither works; `instructionCounterUnavailableReason()` says why.
 */
export async function detectInstructionCounter(
  preference: 'auto' | InstructionCounterKind = 'auto',
): Promise<{ kind: InstructionCounterKind; detail: string } | undefined> {
  const candidates: InstructionCounterKind[] = preference === 'auto' ? ['perf', 'valgrind'] : [preference];
  const failures: string[] = [];
  for (const kind of candidates) {
    const probe = await probeCached(kind);
    if (probe.works) {
      lastUnavailableReason = undefined;
      return { kind, detail: probe.detail };
    }
    failures.push(probe.detail);
  }
  lastUnavailableReason = `No instruction counter works here. ${failures.join(' ')}`;
  return undefined;
}

/** Why the last detectInstructionCounter() returned undefined (undefined if it found a counter). */
export function instructionCounterUnavailableReason(): string | undefined {
  return lastUnavailableReason;
}

/** Tests only: forget the probes. */
export function forgetInstructionCounterProbes(): void {
  counterProbes.clear();
  lastUnavailableReason = undefined;
}
