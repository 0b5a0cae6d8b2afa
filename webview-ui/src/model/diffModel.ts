/**
 * The in-panel diff of a candidate against the original function, as rows ready to render. Computed with `diff` from
 * the function's text in the report (`target.source`); for older reports without it, the best candidate's file diff
 * is parsed; otherwise there is none and the panel offers VS Code's diff editor. Pure.
 */
import { parsePatch, structuredPatch, type StructuredPatch } from 'diff';
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
  | { available: true; source: 'original-source' | 'report-diff'; rows: DiffRow[]; added: number; removed: number }
  | { available: false; reason: string };

/** Functions are short: whole-function context reads best, until it would bury the change. */
const FULL_CONTEXT_MAX_LINES = 200;
const CONTEXT_LINES = 3;

export function candidateDiff(state: ReportViewState, candidate: CandidateResult): DiffModel {
  const target = state.report.target;
  if (target?.source !== undefined) return diffAgainstOriginal(target.source, candidate.code, target.range.start);
  if (state.report.best?.candidateId === candidate.id && state.report.best.diff.trim() !== '') {
    const parsed = diffFromUnifiedPatch(state.report.best.diff);
    if (parsed.available) return parsed;
  }
  return { available: false, reason: 'The original function text is not in this report; “Show diff” opens VS Code’s diff editor.' };
}

export function diffAgainstOriginal(original: string, candidate: string, firstLine = 1): DiffModel {
  const withNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);
  const longest = Math.max(original.split('\n').length, candidate.split('\n').length);
  const patch = structuredPatch('original', 'candidate', withNewline(original), withNewline(candidate), undefined, undefined, {
    context: longest <= FULL_CONTEXT_MAX_LINES ? FULL_CONTEXT_MAX_LINES : CONTEXT_LINES,
  });
  return { ...rowsFromPatch(patch, firstLine - 1), source: 'original-source' };
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
  return { ...rowsFromPatch(patch, 0), source: 'report-diff' };
}

/** `offset` shifts hunk line numbers (function-relative diffs are shown with file line numbers). */
function rowsFromPatch(patch: StructuredPatch, offset: number): { available: true; rows: DiffRow[]; added: number; removed: number } {
  const rows: DiffRow[] = [];
  let added = 0;
  let removed = 0;
  let previousOldEnd: number | undefined;
  for (const hunk of patch.hunks) {
    // An empty side's start is the line before it (unified-diff convention); keep numbering from the next line.
    let oldLine = hunk.oldStart + (hunk.oldLines === 0 ? 1 : 0) + offset;
    let newLine = hunk.newStart + (hunk.newLines === 0 ? 1 : 0) + offset;
    if (previousOldEnd !== undefined ? oldLine > previousOldEnd : oldLine > 1 + offset) {
      const hidden = previousOldEnd !== undefined ? oldLine - previousOldEnd : oldLine - 1 - offset;
      rows.push({ kind: 'gap', text: `${hidden} unchanged ${hidden === 1 ? 'line' : 'lines'}` });
    }
    for (const line of hunk.lines) {
      const marker = line[0];
      const text = line.slice(1);
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
