/**
 * The ranked candidate list: one row per measured candidate, plus a pending row for the one being measured. The final
 * report arrives ranked; while running the panel ranks with the engine's own rankCandidates, so the order never jumps
 * when the run ends.
 */
import { rankCandidates } from '../../../optimizer/ranking.js';
import { formatMemoryRatio, formatRatio, truncate } from '../../../optimizer/report/format.js';
import type { CandidateResult } from '../../../optimizer/types.js';
import type { Verdict } from '../../../profilers/stats/types.js';
import type { ReportViewState } from '../../protocol.js';
import { DASH, formatInterval, formatOptionalRatio } from './displayFormat.js';
import { VERDICT_STYLES, type Tone } from './verdicts.js';

export interface CandidateRow {
  kind: 'result';
  id: string;
  /** 1-based position in the ranking. */
  rank: number;
  round: number;
  repairOf?: string;
  verdict: Verdict;
  verdictLabel: string;
  verdictDescription: string;
  tone: Tone;
  /** "2.41×", or "—" when not timed. */
  speedupText: string;
  /** "2.30–2.52", or "" when not timed. */
  intervalText: string;
  instructionsText: string;
  memoryText: string;
  /** The one-liner shown in the row: the counterexample, the reason, or the rationale. */
  note: string;
  noteKind: 'rationale' | 'reason' | 'counterexample';
  isBest: boolean;
  isApplied: boolean;
  /** The whole row as one sentence, for screen readers. */
  ariaLabel: string;
}

export interface PendingRow {
  kind: 'pending';
  id: string;
  ariaLabel: string;
}

export type ListRow = CandidateRow | PendingRow;

export function rankedCandidates(state: ReportViewState): CandidateResult[] {
  return rankCandidates(state.report.candidates);
}

/** The run's noise threshold: from the settings once known, else from any measured speedup. */
export function noiseThresholdOf(state: ReportViewState): number {
  return state.report.settings?.noiseThreshold ?? state.report.candidates.find((c) => c.speedup)?.speedup?.noiseThreshold ?? 0.05;
}

export function buildCandidateRows(state: ReportViewState): ListRow[] {
  const bestId = state.report.best?.candidateId;
  const rows: ListRow[] = rankedCandidates(state).map((c, index) => toRow(c, index + 1, bestId, state.applied?.candidateId));
  if (state.status === 'running') {
    for (const pending of state.pendingCandidateIds ?? []) {
      if (!rows.some((r) => r.id === pending)) rows.push({ kind: 'pending', id: pending, ariaLabel: `${pending}: being checked and measured` });
    }
  }
  return rows;
}

function toRow(c: CandidateResult, rank: number, bestId: string | undefined, appliedId: string | undefined): CandidateRow {
  const style = VERDICT_STYLES[c.verdict];
  const s = c.speedup;
  const { note, noteKind } = candidateNote(c);
  const row: CandidateRow = {
    kind: 'result',
    id: c.id,
    rank,
    round: c.round,
    verdict: c.verdict,
    verdictLabel: style.label,
    verdictDescription: style.description,
    tone: style.tone,
    speedupText: s ? formatRatio(s.ratio) : DASH,
    intervalText: s ? formatInterval(s) : '',
    instructionsText: formatOptionalRatio(c.instructions?.ratio),
    memoryText: c.memory || c.memoryBelowBytes ? formatMemoryRatio(c) : formatOptionalRatio(undefined),
    note,
    noteKind,
    isBest: c.id === bestId,
    isApplied: c.id === appliedId,
    ariaLabel: '',
  };
  if (c.repairOf) row.repairOf = c.repairOf;
  row.ariaLabel = rowAriaLabel(row);
  return row;
}

export function candidateNote(c: CandidateResult): { note: string; noteKind: CandidateRow['noteKind'] } {
  if (c.counterexample) {
    const x = c.counterexample;
    return { note: truncate(`on ${x.input}: expected ${x.expected}, got ${x.actual}`, 160), noteKind: 'counterexample' };
  }
  if (c.reason) return { note: truncate(c.reason, 160), noteKind: 'reason' };
  return { note: truncate(c.rationale, 160), noteKind: 'rationale' };
}

function rowAriaLabel(row: CandidateRow): string {
  const parts = [`${row.id}`, row.verdictLabel];
  if (row.isBest) parts.push('best');
  if (row.isApplied) parts.push('applied');
  if (row.intervalText) parts.push(`speedup ${row.speedupText}, 95% interval ${row.intervalText}`);
  if (row.instructionsText !== DASH) parts.push(`instructions ${row.instructionsText} of the original`);
  if (row.memoryText !== DASH) parts.push(`peak memory ${row.memoryText} of the original`);
  parts.push(row.note);
  return parts.join(', ');
}
