/**
 * Decides whether an applied patch can be reverted in a document's current text, and where. Revert is offered only while
 * the code still reads exactly as applied: anything else means the user edited it since, and guessing would destroy work.
 */
import type { AppliedPatch } from './historyTypes.js';

export type RevertPlan =
  /** Replace [start, end) (string offsets) with `text`. */
  | { kind: 'replace'; start: number; end: number; text: string }
  /** The applied code is no longer in the document. */
  | { kind: 'changed' }
  /** The applied code appears more than once and the hint does not single one out. */
  | { kind: 'ambiguous'; occurrences: number };

export interface OffsetRange {
  start: number;
  end: number;
}

function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) found.push(at);
  return found;
}

/** The patch as stored, then converted to the document's line endings (the file may have been re-saved with CRLF). */
function variants(text: string, patch: Pick<AppliedPatch, 'before' | 'after'>): Array<{ before: string; after: string }> {
  const toLf = (s: string): string => s.replace(/\r\n/g, '\n');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const convert = (s: string): string => (eol === '\n' ? toLf(s) : toLf(s).replace(/\n/g, '\r\n'));
  const converted = { before: convert(patch.before), after: convert(patch.after) };
  return converted.after === patch.after ? [patch] : [patch, converted];
}

/** `hint`: where the host located the function now; used only to choose among several identical occurrences. */
export function planRevert(text: string, patch: Pick<AppliedPatch, 'before' | 'after'>, hint?: OffsetRange): RevertPlan {
  if (patch.after.trim() === '') return { kind: 'changed' };
  for (const { before, after } of variants(text, patch)) {
    const found = occurrences(text, after);
    if (found.length === 0) continue;
    const overlapping = hint ? found.filter((at) => at < hint.end && at + after.length > hint.start) : [];
    const chosen = found.length === 1 ? found[0] : overlapping.length === 1 ? overlapping[0] : undefined;
    if (chosen === undefined) return { kind: 'ambiguous', occurrences: found.length };
    return { kind: 'replace', start: chosen, end: chosen + after.length, text: before };
  }
  return { kind: 'changed' };
}
