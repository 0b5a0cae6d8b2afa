/**
 * The loop: target → workload → baseline profile → R rounds of K candidates (prompt → parse → verify → measure), each
 * round's prompt carrying the measured results and failures of the previous ones. Language-agnostic: everything that
 * runs code goes through a LanguageRunner.
 */
import { LlmError, type LlmProvider } from './llm/provider.js';
import { measureCandidate, type CandidateInput, type MeasureContext } from './measureCandidate.js';
import { rankPatterns } from './patterns/catalog.js';
import { buildOptimizePrompt, capForPrompt, promptMethod, type PreviousCandidate } from './prompts.js';
import { requestCandidates } from './candidateRequest.js';
import { startPreflight } from './preflight.js';
import { fitPowerLaw } from '../profilers/stats/complexity.js';
import { COMPLEXITY_LIMITS } from './baseline.js';
import type { PrepareDependencies, PreparedRun } from './prepareRun.js';
import { RunFailure } from './prepareRun.js';
import { RunSession, type RunControl } from './runSession.js';
import type { CandidateResult, OptimizationReport, OptimizeRequest, RunEvent } from './types.js';

export type { RunControl } from './runSession.js';

export interface OptimizeDependencies extends PrepareDependencies {
  provider: LlmProvider;
}

/** Errors that end the whole run rather than one round. */
const FATAL_LLM_ERRORS = new Set(['auth', 'unreachable', 'model-not-found', 'bad-request']);
/** How many earlier candidates the feedback section shows (the best, then the most recent). */
const FEEDBACK_LIMIT = 8;
const COUNTEREXAMPLE_PART_LIMIT = 500;
const CANCELLED = { outcome: 'cancelled', error: 'The run was cancelled.' } as const;

