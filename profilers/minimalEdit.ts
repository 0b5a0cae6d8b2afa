/**
 * The smallest single replacement that turns one text into another (common prefix and suffix kept), so Apply edits only
 * what changed: cursors, folding and breakpoints elsewhere in the file stay put, and the edit is one undo step.
 */
export interface TextReplacement {
  /** Offsets into the old text, [start, end). */
  start: number;
  end: number;
  /** What replaces old[start, end). */
  text: string;
  /** The replaced text itself, for reverting. */
  replaced: string;
}

export function minimalReplacement(oldText: string, newText: string): TextReplacement | undefined {
  if (oldText === newText) return undefined;
  let prefix = 0;
  const shorter = Math.min(oldText.length, newText.length);
  while (prefix < shorter && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)
  ) {
    suffix++;
  }
  // Keep whole lines: a replacement that starts and ends at line boundaries reads better in undo history and diffs.
  const lineStart = oldText.lastIndexOf('\n', prefix - 1) + 1;
  const start = Math.min(lineStart, prefix);
  const oldEnd = oldText.length - suffix;
  const newEnd = newText.length - suffix;
  const afterNewline = oldText.indexOf('\n', oldEnd);
  const extend = afterNewline === -1 ? oldText.length - oldEnd : afterNewline + 1 - oldEnd;
  const canExtend = newText.slice(newEnd, newEnd + extend) === oldText.slice(oldEnd, oldEnd + extend);
  const end = canExtend ? oldEnd + extend : oldEnd;
  const newStop = canExtend ? newEnd + extend : newEnd;
  return { start, end, text: newText.slice(start, newStop), replaced: oldText.slice(start, end) };
}
