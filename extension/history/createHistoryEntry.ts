/** Builds the history entry for a finished run from its report, so every caller derives `best` the same way. */
import { randomUUID } from 'node:crypto';
import type { OptimizationReport } from '../../optimizer/types.js';
import type { HistoryEntry } from './historyTypes.js';

export interface RunOrigin {
  /** Absolute path for a file (`uri.fsPath`), else the URI string (`uri.toString()`, e.g. for an untitled document). */
  file: string;
  languageId: string;
  /** 1-based line of the function when the run started; default: the report's target range. */
  line?: number;
  /** Reuse the run's id (e.g. the report panel's `runId`) so Apply can find the entry later; default: a new UUID. */
  id?: string;
}

/** The store refuses a summary with NaN or a non-positive ratio (see historySchema.ts); better no summary than no entry. */
function isUsableInterval(s: { ratio: number; low: number; high: number }): boolean {
  return [s.ratio, s.low, s.high].every((n) => n > 0);
}

export function createHistoryEntry(report: OptimizationReport, origin: RunOrigin): HistoryEntry {
  const bestId = report.best?.candidateId;
  const speedup = bestId ? report.candidates.find((c) => c.id === bestId)?.speedup : undefined;
  return {
    id: origin.id ?? randomUUID(),
    createdAt: report.startedAt,
    file: origin.file,
    functionName: report.target.functionName,
    languageId: origin.languageId,
    line: Math.max(1, origin.line ?? report.target.range.start),
    outcome: report.outcome,
    ...(bestId && speedup && isUsableInterval(speedup) ? { best: { candidateId: bestId, ratio: speedup.ratio, low: speedup.low, high: speedup.high } } : {}),
    report,
  };
}
