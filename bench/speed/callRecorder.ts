/**
 * Where a run's time goes, observed from outside the engine: the language runner and the LLM provider are wrapped so
 * every call is timed, and every sandboxed process is recorded with its duration. A call belongs to a candidate when it
 * works on that candidate's program (or code) while the candidate's verdict is open (between its `candidate-start` and
 * `candidate` events) — candidates may be measured side by side, so "the candidate started last" would be wrong.
 * Other calls belong to the preparation, or to `between` once the first candidate started. Nothing in the engine
 * changes; the wrappers only look.
 */
import { performance } from 'node:perf_hooks';
import type { LlmProvider } from '../../optimizer/llm/provider.js';
import type { RunEvent } from '../../optimizer/types.js';
import type { LanguageRunner } from '../../profilers/runner.js';
import { onSandboxRun } from '../../profilers/sandbox/sandbox.js';
import type { Verdict } from '../../profilers/stats/types.js';

/** The stages of a verdict, named after the runner methods `measureCandidate` calls; the rest are preparation. */
export const STAGE_OF_METHOD: Readonly<Record<string, string>> = {
  buildCandidate: 'build',
  checkEquivalence: 'equivalence',
  measureTime: 'timing',
  measureMemory: 'memory',
  countInstructions: 'instructions',
  profileLines: 'line profile',
  measureComplexity: 'complexity',
  checkWorkload: 'workload check',
  extractTarget: 'locate',
  applyCandidate: 'apply',
};

export const VERDICT_STAGES = ['build', 'equivalence', 'timing', 'memory', 'instructions'] as const;

export interface TimedCall {
  method: string;
  stage: string;
  /** `prepare`, `candidate:<id>`, or `between` (after a verdict: the best's profile and diff, or idle). */
  phase: string;
  startMs: number;
  endMs: number;
}

export interface CandidateSpan {
  id: string;
  startMs: number;
  endMs: number;
  verdict?: Verdict;
}

export interface ProcessRecord {
  tool: string;
  startMs: number;
  endMs: number;
}

/** What kind of program a sandboxed command was, from its argv. */
export function toolOf(argv: readonly string[]): string {
  const words = argv.map((a) => a.split('/').pop() ?? a);
  if (words.some((w) => w === 'valgrind' || w.startsWith('valgrind'))) return 'valgrind';
  if (words.some((w) => w === 'perf')) return 'perf';
  if (words.some((w) => /^(g\+\+|gcc|c\+\+|cc|clang\+\+|clang)(-\d+)?$/.test(w))) return 'compiler';
  if (words.some((w) => /^python/.test(w))) return 'python';
  if (words.some((w) => w === 'node' || w === process.execPath.split('/').pop())) return 'node';
  return 'native harness';
}

export class CallRecorder {
  readonly calls: TimedCall[] = [];
  readonly llmCalls: { startMs: number; endMs: number }[] = [];
  readonly candidates: CandidateSpan[] = [];
  readonly processes: ProcessRecord[] = [];
  private phase = 'prepare';
  private stopWatching: (() => void) | undefined;
  /** Candidates whose verdict is being made. */
  private readonly open = new Set<string>();
  /** Candidate id by the code given to buildCandidate, and by the program it built. */
  private readonly codeOwners = new Map<string, string>();
  private readonly programOwners = new WeakMap<object, string>();

  /** Feed the run's events here (`control.onEvent`): they open and close each candidate's verdict. */
  readonly onEvent = (event: RunEvent): void => {
    const now = performance.now();
    if (event.type === 'candidate-start') {
      this.phase = 'between';
      this.open.add(event.id);
      this.candidates.push({ id: event.id, startMs: now, endMs: now });
    } else if (event.type === 'candidate') {
      this.open.delete(event.candidate.id);
      const span = this.candidates.find((c) => c.id === event.candidate.id);
      if (span) {
        span.endMs = now;
        span.verdict = event.candidate.verdict;
      }
    }
  };

  /** Labels the calls from now on, e.g. `prepare` before a second run's preparation. */
  enterPhase(phase: string): void {
    this.phase = phase;
  }

