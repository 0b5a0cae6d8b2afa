/** One optimization run as the history panel keeps it. Plain data: persisted as JSON, validated when read back. */
import type { OptimizationReport } from '../../optimizer/types.js';

export interface AppliedPatch {
  candidateId: string;
  appliedAt: string;
  /** Text of the target function before and after Apply: revert is offered only while the code still reads `after`. */
  before: string;
  after: string;
  /** ISO time the patch was reverted from the history panel; the patch is kept so the run still says what was applied. */
  revertedAt?: string;
}

export interface HistoryEntry {
  id: string;
  /** ISO time the run started. */
  createdAt: string;
  /** Absolute path of the file (as a URI string for non-file documents). */
  file: string;
  functionName: string;
  languageId: string;
  /** 1-based line of the function when the run started. */
  line: number;
  outcome: OptimizationReport['outcome'];
  /** Best verified speedup, when there was one. */
  best?: { candidateId: string; ratio: number; low: number; high: number };
  applied?: AppliedPatch;
  /**
   * Set when the store dropped the bulky parts of this old run's report to stay under its size cap:
   * `report.best.patchedFileText` and the code of every candidate but the best are then empty strings, and
   * `report.workload.generatorSource` is gone. Everything measured (verdicts, speedups, profiles, the best's diff) stays.
   */
  compacted?: boolean;
  /** The full report (the report panel reopens from it). */
  report: OptimizationReport;
}
