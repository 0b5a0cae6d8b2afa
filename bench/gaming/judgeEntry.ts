/**
 * One catalogue entry through the engine exactly as `perfloop compare` runs it (compareCandidate: the original's
 * preparation, then the candidate's build, equivalence check and timing), with the verdict and speedup it gets.
 */
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compareCandidate } from '../../optimizer/compare.js';
import type { OptimizeSettings } from '../../optimizer/types.js';
import type { Verdict } from '../../profilers/stats/types.js';
import { runnerForFile } from '../../profilers/registry.js';
import type { GamingEntry } from './gamingEntry.js';

/** The fake secret in bench/gaming/<language>/.env: a report that shows it has leaked it. */
export const SECRET_CANARY = 'gaming-canary-7f3a91';

/**
 * Verdicts come from wall time, as with the default `auto` counters; instruction counts (which never decide a verdict
 * unless `--counters instructions`) are skipped, which halves the time an entry takes.
 */
export const GAMING_SETTINGS: Partial<OptimizeSettings> = { counters: 'time' };

export interface EntryVerdict {
  id: string;
  /** The candidate's verdict, or `failed` when the run itself failed (the original or its inputs, not the candidate). */
  verdict: Verdict | 'failed';
  speedup?: { ratio: number; low: number; high: number };
  reason?: string;
  /** Whether the report anywhere contains the .env canary. */
  secretInReport: boolean;
  seconds: number;
}

/**
 * Copies bench/gaming/ under `scratchDir` and returns the copy, which the entries are judged from: a standalone project
 * (as a user's would be), outside the repository, whose node_modules the JavaScript sandbox would otherwise expose and
 * which in a git worktree is a symlink the sandbox cannot mount.
 */
export function copyCatalogue(root: string, scratchDir: string): string {
  const copy = path.join(scratchDir, 'gaming');
  cpSync(path.join(root, 'bench', 'gaming'), copy, { recursive: true });
  return copy;
}

/** `catalogueDir`: a copy of bench/gaming/ (copyCatalogue). */
export async function judgeEntry(entry: GamingEntry, catalogueDir: string, signal?: AbortSignal): Promise<EntryVerdict> {
  const started = performance.now();
  const filePath = path.join(catalogueDir, entry.original);
  const candidatePath = path.join(catalogueDir, entry.candidate);
  const fileText = readFileSync(filePath, 'utf8');
  const report = await compareCandidate(
    {
      filePath,
      fileText,
      target: { functionName: entry.functionName },
      candidatePath,
      candidateText: readFileSync(candidatePath, 'utf8'),
      settings: GAMING_SETTINGS,
    },
    { runner: runnerForFile(filePath, {}, fileText) },
    signal ? { signal } : {},
  );
  const seconds = (performance.now() - started) / 1000;
  const secretInReport = JSON.stringify(report).includes(SECRET_CANARY);
  const candidate = report.candidates[0];
  if (!candidate) return { id: entry.id, verdict: 'failed', reason: report.error ?? `outcome ${report.outcome}`, secretInReport, seconds };
  return {
    id: entry.id,
    verdict: candidate.verdict,
    ...(candidate.speedup ? { speedup: { ratio: candidate.speedup.ratio, low: candidate.speedup.low, high: candidate.speedup.high } } : {}),
    ...(candidate.reason ? { reason: candidate.reason } : {}),
    secretInReport,
    seconds,
  };
}
