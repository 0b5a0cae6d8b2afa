/**
 * The history's size policy. Reports are big mostly because of code: the whole patched file, and the code of every
 * candidate. Those matter while a run is fresh (Apply, comparing candidates) and hardly at all months later, whereas the
 * measurements are what make an old run worth reopening. So, with the entries newest first:
 *
 * 1. keep at most `maxEntries` (the oldest beyond that go);
 * 2. while the file would exceed `maxBytes`, compact entries from the oldest up: drop the patched file text, the code of
 *    every candidate but the best (and its diff), and the LLM's workload generator (see `HistoryEntry.compacted`);
 * 3. if compacting everything is not enough, drop the oldest entries.
 *
 * The newest entry is never compacted or dropped by the size cap — it is the run the user is most likely looking at —
 * so one huge report may exceed `maxBytes` on its own until the next run arrives.
 */
import { toHistoryJson } from './historyJson.js';
import type { HistoryEntry } from './historyTypes.js';
import type { CandidateResult } from '../../optimizer/types.js';

export interface HistoryLimits {
  maxEntries: number;
  maxBytes: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxEntries: 200, maxBytes: 10 * 1024 * 1024 };

export interface CapResult {
  entries: HistoryEntry[];
  compacted: number;
  dropped: number;
}

/** Bytes of an entry in the file (UTF-8, compact JSON), plus its separating comma. */
export function entryBytes(entry: HistoryEntry): number {
  return Buffer.byteLength(toHistoryJson(entry), 'utf8') + 1;
}

/** The `{"version":1,"entries":[]}` around the entries. */
const ENVELOPE_BYTES = Buffer.byteLength(JSON.stringify({ version: 1, entries: [] }), 'utf8');

/** A copy of `entry` without its bulky code; see the module comment for what stays. */
export function compactEntry(entry: HistoryEntry): HistoryEntry {
  if (entry.compacted) return entry;
  const report = entry.report;
  const bestId = report.best?.candidateId;
  const compactReport = {
    ...report,
    candidates: report.candidates.map((c) => (c.id === bestId ? c : withoutCode(c))),
    ...(report.best ? { best: { ...report.best, patchedFileText: '' } } : {}),
  };
  if (report.workload?.generatorSource !== undefined) {
    const { generatorSource: _dropped, ...workload } = report.workload;
    compactReport.workload = workload;
  }
  return { ...entry, compacted: true, report: compactReport };
}

/** A candidate without its code and file diff (the best keeps both: its diff is the report's). */
function withoutCode(candidate: CandidateResult): CandidateResult {
  const { diff: _diff, ...rest } = candidate;
  return { ...rest, code: '' };
}

export function capHistory(newestFirst: readonly HistoryEntry[], limits: HistoryLimits): CapResult {
  const maxEntries = Math.max(1, Math.floor(limits.maxEntries));
  const entries = newestFirst.slice(0, maxEntries);
  let dropped = newestFirst.length - entries.length;
  let compacted = 0;

  const sizes = entries.map(entryBytes);
  let total = ENVELOPE_BYTES + sizes.reduce((a, b) => a + b, 0);
  for (let i = entries.length - 1; i >= 1 && total > limits.maxBytes; i--) {
    const entry = entries[i] as HistoryEntry;
    if (entry.compacted) continue;
    const smaller = compactEntry(entry);
    const size = entryBytes(smaller);
    total += size - (sizes[i] as number);
    entries[i] = smaller;
    sizes[i] = size;
    compacted++;
  }
  while (entries.length > 1 && total > limits.maxBytes) {
    entries.pop();
    total -= sizes.pop() as number;
    dropped++;
  }
  return { entries, compacted, dropped };
}
