/**
 * How long one candidate's verdict takes, stage by stage, for each language's worked example: `compareCandidate` as
 * `perfloop compare` runs it (the original's preparation, then one verdict), then further verdicts of the same
 * candidate against a freshly prepared run, each with a comment that makes its code new (so a compile cache keyed on
 * the source misses, as it would for a new LLM candidate).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { compareCandidate, type CompareRequest } from '../../optimizer/compare.js';
import { measureCandidate } from '../../optimizer/measureCandidate.js';
import { RunSession } from '../../optimizer/runSession.js';
import type { OptimizationReport, OptimizeSettings } from '../../optimizer/types.js';
import { runnerForFile } from '../../profilers/registry.js';
import type { WorkloadSource } from '../../profilers/runner.js';
import { CallRecorder, type CandidateSpan } from './callRecorder.js';

export interface LanguageCase {
  label: string;
  /** Relative to the repository root. */
  file: string;
  functionName: string;
  candidate: string;
  /** Defaults to the inputs module found next to the file, as the CLI finds it. */
  workload?: WorkloadSource;
}

export const LANGUAGE_CASES: readonly LanguageCase[] = [
  { label: 'Python', file: 'examples/python/duplicates.py', functionName: 'find_duplicates', candidate: 'examples/python/duplicates_fast.py' },
  { label: 'JavaScript', file: 'examples/javascript/orders.mjs', functionName: 'repeatedCustomers', candidate: 'examples/javascript/orders_fast.mjs' },
  { label: 'C++', file: 'examples/cpp/join.cpp', functionName: 'join_words', candidate: 'examples/cpp/join_fast.cpp' },
];

export interface VerdictSample {
  seconds: number;
  verdict: string;
  /** Seconds per stage (build, equivalence, timing, memory, instructions). */
  stages: Record<string, number>;
}

export interface LanguageLatency {
  label: string;
  /** `compareCandidate` from start to report: what `perfloop compare` costs beyond starting Node. */
  compareSeconds: number;
  /** Seconds from the start of a run to its first candidate (locate, inputs, baseline profile); one per prepared run. */
  prepareSeconds: number[];
  /** Seconds per stage of the preparations, summed over them. */
  prepareStages: Record<string, number>;
  verdicts: VerdictSample[];
  /** Seconds of sandboxed processes by kind (python, node, compiler, native harness, valgrind, perf). */
  processSeconds: Record<string, number>;
  /** The original's time per call, from its baseline profile. */
  originalSecondsPerCall?: number;
  instructionCounter: string;
  /** Why that counter (e.g. that perf cannot count here), as the run's environment says. */
  instructionCounterDetail?: string;
  sandbox: string;
}

export interface LatencyOptions {
  root: string;
  /** Verdicts in all (the first from compareCandidate). */
  repetitions: number;
  settings: Partial<OptimizeSettings>;
  signal?: AbortSignal;
}

function sampleOf(recorder: CallRecorder, span: CandidateSpan): VerdictSample {
  return {
    seconds: (span.endMs - span.startMs) / 1000,
    verdict: span.verdict ?? 'unknown',
    stages: Object.fromEntries(recorder.candidateStages(span.id)),
  };
}

/** The candidate's code with a comment before its last line: new text, same program. */
export function markRepetition(code: string, label: string, language: string): string {
  const lines = code.replace(/\s+$/, '').split('\n');
  const last = lines.pop() ?? '';
  const indent = /^\s*/.exec(last)?.[0] ?? '';
  const comment = language === 'python' ? `# ${label}` : `// ${label}`;
  return [...lines, `${indent}${comment}`, last].join('\n') + '\n';
}

function failureOf(report: OptimizationReport, what: string): Error {
  const candidate = report.candidates[0];
  return new Error(`${what}: ${report.error ?? candidate?.reason ?? `outcome ${report.outcome}, verdict ${candidate?.verdict ?? 'none'}`}`);
}

export async function measureLanguage(c: LanguageCase, options: LatencyOptions): Promise<LanguageLatency> {
  const filePath = `${options.root}${c.file}`;
  const fileText = readFileSync(filePath, 'utf8');
  const request: CompareRequest = {
    filePath,
    fileText,
    target: { functionName: c.functionName },
    candidatePath: `${options.root}${c.candidate}`,
    candidateText: readFileSync(`${options.root}${c.candidate}`, 'utf8'),
    settings: options.settings,
    ...(c.workload ? { workload: c.workload } : {}),
  };
  const recorder = new CallRecorder();
  const stopWatching = recorder.watchProcesses();
  const control = { onEvent: recorder.onEvent, ...(options.signal ? { signal: options.signal } : {}) };
  try {
    const started = performance.now();
    const report = await compareCandidate(request, { runner: recorder.wrapRunner(runnerForFile(filePath, {}, fileText)) }, control);
    const compareSeconds = (performance.now() - started) / 1000;
    const first = recorder.candidates[0];
    const code = report.candidates[0]?.code;
    if (report.outcome === 'failed' || report.outcome === 'cancelled' || !first || code === undefined) throw failureOf(report, `${c.label} compare`);
    const prepareSeconds = [(first.startMs - started) / 1000];
    const verdicts = [sampleOf(recorder, first)];

    if (options.repetitions > 1) {
      // A new run, as a second `optimize` would be: fresh runner, its own baseline, then one verdict after another.
      const session = new RunSession(request, control);
      recorder.enterPhase('prepare');
      const prepared = performance.now();
      const run = await session.prepare({ runner: recorder.wrapRunner(runnerForFile(filePath, {}, fileText)) });
      prepareSeconds.push((performance.now() - prepared) / 1000);
      const context = session.measureContext(run);
      for (let repetition = 2; repetition <= options.repetitions; repetition++) {
        if (options.signal?.aborted) break;
        const id = `repetition-${repetition}`;
        recorder.onEvent({ type: 'candidate-start', id, round: 0 });
        const result = await measureCandidate(
          { id, round: 0, code: markRepetition(code, `bench ${id}`, run.target.language), rationale: 'hand-written, repeated for the bench' },
          context,
        );
        recorder.onEvent({ type: 'candidate', candidate: result });
        const span = recorder.candidates.find((s) => s.id === id);
        if (span) verdicts.push(sampleOf(recorder, span));
      }
    }
    return {
      label: c.label,
      compareSeconds,
      prepareSeconds,
      prepareStages: Object.fromEntries(recorder.secondsByStage('prepare')),
      verdicts,
      processSeconds: Object.fromEntries(recorder.processSecondsByTool()),
      ...(report.baseline ? { originalSecondsPerCall: report.baseline.secondsPerCall } : {}),
      instructionCounter: report.environment.instructionCounter,
      ...(report.environment.instructionCounterDetail ? { instructionCounterDetail: report.environment.instructionCounterDetail } : {}),
      sandbox: report.environment.sandbox,
    };
  } finally {
    stopWatching();
  }
}
