/**
 * How a history entry reads, in one place so the tree, its tooltip and the Markdown export say the same thing.
 * Pure (no `vscode`): icons are named by codicon and theme-colour id, the tree turns them into ThemeIcons.
 */
import { formatInterval, formatRatio } from '../../optimizer/report/format.js';
import type { Outcome } from '../../optimizer/types.js';
import type { HistoryEntry } from './historyTypes.js';

export type AppliedState = 'applied' | 'reverted' | 'not-applied';

export function appliedState(entry: HistoryEntry): AppliedState {
  if (!entry.applied) return 'not-applied';
  return entry.applied.revertedAt ? 'reverted' : 'applied';
}

/** "2.41× [2.30–2.52]": the same shape as the CLI table and the Markdown report. */
export function speedupWithInterval(best: NonNullable<HistoryEntry['best']>): string {
  return `${formatRatio(best.ratio)} [${formatInterval(best)}]`;
}

/** Short outcome for the tree row: "2.41× faster", "no gain found", "failed", "cancelled". */
export function outcomeSummary(entry: Pick<HistoryEntry, 'outcome' | 'best'>): string {
  switch (entry.outcome) {
    case 'improved':
      return entry.best ? `${formatRatio(entry.best.ratio)} faster` : 'faster';
    case 'no-significant-improvement':
      return 'no gain found';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
  }
}

/** Outcome in words, for the tooltip and the export. */
export function outcomeName(outcome: Outcome): string {
  return outcome === 'no-significant-improvement' ? 'no significant improvement' : outcome;
}

/** The tree row's description: "2.41× faster · applied". */
export function entryDescription(entry: HistoryEntry): string {
  const state = appliedState(entry);
  return state === 'not-applied' ? outcomeSummary(entry) : `${outcomeSummary(entry)} · ${state}`;
}

export interface IconSpec {
  codicon: string;
  color?: string;
}

export function outcomeIcon(outcome: Outcome): IconSpec {
  switch (outcome) {
    case 'improved':
      return { codicon: 'zap', color: 'charts.green' };
    case 'no-significant-improvement':
      return { codicon: 'circle-slash' };
    case 'failed':
      return { codicon: 'error', color: 'problemsErrorIcon.foreground' };
    case 'cancelled':
      return { codicon: 'stop-circle' };
  }
}

/**
 * The tree item's `contextValue`: space-separated words that package.json menus match with `viewItem =~ /\bword\b/`.
 * `revertible` means applied and not reverted yet; whether the code still reads as applied is checked when Revert runs.
 */
export function entryContextValue(entry: HistoryEntry): string {
  const words = ['perfloopRun', entry.outcome];
  const state = appliedState(entry);
  if (state === 'applied') words.push('applied', 'revertible');
  if (state === 'reverted') words.push('reverted');
  return words.join(' ');
}

/** Local time as "2026-11-21 15:42": sortable, unambiguous, and independent of the machine's locale settings. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
