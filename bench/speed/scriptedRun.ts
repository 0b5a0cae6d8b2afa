/**
 * A whole optimization run with the LLM replaced by the local OpenAI-compatible fake server (reached through the real
 * `openai` client): R rounds of K scripted candidates about the Python duplicates example. The script keeps the run
 * going to its last round the way the engine decides it (rounds without a faster candidate but with failures to
 * repair continue), so the run measures a realistic mix of verdicts: faster, slower, no-difference, incorrect, error.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { OpenAICompatibleProvider } from '../../optimizer/llm/openaiProvider.js';
import { optimize } from '../../optimizer/optimize.js';
import type { OptimizeSettings, Outcome } from '../../optimizer/types.js';
import { runnerForFile } from '../../profilers/registry.js';
import type { WorkloadSource } from '../../profilers/runner.js';
import { fakeReplies, startFakeLlmServer } from '../../test/support/fakeLlmServer.js';
import { candidateReply, FAST_DUPLICATES, SLOWER_DUPLICATES, WRONG_ORDER_DUPLICATES } from '../../test/support/pythonFixtures.js';
import { CallRecorder, maxOverlap, meanConcurrency, unionLengthMs, type TimedCall } from './callRecorder.js';

interface ScriptedCandidate {
  rationale: string;
  code: string;
}

/** The same quadratic algorithm, reworded: behaves identically and takes as long (no-difference). */
const REWORDED = `def find_duplicates(emails):
    seen_keys = []
    repeated = []
    for address in emails:
        normalised = normalise(address)
        if normalised in seen_keys and normalised not in repeated:
            repeated.append(normalised)
        seen_keys.append(normalised)
    return repeated`;

/** Also equivalent and as slow: the membership test against `repeated` first. */
const REORDERED = `def find_duplicates(emails):
    seen = []
    duplicates = []
    for email in emails:
        key = normalise(email)
        if key not in duplicates and key in seen:
            duplicates.append(key)
        seen.append(key)
    return duplicates`;

const TRIPLE_WORK = SLOWER_DUPLICATES.replace('range(2)', 'range(3)');
const SYNTAX_ERROR = 'def find_duplicates(emails):\n    return [e for e in emails if\n';
const RAISES = 'def find_duplicates(emails):\n    return [emails[len(emails)]]';
const FORGETS_NORMALISING = `def find_duplicates(emails):
    seen = set()
    duplicates = []
    for email in emails:
        if email in seen and email not in duplicates:
            duplicates.append(email)
        seen.add(email)
    return duplicates`;
const UNDEFINED_NAME = 'def find_duplicates(emails):\n    return list(dedupe_in_order(emails))';
const DROPS_ORDER = `def find_duplicates(emails):
    counts = {}
    for email in emails:
        key = normalise(email)
        counts[key] = counts.get(key, 0) + 1
    return sorted(k for k, n in counts.items() if n > 1)`;

/**
 * Rounds 1 and 2 hold no faster candidate but failures to repair, so the engine goes on; the faster one comes in the
 * last round. No-difference candidates come after round 1: a false "faster" among them would only add a round's best.
 */
const SCRIPT: readonly (readonly ScriptedCandidate[])[] = [
  [
    { rationale: 'twice the work', code: SLOWER_DUPLICATES },
    { rationale: 'sorted set', code: WRONG_ORDER_DUPLICATES },
    { rationale: 'unfinished', code: SYNTAX_ERROR },
    { rationale: 'indexing', code: RAISES },
  ],
  [
    { rationale: 'three times the work', code: TRIPLE_WORK },
    { rationale: 'clearer names', code: REWORDED },
    { rationale: 'raw addresses', code: FORGETS_NORMALISING },
    { rationale: 'a helper', code: UNDEFINED_NAME },
  ],
  [
    { rationale: 'sets for membership', code: FAST_DUPLICATES },
    { rationale: 'cheaper test first', code: REORDERED },
    { rationale: 'counting', code: DROPS_ORDER },
    { rationale: 'twice the work, reworded', code: SLOWER_DUPLICATES.replace(/\bkey\b/g, 'k') },
  ],
];

export interface ScriptedRunOptions {
  root: string;
  rounds: number;
  candidatesPerRound: number;
  settings: Partial<OptimizeSettings>;
  workload?: WorkloadSource;
  signal?: AbortSignal;
}

export interface ScriptedRunResult {
  outcome: Outcome;
  rounds: number;
  candidates: number;
  verdicts: Record<string, number>;
  totalSeconds: number;
  llmSeconds: number;
  llmRequests: number;
  /** Seconds by part of the run: preparation, verdicts, LLM, the best's profile, and the rest (prompts, parsing). */
  parts: Record<string, number>;
  /** Seconds per verdict stage, summed over every candidate. */
  stages: Record<string, number>;
  /** Seconds of sandboxed processes by kind. */
  processSeconds: Record<string, number>;
  verdictSeconds: number[];
  /** Verdict per candidate id, to compare runs of the same script. */
  verdictById: Record<string, string>;
  parallelism: {
    /** The engine's setting for the run (report.settings.parallelCandidates). */
    parallelCandidates: number;
    /** Candidates' timing calls, and how many of them overlapped another runner call (must be 0). */
    timingCalls: number;
    timingOverlaps: number;
    candidatesAtOnce: number;
    runnerCallsAtOnce: number;
    processesAtOnce: number;
    meanProcessesRunning: number;
  };
}