export async function optimize(
  request: OptimizeRequest,
  deps: OptimizeDependencies,
  control: RunControl = {},
): Promise<OptimizationReport> {
  const session = new RunSession(request, control);
  const provider = session.guard(deps.provider);
  const { settings } = session;
  const emit = session.emit.bind(session);
  const warn = session.warn.bind(session);
  const tokens = session.tokens;
  const candidates: CandidateResult[] = [];

  // A wrong key, URL or model is found beside the profiling of the original rather than after it.
  const preflight = startPreflight(provider, control.signal, () => session.stopPreparation());
  let run: PreparedRun;
  try {
    // Not waiting for the preparation to notice the stop: some of its steps (detecting the machine's tools) cannot be
    // interrupted, and the user should not wait for them to hear that the endpoint is wrong.
    const prepared = await Promise.race([session.prepare({ ...deps, provider }), session.located.then(() => preflight.failed)]);
    if (prepared instanceof LlmError) return session.report(candidates, { outcome: 'failed', error: prepared.message });
    run = prepared;
  } catch (error) {
    if (session.aborted) return session.report(candidates, CANCELLED);
    // The preflight's failure explains a stopped preparation; a mistake in the user's file comes first.
    if (preflight.failure && session.isLocated) return session.report(candidates, { outcome: 'failed', error: preflight.failure.message });
    if (error instanceof RunFailure) return session.report(candidates, { outcome: 'failed', error: error.message });
    throw error; // the user's input is at fault (no such function, unusable inputs file): the caller reports it
  }
  const preflightFailure = preflight.finish();
  if (preflightFailure) return session.report(candidates, { outcome: 'failed', error: preflightFailure.message });
  const measureContext = session.measureContext(run);

  const patterns = rankPatterns(run.target.language, {
    source: run.target.functionSource,
    hotLines: (run.baseline.lineProfile?.entries ?? []).map((e) => ({ text: e.text, timeShare: e.timeShare })),
    ...(run.baseline.complexity?.fit ? { complexityExponent: run.baseline.complexity.fit.exponent } : {}),
    ...(run.baseline.peakMemoryBytes !== undefined ? { peakMemoryBytes: run.baseline.peakMemoryBytes } : {}),
  });

  let best: CandidateResult | undefined;
  let fatal: string | undefined;
  const measuredCode = new Map<string, string>();
  for (let round = 1; round <= settings.rounds && !fatal; round++) {
    if (control.signal?.aborted) break;
    emit({ type: 'round-start', round, rounds: settings.rounds });
    const messages = buildOptimizePrompt({
      language: run.target.language,
      functionName: run.target.functionName,
      functionSource: run.target.functionSource,
      contextSource: run.target.contextSource,
      candidatesWanted: settings.candidatesPerRound,
      round,
      rounds: settings.rounds,
      profile: run.baseline.lineProfile
        ? {
            lines: run.baseline.lineProfile.entries,
            totalSeconds: run.baseline.lineProfile.totalSeconds,
            ...(run.baseline.lineProfile.basis ? { basis: run.baseline.lineProfile.basis } : {}),
          }
        : undefined,
      complexity: run.baseline.complexity?.fit
        ? {
            label: run.baseline.complexity.fit.label,
            exponent: run.baseline.complexity.fit.exponent,
            exponentStdError: run.baseline.complexity.fit.exponentStdError,
            points: run.baseline.complexity.points,
          }
        : undefined,
      baseline: {
        secondsPerCall: run.baseline.secondsPerCall,
        ...(run.baseline.instructions !== undefined
          ? { instructions: run.baseline.instructions, counter: run.environment.instructionCounter }
          : {}),
        ...(run.baseline.peakMemoryBytes !== undefined ? { peakMemoryBytes: run.baseline.peakMemoryBytes } : {}),
      },
      patterns,
      previous: feedbackFor(candidates, best),
      ...promptMethod(run.target),
    });
    emit({ type: 'trace', message: `Round ${round} prompt:\n${messages.map((m) => `[${m.role}]\n${provider.redact(m.content)}`).join('\n')}` });
    let reply;
    let parsed;
    try {
      ({ reply, parsed } = await requestCandidates(
        provider,
        messages,
        {
          functionName: run.target.functionName,
          language: run.target.language,
          maxCandidates: settings.candidatesPerRound,
          originalSource: run.target.functionSource,
          ...promptMethod(run.target),
        },
        control.signal,
        (r) => {
          tokens.add(r.usage);
          emit({ type: 'trace', message: `Round ${round} reply (${r.model}, ${r.usage.totalTokens} tokens${r.finishReason === 'length' ? ', cut at the output limit' : ''}):\n${r.text}` });
        },
      ));
    } catch (error) {
      if (!(error instanceof LlmError)) throw error;
      if (error.kind === 'aborted') break;
      if (FATAL_LLM_ERRORS.has(error.kind) || round === 1) fatal = error.message;
      else warn(`Round ${round} stopped: ${error.message}`);
      break;
    }
    emit({ type: 'llm-reply', round, usage: reply.usage, candidates: parsed.candidates.length, failures: parsed.failures.length });
    for (const failure of parsed.failures) {
      const result: CandidateResult = {
        id: `r${round}c${failure.index}`,
        round,
        code: failure.code ?? '',
        rationale: '',
        verdict: 'error',
        reason: `unusable reply: ${failure.reason}`,
      };
      candidates.push(result);
      emit({ type: 'candidate', candidate: result });
    }
    const bestBefore = best;
    const fresh: CandidateInput[] = [];
    for (const candidate of parsed.candidates) {
      const id = `r${round}c${candidate.index}`;
      const earlier = measuredCode.get(normaliseCode(candidate.code));
      if (earlier) {
        // LLMs often resend a candidate verbatim; measuring it again would only add a noisy duplicate row.
        emit({ type: 'log', message: `${id} repeats ${earlier}; not measured again` });
        continue;
      }
      measuredCode.set(normaliseCode(candidate.code), id);
      fresh.push({ id, round, code: candidate.code, rationale: candidate.rationale });
    }
    const results = await measureRound(fresh, measureContext, settings.parallelCandidates, emit, control.signal);
    // In the order the LLM gave them, whatever order they finished in: the same reply gives the same best.
    for (const result of results) {
      candidates.push(result);
      if (result.verdict === 'faster' && (!best || (result.speedup?.low ?? 0) > (best.speedup?.low ?? 0))) best = result;
    }
    const improved = best !== bestBefore;
    emit({ type: 'round-end', round, improved });
    const repairable = candidates.some((c) => c.round === round && ['error', 'incorrect', 'timeout'].includes(c.verdict));
    // Stop early when a round brings nothing — unless nothing works yet and there are failures worth repairing.
    if (!improved && !(best === undefined && repairable)) break;
  }

  if (session.aborted) return session.report(candidates, CANCELLED);
  if (fatal && !best) return session.report(candidates, { outcome: 'failed', error: fatal });
  if (fatal) warn(fatal);
  if (!best) return session.report(candidates, { outcome: 'no-significant-improvement' });
  const bestReport = await describeBest(session, best, run, measureContext);
  const wholeProgram = await session.wholeProgram(run, best.id, bestReport.patchedFileText);
  if (session.aborted) return session.report(candidates, CANCELLED);
  return session.report(candidates, { outcome: 'improved', best: bestReport, ...(wholeProgram ? { wholeProgram } : {}) });
}

