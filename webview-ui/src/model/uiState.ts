/**
 * The panel's own choices (selected candidate, collapsed sections, diff or code view), kept with vscode.setState so
 * the panel comes back as the user left it. Pure.
 */
import { parsePersistedWebviewState, type PersistedWebviewState, type ReportViewState } from '../../protocol.js';
import type { ListRow } from './candidateRows.js';

export type UiState = PersistedWebviewState['ui'];

export const INITIAL_UI: UiState = { collapsedSections: [], codeView: 'diff' };

/** What getState() held, or a fresh start when it is missing or from another version. */
export function restorePersisted(data: unknown): { ui: UiState; snapshot?: ReportViewState } {
  const parsed = parsePersistedWebviewState(data);
  if (!parsed) return { ui: { ...INITIAL_UI } };
  return parsed.snapshot ? { ui: parsed.ui, snapshot: parsed.snapshot } : { ui: parsed.ui };
}

export function toPersisted(ui: UiState, snapshot: ReportViewState | undefined): PersistedWebviewState {
  return snapshot ? { version: 1, runId: snapshot.runId, ui, snapshot } : { version: 1, ui };
}

/**
 * The candidate the detail pane shows: the user's choice while it exists, else the best, else the top-ranked result.
 * An explicit choice is kept even while later candidates overtake it; with no choice the pane follows the top.
 */
export function effectiveSelection(ui: UiState, rows: readonly ListRow[], bestId: string | undefined): string | undefined {
  const results = rows.filter((r) => r.kind === 'result');
  if (ui.selectedCandidateId && results.some((r) => r.id === ui.selectedCandidateId)) return ui.selectedCandidateId;
  if (bestId && results.some((r) => r.id === bestId)) return bestId;
  return results[0]?.id;
}

export function withSelection(ui: UiState, candidateId: string): UiState {
  return { ...ui, selectedCandidateId: candidateId };
}

export function withSectionCollapsed(ui: UiState, sectionId: string, collapsed: boolean): UiState {
  const others = ui.collapsedSections.filter((id) => id !== sectionId);
  return { ...ui, collapsedSections: collapsed ? [...others, sectionId] : others };
}

/** The row keyboard navigation lands on: arrows step through results (the pending row is not selectable). */
export function neighbourRow(rows: readonly ListRow[], currentId: string | undefined, key: string): string | undefined {
  const ids = rows.filter((r) => r.kind === 'result').map((r) => r.id);
  if (ids.length === 0) return undefined;
  const index = currentId ? ids.indexOf(currentId) : -1;
  switch (key) {
    case 'ArrowDown':
      return ids[Math.min(ids.length - 1, index + 1)];
    case 'ArrowUp':
      return ids[Math.max(0, index - 1)];
    case 'Home':
      return ids[0];
    case 'End':
      return ids[ids.length - 1];
    default:
      return undefined;
  }
}
