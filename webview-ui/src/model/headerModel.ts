/** The panel's header: what ran, where, its status, and the one-sentence outcome. Pure. */
import { bestCandidate, formatRatio } from '../../../optimizer/report/format.js';
import type { WorkloadReport } from '../../../optimizer/types.js';
import type { ReportViewState, RunStatus } from '../../protocol.js';
import { baseName, formatClock, formatInterval, formatThreshold, plural } from './displayFormat.js';
import { noiseThresholdOf, rankedCandidates } from './candidateRows.js';
import type { Tone } from './verdicts.js';

export interface HeaderModel {
  title: string;
  location?: { text: string; path: string; line: number };
  status: RunStatus;
  statusLabel: string;
  /** The live progress line, while running. */
  stage?: string;
  /** "3 candidates measured", while running. */
  progress?: string;
  outcome?: { text: string; tone: Tone };
  applied?: string;
  canCancel: boolean;
  canShowLog: boolean;
  canDiscard: boolean;
}

const STATUS_LABELS: Record<RunStatus, string> = { running: 'Running', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' };

export function buildHeader(state: ReportViewState, now: Date = new Date()): HeaderModel {
  const { report } = state;
  const target = report.target;
  const header: HeaderModel = {
    title: target?.functionName ?? 'Perfloop',
    status: state.status,
    statusLabel: STATUS_LABELS[state.status],
    canCancel: state.status === 'running',
    canShowLog: state.status === 'failed',
    canDiscard: state.status !== 'running',
  };
  if (target) header.location = { text: `${baseName(target.file)}:${target.range.start}`, path: target.file, line: target.range.start };
  if (state.status === 'running') {
    header.stage = state.stage;
    const measured = report.candidates.length;
    if (measured > 0) header.progress = `${plural(measured, 'candidate')} checked`;
  } else {
    header.outcome = outcomeSentence(state);
  }
  if (state.applied) header.applied = `Applied ${state.applied.candidateId} at ${formatClock(state.applied.at, now)}`;
  return header;
}

/**
 * How many inputs every equivalent candidate was checked on. The harness checks the correctness inputs, then the
 * performance inputs unless they are the same list; the report only keeps the counts, and equal counts usually mean
 * one list serving both, so those are counted once (understating rather than overstating).
 */
export function inputsChecked(workload: WorkloadReport | undefined): number | undefined {
  if (!workload) return undefined;
  const { correctnessInputs: c, performanceInputs: p } = workload;
  return c === p ? c : c + p;
}

export function outcomeSentence(state: ReportViewState): { text: string; tone: Tone } {
  const { report } = state;
  const threshold = formatThreshold(noiseThresholdOf(state));
  const outcome = report.outcome ?? fallbackOutcome(state);
  switch (outcome) {
    case 'improved': {
      const best = bestCandidate(report);
      const s = best?.speedup;
      if (!best || !s) return { text: `Best candidate: ${report.best?.candidateId ?? 'unknown'}.`, tone: 'good' };
      // Exact when the engine recorded it; reports from before that field fall back to the workload's counts.
      const n = best.inputsChecked ?? inputsChecked(report.workload);
      const inputs = n === undefined ? 'equivalent on every input' : `equivalent on all ${plural(n, 'input')}`;
      return { text: `${best.id} is ${formatRatio(s.ratio)} faster (95% CI ${formatInterval(s)}), ${inputs}.`, tone: 'good' };
    }
    case 'no-significant-improvement': {
      const closest = rankedCandidates(state).find((c) => c.speedup && (c.verdict === 'no-difference' || c.verdict === 'slower'));
      const tail = closest?.speedup
        ? ` Closest: ${closest.id} at ${formatRatio(closest.speedup.ratio)} (95% CI ${formatInterval(closest.speedup)}).`
        : '';
      return {
        text: `No significant improvement: no candidate was both equivalent and faster beyond the ${threshold} noise threshold.${tail}`,
        tone: 'neutral',
      };
    }
    case 'cancelled':
      return {
        text: `Cancelled${report.error && report.error !== 'cancelled' ? `: ${report.error}` : ''}. ${plural(report.candidates.length, 'candidate')} checked before that.`,
        tone: 'neutral',
      };
    case 'failed':
      return { text: `Failed: ${report.error ?? 'unknown error (see the log)'}`, tone: 'bad' };
  }
}

/** The snapshot's status speaks when the report has no outcome yet (a failure before the report was assembled). */
function fallbackOutcome(state: ReportViewState): NonNullable<ReportViewState['report']['outcome']> {
  if (state.status === 'failed') return 'failed';
  if (state.status === 'cancelled') return 'cancelled';
  return state.report.best ? 'improved' : 'no-significant-improvement';
}