const normaliseCode = (code: string): string => code.replace(/\s+/g, ' ').trim();

/**
 * A round's candidates, up to `parallel` of them in flight at once; the gate in `ctx` keeps each one's timing alone on
 * the machine. Each result is reported as it arrives. Returns the results in input order; a candidate cut short by
 * cancellation has none.
 */
async function measureRound(
  inputs: readonly CandidateInput[],
  ctx: MeasureContext,
  parallel: number,
  emit: (event: RunEvent) => void,
  signal: AbortSignal | undefined,
): Promise<CandidateResult[]> {
  const results: (CandidateResult | undefined)[] = inputs.map(() => undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.length && !signal?.aborted) {
      const at = next++;
      const input = inputs[at] as CandidateInput;
      emit({ type: 'candidate-start', id: input.id, round: input.round });
      let result: CandidateResult;
      try {
        result = await measureCandidate(input, ctx);
      } catch (error) {
        if (signal?.aborted) return;
        result = { id: input.id, round: input.round, code: input.code, rationale: input.rationale, verdict: 'error', reason: (error as Error).message };
      }
      results[at] = result;
      emit({ type: 'candidate', candidate: result });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, inputs.length)) }, worker));
  return results.filter((r): r is CandidateResult => r !== undefined);
}

function feedbackFor(candidates: CandidateResult[], best: CandidateResult | undefined): PreviousCandidate[] {
  const chosen = [...(best ? [best] : []), ...candidates.filter((c) => c !== best).slice(-(FEEDBACK_LIMIT - 1))];
  return chosen.map((c) => ({
    id: c.id,
    round: c.round,
    code: c.code,
    verdict: c.verdict,
    ...(c.speedup ? { speedup: { ratio: c.speedup.ratio, low: c.speedup.low, high: c.speedup.high } } : {}),
    ...(c.instructions ? { instructionsRatio: c.instructions.ratio } : {}),
    ...(c.memory ? { memoryRatio: c.memory.ratio } : {}),
    ...(failureText(c) ? { failure: failureText(c) as string } : {}),
  }));
}

function failureText(c: CandidateResult): string | undefined {
  if (c.counterexample) {
    const ce = c.counterexample;
    // Each part capped on its own, so a huge input cannot push the wrong answer out of the prompt.
    const part = (text: string) => capForPrompt(text, COUNTEREXAMPLE_PART_LIMIT);
    if (ce.heldBack) {
      // A held-back input's values never reach a prompt: the candidate is fitted to what it was shown, or it is not.
      return `${c.reason ?? 'incorrect'}: wrong on one of the real inputs held back from you (its values are not shown): the ${ce.kind} differs from the original's`;
    }
    return `${c.reason ?? 'incorrect'}: on input ${part(ce.input)} the original gives ${part(ce.expected)} but this candidate gives ${part(ce.actual)}`;
  }
  return c.verdict === 'error' || c.verdict === 'timeout' ? c.reason : undefined;
}

async function describeBest(
  session: RunSession,
  best: CandidateResult,
  run: PreparedRun,
  ctx: MeasureContext,
): Promise<NonNullable<OptimizationReport['best']>> {
  const result: NonNullable<OptimizationReport['best']> = { candidateId: best.id, ...(await session.patch(run, best.code, best.id)) };
  const build = await run.runner.buildCandidate(run.target, best.code, best.id);
  if (build.ok) {
    try {
      result.lineProfile = await run.runner.profileLines(build.program, run.workload, {
        sandbox: ctx.settings.sandbox,
        timeoutMs: ctx.settings.timeoutMs,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
    } catch {
      // The profile of the best candidate is a nicety; its verdict stands without it.
    }
    if (run.baseline.complexity) {
      try {
        const points = await run.runner.measureComplexity(build.program, run.workload, {
          sandbox: ctx.settings.sandbox,
          timeoutMs: ctx.settings.timeoutMs,
          ...COMPLEXITY_LIMITS,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
        const fit = fitPowerLaw(points);
        result.complexity = fit ? { points, fit } : { points };
      } catch {
        // Same: the growth curve of the best candidate illustrates; it decides nothing.
      }
    }
  }
  return result;
}