  wrapRunner(runner: LanguageRunner): LanguageRunner {
    return new Proxy(runner, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        return (...args: unknown[]) => this.time(property, args, () => (value as (...a: unknown[]) => unknown).apply(target, args));
      },
    });
  }

  wrapProvider(provider: LlmProvider): LlmProvider {
    return {
      description: provider.description,
      complete: async (request) => {
        const startMs = performance.now();
        try {
          return await provider.complete(request);
        } finally {
          this.llmCalls.push({ startMs, endMs: performance.now() });
        }
      },
    };
  }

  /** Records every sandboxed process until `stop()`; returns `stop`. */
  watchProcesses(): () => void {
    this.stopWatching = onSandboxRun((run) => {
      const endMs = performance.now();
      this.processes.push({ tool: toolOf(run.argv), startMs: endMs - run.durationMs, endMs });
    });
    return () => this.stop();
  }

  stop(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
  }

  /** The candidate a runner call works on, from its arguments (see LanguageRunner for their order). */
  private ownerOf(method: string, args: readonly unknown[]): string | undefined {
    const program = (at: number): string | undefined => {
      const value = args[at];
      return typeof value === 'object' && value !== null ? this.programOwners.get(value) : undefined;
    };
    switch (method) {
      case 'buildCandidate':
        return typeof args[2] === 'string' ? args[2] : undefined;
      case 'applyCandidate':
        return typeof args[1] === 'string' ? this.codeOwners.get(args[1]) : undefined;
      case 'checkEquivalence':
      case 'measureTime':
        return program(1);
      default:
        return program(0);
    }
  }

  private time(method: string, args: readonly unknown[], call: () => unknown): unknown {
    const owner = this.ownerOf(method, args);
    const phase = owner !== undefined && this.open.has(owner) ? `candidate:${owner}` : this.phase;
    const record: TimedCall = { method, stage: STAGE_OF_METHOD[method] ?? method, phase, startMs: performance.now(), endMs: 0 };
    const finish = (): void => {
      record.endMs = performance.now();
      this.calls.push(record);
    };
    if (method === 'buildCandidate' && owner !== undefined && typeof args[1] === 'string') this.codeOwners.set(args[1], owner);
    let result: unknown;
    try {
      result = call();
    } catch (error) {
      finish();
      throw error;
    }
    if (result instanceof Promise) {
      if (method === 'buildCandidate' && owner !== undefined) {
        void result.then(
          (build: { ok?: boolean; program?: object }) => {
            if (build?.ok && build.program) this.programOwners.set(build.program, owner);
          },
          () => undefined,
        );
      }
      return result.finally(finish);
    }
    finish();
    return result;
  }

  /** Seconds per stage over the calls that match `phase` (a prefix: `candidate:` for every candidate). */
  secondsByStage(phasePrefix: string): Map<string, number> {
    const totals = new Map<string, number>();
    for (const call of this.calls) {
      if (!call.phase.startsWith(phasePrefix)) continue;
      totals.set(call.stage, (totals.get(call.stage) ?? 0) + (call.endMs - call.startMs) / 1000);
    }
    return totals;
  }

  /** Seconds per stage of one candidate's verdict. */
  candidateStages(id: string): Map<string, number> {
    return this.secondsByStage(`candidate:${id}`);
  }

  llmSeconds(): number {
    return this.llmCalls.reduce((sum, c) => sum + (c.endMs - c.startMs) / 1000, 0);
  }

  /** Seconds of sandboxed processes per kind of program (their sum can exceed wall time when they overlap). */
  processSecondsByTool(): Map<string, number> {
    const totals = new Map<string, number>();
    for (const p of this.processes) totals.set(p.tool, (totals.get(p.tool) ?? 0) + (p.endMs - p.startMs) / 1000);
    return totals;
  }
}

/** The most intervals open at one instant (1 = strictly one after another). */
export function maxOverlap(intervals: readonly { startMs: number; endMs: number }[]): number {
  const edges = intervals.flatMap((i) => [
    { at: i.startMs, delta: 1 },
    { at: i.endMs, delta: -1 },
  ]);
  // Ends before starts at the same instant: back-to-back intervals do not overlap.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let open = 0;
  let most = 0;
  for (const edge of edges) {
    open += edge.delta;
    most = Math.max(most, open);
  }
  return most;
}

/** Time during which at least one interval is open (overlapping stretches counted once). */
export function unionLengthMs(intervals: readonly { startMs: number; endMs: number }[]): number {
  const sorted = [...intervals].sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let reach = -Infinity;
  for (const i of sorted) {
    const start = Math.max(i.startMs, reach);
    if (i.endMs > start) total += i.endMs - start;
    reach = Math.max(reach, i.endMs);
  }
  return total;
}

/** Total length of intervals divided by the window they fall in: the average number running at once. */
export function meanConcurrency(intervals: readonly { startMs: number; endMs: number }[], windowMs: number): number {
  if (windowMs <= 0) return 0;
  return intervals.reduce((sum, i) => sum + (i.endMs - i.startMs), 0) / windowMs;
}
