/**
 * The history file's format and its validation at the border. Entry fields are checked strictly (the panel, revert and
 * export rely on them); the embedded report only loosely — the fields the report panel needs to open at all — because it
 * is large, written by our own engine, and its shape grows with the engine.
 *
 * Objects are loose (unknown keys kept, not stripped): a field added by a later compatible version survives a round trip
 * through an older one. Incompatible changes bump `version`.
 */
import { z } from 'zod';
import type { OptimizationReport } from '../../optimizer/types.js';
import type { HistoryEntry } from './historyTypes.js';

export const HISTORY_FILE_VERSION = 1;

export interface HistoryFile {
  version: typeof HISTORY_FILE_VERSION;
  /** Newest first. */
  entries: HistoryEntry[];
}

const isoTime = z.iso.datetime({ offset: true });
/** Positive; Infinity allowed (historyJson.ts keeps it), NaN not. */
const speedRatio = z.custom<number>((value) => typeof value === 'number' && value > 0, 'expected a positive number');
const outcome = z.enum(['improved', 'no-significant-improvement', 'failed', 'cancelled']);

const reportSchema = z
  .looseObject({
    version: z.literal(1),
    target: z.looseObject({ file: z.string(), functionName: z.string(), language: z.string() }),
    startedAt: z.string(),
    outcome,
    candidates: z.array(z.looseObject({ id: z.string(), code: z.string(), verdict: z.string() })),
    best: z.looseObject({ candidateId: z.string(), diff: z.string(), patchedFileText: z.string() }).optional(),
    warnings: z.array(z.string()),
  })
  // Trusted beyond the fields checked above: see the module comment.
  .transform((report) => report as unknown as OptimizationReport);

export const historyEntrySchema = z.looseObject({
  id: z.string().min(1),
  createdAt: isoTime,
  file: z.string().min(1),
  functionName: z.string().min(1),
  languageId: z.string(),
  line: z.number().int().min(1),
  outcome,
  best: z
    .looseObject({ candidateId: z.string(), ratio: speedRatio, low: speedRatio, high: speedRatio })
    .optional(),
  applied: z
    .looseObject({ candidateId: z.string(), appliedAt: isoTime, before: z.string(), after: z.string(), revertedAt: isoTime.optional() })
    .optional(),
  compacted: z.boolean().optional(),
  report: reportSchema,
});

// Compile-time guard: the schema's output must stay assignable to the contract in historyTypes.ts.
const _schemaMatchesContract = (parsed: z.output<typeof historyEntrySchema>): HistoryEntry => parsed;
void _schemaMatchesContract;

export type ParsedHistoryFile =
  | { kind: 'ok'; entries: HistoryEntry[]; dropped: DroppedEntry[] }
  | { kind: 'newer'; version: number }
  | { kind: 'invalid'; reason: string };

export interface DroppedEntry {
  index: number;
  id?: string;
  reason: string;
}

const envelopeSchema = z.looseObject({ version: z.number(), entries: z.array(z.unknown()) });

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

/**
 * Validates parsed JSON. One bad entry does not cost the others: it is reported in `dropped` and left out. Duplicate ids
 * keep their first occurrence (the file is written newest first).
 */
export function parseHistoryFile(data: unknown): ParsedHistoryFile {
  const envelope = envelopeSchema.safeParse(data);
  if (!envelope.success) {
    const version = (data as { version?: unknown } | null)?.version;
    if (typeof version === 'number' && version > HISTORY_FILE_VERSION) return { kind: 'newer', version };
    return { kind: 'invalid', reason: `not a history file (${firstIssue(envelope.error)})` };
  }
  const { version } = envelope.data;
  if (version > HISTORY_FILE_VERSION) return { kind: 'newer', version };
  if (version !== HISTORY_FILE_VERSION) return { kind: 'invalid', reason: `unknown format version ${version}` };

  const entries: HistoryEntry[] = [];
  const dropped: DroppedEntry[] = [];
  const seen = new Set<string>();
  envelope.data.entries.forEach((raw, index) => {
    const rawId = (raw as { id?: unknown } | null)?.id;
    const id = typeof rawId === 'string' ? rawId : undefined;
    const parsed = historyEntrySchema.safeParse(raw);
    if (!parsed.success) {
      dropped.push({ index, ...(id ? { id } : {}), reason: firstIssue(parsed.error) });
    } else if (seen.has(parsed.data.id)) {
      dropped.push({ index, id: parsed.data.id, reason: 'duplicate id' });
    } else {
      seen.add(parsed.data.id);
      entries.push(parsed.data);
    }
  });
  return { kind: 'ok', entries, dropped };
}

/** Validates one entry on its way in (add/update), so nothing invalid is ever written. */
export function validateHistoryEntry(entry: unknown): HistoryEntry {
  const parsed = historyEntrySchema.safeParse(entry);
  if (!parsed.success) throw new Error(`Invalid history entry: ${firstIssue(parsed.error)}`);
  return parsed.data;
}
