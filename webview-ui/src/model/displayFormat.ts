/**
 * Formatting the report panel adds to the shared formatters in optimizer/report/format.ts (which it reuses, so the
 * panel, the CLI table and the Markdown report print the same numbers the same way). Pure: no DOM.
 */
import { formatRatio } from '../../../optimizer/report/format.js';
import type { SpeedupEstimate } from '../../../profilers/stats/types.js';

export const DASH = '—';

/** "2.30–2.52", or "36.9–40.2" once the bounds reach 10: the same precision as the ratio itself (formatRatio). */
export function formatInterval(s: Pick<SpeedupEstimate, 'low' | 'high'>): string {
  if (!Number.isFinite(s.low) || !Number.isFinite(s.high)) return DASH;
  const digits = s.high >= 10 ? 1 : 2;
  return `${s.low.toFixed(digits)}–${s.high.toFixed(digits)}`;
}

export function formatOptionalRatio(ratio: number | undefined): string {
  return ratio === undefined ? DASH : formatRatio(ratio);
}

/** 0.4213 → "42.1%"; under 0.1% shows "<0.1%" so a nonzero share never reads as zero. */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return DASH;
  if (share > 0 && share < 0.001) return '<0.1%';
  return `${(share * 100).toFixed(1)}%`;
}

/** "5%" for a relative threshold of 0.05. */
export function formatThreshold(threshold: number): string {
  return `${Number((threshold * 100).toFixed(1))}%`;
}

/** Wall-clock time of an ISO timestamp: "14:02" today, "3 Mar 14:02" on another day. */
export function formatClock(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const time = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  const sameDay = at.getFullYear() === now.getFullYear() && at.getMonth() === now.getMonth() && at.getDate() === now.getDate();
  if (sameDay) return time;
  const month = at.toLocaleString('en', { month: 'short' });
  return `${at.getDate()} ${month} ${time}`;
}

/** 134_000 → "2 min 14 s"; under a minute "48 s"; under a second "0.4 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return DASH;
  const seconds = ms / 1000;
  if (seconds < 1) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** Last path segment, for either separator (the host may run on Windows). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
