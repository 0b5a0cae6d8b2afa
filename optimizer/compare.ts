/**
 * `perfloop compare`: no LLM. A hand-written candidate goes through exactly the checks and measurements an LLM candidate
 * would, against the same baseline.
 */
import { basename } from 'node:path';
import { RunnerError } from '../profilers/runner.js';
import { measureCandidate } from './measureCandidate.js';
import { RunFailure, type PrepareDependencies, type PreparedRun } from './prepareRun.js';
import { RunSession, type RunControl } from './runSession.js';
import type { CandidateResult, OptimizationReport, OptimizeRequest } from './types.js';

export interface CompareRequest extends OptimizeRequest {
  candidatePath: string;
  candidateText: string;
  /** Defaults to the original's name. */
  candidateFunction?: string;
}

export async function compareCandidate(
  request: CompareRequest,
  deps: Omit<PrepareDependencies, 'provider'> = {},
  control: RunControl = {},
): Promise<OptimizationReport> {
  const session = new RunSession(request, control);
  let run: PreparedRun;
  let result: CandidateResult;
  try {
    run = await session.prepare(deps);
    const code = await candidateCode(run, request);
    session.emit({ type: 'candidate-start', id: 'candidate', round: 0 });
    result = await measureCandidate(
      { id: 'candidate', round: 0, code, rationale: `hand-written (${basename(request.candidatePath)})` },
      session.measureContext(run),
    );
    session.emit({ type: 'candidate', candidate: result });
  } catch (caught) {
    if (session.aborted) return session.report([], { outcome: 'cancelled', error: 'The run was cancelled.' });
    if (caught instanceof RunFailure) return session.report([], { outcome: 'failed', error: caught.message });
    throw caught;
  }

  const faster = result.verdict === 'faster';
  const best = faster ? { candidateId: result.id, ...(await session.patch(run, result.code, 'candidate')) } : undefined;
  // compare times the whole program whatever the micro verdict, so a user sees the effect of a "no-difference" too.
  const measured = faster || result.verdict === 'no-difference' || result.verdict === 'slower';
  const wholeProgram = measured
    ? await session.wholeProgram(run, 'the candidate', best?.patchedFileText ?? (await session.patch(run, result.code, 'candidate')).patchedFileText)
    : undefined;
  if (session.aborted) return session.report([result], { outcome: 'cancelled', error: 'The run was cancelled.' });
  return session.report([result], {
    outcome: faster ? 'improved' : 'no-significant-improvement',
    ...(best ? { best } : {}),
    ...(wholeProgram ? { wholeProgram } : {}),
  });
}

/** The candidate function with what it needs from its own file, renamed to the original's name when it differs. */
async function candidateCode(run: PreparedRun, request: CompareRequest): Promise<string> {
  const wanted = request.candidateFunction ?? run.target.functionName;
  let extracted;
  try {
    extracted = await run.runner.extractTarget(request.candidateText, request.candidatePath, { functionName: wanted });
  } catch (error) {
    if (error instanceof RunnerError) throw new RunnerError(`In the candidate file: ${error.message}`);
    throw error;
  }
  if (run.target.method || extracted.method) {
    // A method comes with its class: the candidate's class, whose other members the runner checks are unchanged.
    if (!extracted.method || !run.target.method || extracted.functionName !== run.target.functionName) {
      throw new RunnerError(
        `In the candidate file: \`${run.target.functionName}\` ${run.target.method ? 'is a method, so the candidate file must define the same method in a class of the same name' : 'is a function, but the candidate is a method'} (found \`${extracted.functionName}\`).`,
      );
    }
    return `${extracted.method.programContext}\n`;
  }
  let fn = extracted.functionSource;
  if (wanted !== run.target.functionName) {
    // Recursive calls must follow the rename, so rename every whole-word use inside the function.
    fn = fn.replace(new RegExp(`\\b${wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g'), run.target.functionName);
  }
  return extracted.contextSource.trim() ? `${extracted.contextSource}\n\n\n${fn}\n` : `${fn}\n`;
}