function scriptFor(rounds: number, perRound: number): string[] {
  const replies: string[] = [];
  for (let round = 0; round < rounds; round++) {
    // The faster candidate always comes in the last round, whatever the shape of the run.
    const pool = round === rounds - 1 ? SCRIPT[2] : (SCRIPT[round] ?? SCRIPT[1]);
    replies.push(candidateReply([...(pool ?? [])].slice(0, perRound)));
  }
  return replies;
}

const seconds = (calls: readonly { startMs: number; endMs: number }[]): number =>
  calls.reduce((sum, c) => sum + (c.endMs - c.startMs) / 1000, 0);

export async function runScripted(options: ScriptedRunOptions): Promise<ScriptedRunResult> {
  const filePath = `${options.root}examples/python/duplicates.py`;
  const fileText = readFileSync(filePath, 'utf8');
  const llm = await startFakeLlmServer(scriptFor(options.rounds, options.candidatesPerRound).map((text) => fakeReplies.text(text)));
  const recorder = new CallRecorder();
  const stopWatching = recorder.watchProcesses();
  try {
    const provider = recorder.wrapProvider(new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'fake-model', maxRetries: 0 }));
    const started = performance.now();
    const report = await optimize(
      {
        filePath,
        fileText,
        target: { functionName: 'find_duplicates' },
        settings: { ...options.settings, rounds: options.rounds, candidatesPerRound: options.candidatesPerRound },
        ...(options.workload ? { workload: options.workload } : {}),
      },
      { provider, runner: recorder.wrapRunner(runnerForFile(filePath, {}, fileText)) },
      { onEvent: recorder.onEvent, ...(options.signal ? { signal: options.signal } : {}) },
    );
    const endMs = performance.now();
    if (report.outcome === 'failed' || report.outcome === 'cancelled') throw new Error(`scripted run ${report.outcome}: ${report.error ?? ''}`);
    const totalSeconds = (endMs - started) / 1000;
    const firstCandidate = recorder.candidates[0]?.startMs ?? endMs;
    const firstLlm = recorder.llmCalls[0]?.startMs ?? endMs;
    const prepareSeconds = (Math.min(firstCandidate, firstLlm) - started) / 1000;
    const verdictSeconds = recorder.candidates.map((c) => (c.endMs - c.startMs) / 1000);
    const afterRounds: TimedCall[] = recorder.calls.filter((c) => c.phase === 'between');
    const parts = {
      preparation: prepareSeconds,
      // Wall time while any verdict was open: candidates measured side by side overlap, and count once.
      verdicts: unionLengthMs(recorder.candidates) / 1000,
      'LLM requests': recorder.llmSeconds(),
      "best's profile and diff": seconds(afterRounds),
    };
    const accounted = Object.values(parts).reduce((a, b) => a + b, 0);
    const verdicts: Record<string, number> = {};
    for (const candidate of report.candidates) verdicts[candidate.verdict] = (verdicts[candidate.verdict] ?? 0) + 1;
    const timings = recorder.calls.filter((c) => c.stage === 'timing' && c.phase.startsWith('candidate:'));
    // The process pairs of one verdict start together and take turns at being timed (profilers/judge/timingTurns.ts): they
    // overlap one another by design, never anything else.
    const overlapping = timings.filter((t) =>
      recorder.calls.some((c) => c !== t && c.startMs < t.endMs && t.startMs < c.endMs && !(c.stage === 'timing' && c.phase === t.phase)),
    );
    return {
      outcome: report.outcome,
      rounds: new Set(report.candidates.map((c) => c.round)).size,
      candidates: report.candidates.length,
      verdicts,
      totalSeconds,
      llmSeconds: recorder.llmSeconds(),
      llmRequests: llm.chatRequests.length,
      parts: { ...parts, 'other (prompts, parsing, report)': Math.max(0, totalSeconds - accounted) },
      stages: Object.fromEntries(recorder.secondsByStage('candidate:')),
      processSeconds: Object.fromEntries(recorder.processSecondsByTool()),
      verdictSeconds,
      verdictById: Object.fromEntries(report.candidates.map((c) => [c.id, c.verdict])),
      parallelism: {
        parallelCandidates: report.settings.parallelCandidates,
        timingCalls: timings.length,
        timingOverlaps: overlapping.length,
        candidatesAtOnce: maxOverlap(recorder.candidates),
        runnerCallsAtOnce: maxOverlap(recorder.calls),
        processesAtOnce: maxOverlap(recorder.processes),
        meanProcessesRunning: meanConcurrency(recorder.processes, endMs - started),
      },
    };
  } finally {
    stopWatching();
    await llm.close();
  }
}
