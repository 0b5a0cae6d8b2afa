/**
 * Which actions the selected candidate offers, and why Apply is unavailable (shown as text: a disabled button cannot
 * show a tooltip). Pure.
 *
 * Apply policy: one click applies a candidate only when it is verified equivalent AND measured faster — the claim the
 * report makes. A `no-difference` or `slower` candidate is equivalent, so it may be worth having for its memory or its
 * clarity, but taking it is a deliberate choice: Copy and Show diff stay available, Apply says why not. The host
 * refuses anything else too (isApplicableVerdict). Nothing is applied while the run is still going (a later candidate
 * may be better, and applying changes the file the run compares against), once the document changed under the run
 * (`stale`), or once a candidate from this run was applied.
 */
import { formatRatio } from '../../../optimizer/report/format.js';
import type { CandidateResult } from '../../../optimizer/types.js';
import { isApplicableVerdict, type ReportViewState } from '../../protocol.js';
import { formatClock } from './displayFormat.js';

export interface ActionState {
  enabled: boolean;
  /** Why it is disabled. */
  reason?: string;
}

export interface ApplyAction extends ActionState {
  label: 'Apply' | 'Applied';
}

export interface CandidateActions {
  apply: ApplyAction;
  copy: ActionState;
  showDiff: ActionState;
}

export function candidateActions(state: ReportViewState, candidate: CandidateResult, now: Date = new Date()): CandidateActions {
  return {
    apply: applyAction(state, candidate, now),
    copy: { enabled: true },
    showDiff: { enabled: true },
  };
}

function applyAction(state: ReportViewState, c: CandidateResult, now: Date): ApplyAction {
  const applied = state.applied;
  if (applied?.candidateId === c.id) return { enabled: false, label: 'Applied', reason: `Applied at ${formatClock(applied.at, now)}.` };
  if (!isApplicableVerdict(c.verdict)) return { enabled: false, label: 'Apply', reason: notApplicableReason(c) };
  if (applied) {
    return { enabled: false, label: 'Apply', reason: `${applied.candidateId} is already applied; run Perfloop again to compare against the new code.` };
  }
  if (state.stale) {
    return {
      enabled: false,
      label: 'Apply',
      reason: 'The file changed since this run started, so this code may no longer fit. Run Perfloop again on the current code.',
    };
  }
  if (state.status === 'running') {
    return { enabled: false, label: 'Apply', reason: 'Available when the run ends (or is cancelled): a later candidate may be faster.' };
  }
  return { enabled: true, label: 'Apply' };
}

function notApplicableReason(c: CandidateResult): string {
  switch (c.verdict) {
    case 'no-difference':
    case 'slower': {
      const memory = c.memory && c.memory.ratio < 1 ? ` (it does use ${formatRatio(c.memory.ratio)} the memory)` : '';
      const how = c.verdict === 'slower' ? 'measurably slower' : 'not measurably faster';
      return `Equivalent but ${how}: Apply is kept for verified speedups. Copy it if you want it anyway${memory}.`;
    }
    case 'incorrect':
      return 'Not applicable: it behaves differently from the original (see above).';
    case 'timeout':
      return 'Not applicable: it timed out, so it was never verified.';
    default:
      return 'Not applicable: it could not be verified.';
  }
}
