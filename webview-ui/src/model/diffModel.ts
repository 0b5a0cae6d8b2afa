/**
 * The in-panel diff of a candidate, as rows ready to render: the candidate's own file diff from the report, which is the
 * change Apply makes (optimizer/candidatePatch.ts), never a diff recomputed here from the reply's code, which could show
 * a module docstring or a helper Apply leaves out. Reports from before per-candidate diffs fall back to the best's file
 * diff; otherwise there is none and the panel offers VS Code's diff editor, which shows what Apply would write. Pure.
 */
import { parsePatch, type StructuredPatch } from 'diff';
import type { CandidateResult } from '../../../optimizer/types.js';
import type { ReportViewState } from '../../protocol.js';

export type DiffRowKind = 'context' | 'added' | 'removed' | 'gap';

export interface DiffRow {
  kind: DiffRowKind;
  /** Line number in the file before / after (absent on the other side, and on gaps). */
  oldLine?: number;
  newLine?: number;
  text: string;
}

export type DiffModel =
  | { available: true; source: 'report-diff'; rows: DiffRow[]; added: number; removed: number }
  | { available: false; reason: string };

export function candidateDiff(state: ReportViewState, candidate: CandidateResult): DiffModel {
  const fileDiff = candidate.diff ?? (state.report.best?.candidateId === candidate.id ? state.report.best.diff : undefined);
  if (fileDiff !== undefined && fileDiff.trim() !== '') {
    const parsed = diffFromUnifiedPatch(fileDiff);
    if (parsed.available) return parsed;
  }
  return { available: false, reason: 'This report has no diff of the file for this candidate; “Show diff” opens what Apply would write.' };
}

export function diffFromUnifiedPatch(text: string): DiffModel {
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(text);
  } catch (error) {
    return { available: false, reason: `The report's diff could not be read (${error instanceof Error ? error.message : String(error)}).` };
  }
  const patch = patches.find((p) => p.hunks.length > 0);
  if (!patch) return { available: false, reason: 'The report’s diff is empty.' };
  return { ...rowsFromPatch(patch), source: 'report-diff' };
}

function rowsFromPatch(patch: StructuredPatch): { available: true; rows: DiffRow[]; added: number; removed: number } {
  const rows: DiffRow[] = [];
  let added = 0;
  let removed = 0;
  let previousOldEnd: number | undefined;
  for (const hunk of patch.hunks) {
    // An empty side's start is the line before it (unified-diff convention); keep numbering from the next line.
    let oldLine = hunk.oldStart + (hunk.oldLines === 0 ? 1 : 0);
    let newLine = hunk.newStart + (hunk.newLines === 0 ? 1 : 0);
    if (previousOldEnd !== undefined ? oldLine > previousOldEnd : oldLine > 1) {
      const hidden = previousOldEnd !== undefined ? oldLine - previousOldEnd : oldLine - 1;
      rows.push({ kind: 'gap', text: `${hidden} unchanged ${hidden === 1 ? 'line' : 'lines'}` });
    }
    for (const line of hunk.lines) {
      const marker = line[0];
      const text = line.slice(1).replace(/\r$/, ''); // a CRLF file's lines keep their CR in the patch
      if (marker === '+') {
        rows.push({ kind: 'added', newLine: newLine++, text });
        added++;
      } else if (marker === '-') {
        rows.push({ kind: 'removed', oldLine: oldLine++, text });
        removed++;
      } else if (marker === ' ') {
        rows.push({ kind: 'context', oldLine: oldLine++, newLine: newLine++, text });
      }
      // "\ No newline at end of file" carries no content of its own.
    }
    previousOldEnd = oldLine;
  }
  return { available: true, rows, added, removed };
}
