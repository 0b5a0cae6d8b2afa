/**
 * The harness's answer (or its death) as the LanguageRunner contract's result: the mode's data, a RunnerError the user
 * can act on, or an Error for Perfloop's own faults. Shared by the language runners, whose harnesses answer alike.
 */
import type { z } from 'zod';
import { verifyData, type HarnessProgress } from './harnessProtocol.js';
import { stderrTail } from './harnessRun.js';
import { isHeldBack, type HeldBack } from './judge/outcomes.js';
import type { EquivalenceResult } from './runner.js';
import { RunnerError } from './runner.js';
import type { SandboxResult } from './sandbox/types.js';

/** What a language runner's harness run must say for its answer to be mapped here. */
export interface HarnessOutcome {
  result?:
    | { ok: true; data: unknown }
    | { ok: false; error: { kind: 'program' | 'workload' | 'internal'; side?: string | undefined; message: string; detail?: string | undefined } };
  progress?: HarnessProgress;
  sandbox: SandboxResult;
  /** result.json was there but without the job's nonce: program code wrote it (and then ended the process). */
  forged?: boolean;
}

/** How one runner's harness is named and its abnormal ends described. */
export interface HarnessVoice {
  /** "Python", "JavaScript": as in "the Python harness". */
  harnessName: string;
  describeAbnormalEnd(run: SandboxResult): string;
}

export const FORGED_RESULT =
  'the code under test wrote a result file of its own and ended the process (rejected: it lacks the harness nonce)';

/** The mode's data, or the error that explains why there is none. */
export function harnessData<T extends z.ZodType>(
  run: HarnessOutcome,
  schema: T,
  what: string,
  timeoutMs: number,
  voice: HarnessVoice,
): z.infer<T> {
  const result = run.result;
  if (run.forged) throw new Error(`${what} failed: ${FORGED_RESULT}.`);
  if (!result) {
    if (run.sandbox.timedOut) {
      throw new RunnerError(`${what} took longer than the ${Math.round(timeoutMs / 1000)} s limit; use smaller inputs or raise the timeout.`);
    }
    throw new Error(`${what} failed: ${voice.describeAbnormalEnd(run.sandbox)}.\n${stderrTail(run.sandbox)}`);
  }
  if (!result.ok) {
    const { kind, side, message, detail } = result.error;
    if (kind === 'workload') throw new RunnerError(`The workload is unusable: ${message}`, detail);
    if (kind === 'program' && side === 'original') throw new RunnerError(`The original cannot run: ${message}`, detail);
    if (kind === 'program') throw new Error(`${what} failed: the code cannot run: ${message}${detail ? `\n${detail}` : ''}`);
    throw new Error(`Internal error in the ${voice.harnessName} harness during ${what.toLowerCase()}: ${message}\n${detail ?? ''}`);
  }
  const parsed = schema.safeParse(result.data);
  if (!parsed.success) {
    throw new Error(`The ${voice.harnessName} harness answered ${what.toLowerCase()} with unexpected data: ${parsed.error.message.slice(0, 400)}`);
  }
  return parsed.data;
}

/** A workload run that took the process down: the generator or the original must be fixed by whoever wrote them. */
export function throwIfWorkloadCrashed(run: HarnessOutcome, voice: HarnessVoice): void {
  if (!run.result && !run.sandbox.timedOut) {
    const where = run.progress ? ` while the original ran on ${run.progress.set} input ${run.progress.index} ${run.progress.input}` : '';
    throw new RunnerError(`Running the workload failed: ${voice.describeAbnormalEnd(run.sandbox)}${where}.`, stderrTail(run.sandbox));
  }
}

/** A verify run as an equivalence verdict: the candidate's failures are verdicts, the original's are errors. */
export function equivalenceResult(run: HarnessOutcome, timeoutMs: number, voice: HarnessVoice): EquivalenceResult {
  return equivalenceFailure(run, timeoutMs, voice) ?? harnessData(run, verifyData, 'Checking equivalence', timeoutMs, voice);
}

/**
 * Why a run that checks a candidate gave no answer, as a verdict (timeout, or error naming the input it was on), or
 * undefined when it answered (its data is then read with harnessData).
 */
export function equivalenceFailure(run: HarnessOutcome, timeoutMs: number, voice: HarnessVoice, heldBack?: HeldBack): EquivalenceResult | undefined {
  // On an input held back from the prompts, neither its values nor what the process printed while on it are told.
  const hidden = run.progress !== undefined && isHeldBack(heldBack, run.progress.set, run.progress.index);
  const where = !run.progress ? '' : hidden ? ` on held-back ${run.progress.set} input ${run.progress.index}` : ` on ${run.progress.set} input ${run.progress.index} ${run.progress.input}`;
  const culprit = run.progress?.side === 'original' ? 'the original' : 'the candidate';
  if (run.forged) return { status: 'error', reason: `${culprit}: ${FORGED_RESULT}` };
  if (!run.result) {
    if (run.sandbox.timedOut) {
      return { status: 'timeout', reason: `the check ran past the ${Math.round(timeoutMs / 1000)} s limit${run.progress ? ` (${culprit} was running${where})` : ''}` };
    }
    return {
      status: 'error',
      reason: `${voice.describeAbnormalEnd(run.sandbox)}${run.progress ? ` while ${culprit} ran${where}` : ''}`,
      ...(hidden ? {} : { detail: stderrTail(run.sandbox) }),
    };
  }
  if (!run.result.ok && run.result.error.kind === 'program' && run.result.error.side === 'candidate') {
    const { message, detail } = run.result.error;
    return { status: 'error', reason: `the candidate cannot run: ${message}`, ...(detail ? { detail } : {}) };
  }
  return undefined;
}

/** How a worker process that stopped answering ended, in words ("was killed by SIGSEGV (…)"). */
export function describeEnd(voice: HarnessVoice, run: HarnessOutcome, timeoutMs: number): string {
  if (run.forged) return FORGED_RESULT;
  const result = run.result;
  if (!result) {
    if (run.sandbox.timedOut) return `ran past the ${Math.round(timeoutMs / 1000)} s limit`;
    const tail = stderrTail(run.sandbox, 600);
    return `ended: ${voice.describeAbnormalEnd(run.sandbox)}${tail ? `\n${tail}` : ''}`;
  }
  if (!result.ok) return `could not run: ${result.error.message}${result.error.detail ? `\n${result.error.detail}` : ''}`;
  return 'ended before the timing was done';
}
