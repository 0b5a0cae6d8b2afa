/** Small, shared number formatting so the CLI table, Markdown report and (later) the webview say the same thing. */
import type { SpeedupEstimate } from '../../profilers/stats/types.js';

/** Three significant digits, without trailing zeros: enough for numbers that carry a few percent of noise. */
export function round3(value: number): string {
  return String(Number(value.toPrecision(3)));
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const abs = Math.abs(seconds);
  if (abs >= 1) return `${round3(seconds)} s`;
  if (abs >= 1e-3) return `${round3(seconds * 1e3)} ms`;
  if (abs >= 1e-6) return `${round3(seconds * 1e6)} µs`;
  return `${round3(seconds * 1e9)} ns`;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : round3(value)} ${units[unit]}`;
}

export function formatCount(count: number): string {
  const abs = Math.abs(count);
  if (abs >= 1e9) return `${round3(count / 1e9)} G`;
  if (abs >= 1e6) return `${round3(count / 1e6)} M`;
  if (abs >= 1e4) return `${round3(count / 1e3)} k`;
  return String(Math.round(count));
}

export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  return ratio >= 10 ? `${ratio.toFixed(1)}×` : `${ratio.toFixed(2)}×`;
}

/** "2.30–2.52" / "36.9–40.2": the interval's bounds with the precision of its ratio. */
export function formatInterval(s: { ratio: number; low: number; high: number }): string {
  const digits = s.ratio >= 10 ? 1 : 2;
  return `${s.low.toFixed(digits)}–${s.high.toFixed(digits)}`;
}

/** "2.41× [2.30–2.52]" */
export function formatSpeedup(s: SpeedupEstimate): string {
  return `${formatRatio(s.ratio)} [${formatInterval(s)}]`;
}

/** The warning for an LLM-written generator that ran beside the code under test (WorkloadReport.generatorBesideCode). */
export function generatorBesideCodeText(why: string): string {
  return (
    `the LLM-written input generator ran in each side's own process, beside the code under test, because its inputs cannot ` +
    `be passed as data (${why}): the two sides' inputs were still compared before timing. Save it as a workload file and make ` +
    'its inputs plain data to keep it apart.'
  );
}

/** How the timed input was sized, for the inputs line of every report: " (timed at n = 4096, sized_input)" or "". */
export function timedSizeText(workload: { timedSizedN?: number; timedSizeChosenAt?: string } | undefined): string {
  if (!workload?.timedSizedN) return '';
  const reused = workload.timedSizeChosenAt ? `, as a run on ${workload.timedSizeChosenAt.slice(0, 10)} chose it` : '';
  return `, timed at n = ${workload.timedSizedN} (sized_input${reused})`;
}

/** Where captured inputs came from, which were timed (the largest, with their sizes) and how many were held back. */
export function capturedText(workload: { capturedFrom?: string; capturedTimedSizes?: number[]; heldBackInputs?: number } | undefined): string {
  if (!workload?.capturedFrom) return '';
  const timed = workload.capturedTimedSizes?.length ? `; timed: the ${workload.capturedTimedSizes.length} largest (sizes ${workload.capturedTimedSizes.join(', ')})` : '';
  const held = workload.heldBackInputs !== undefined ? `; ${workload.heldBackInputs} held back from the prompts, checked only` : '';
  return ` from ${workload.capturedFrom}${timed}${held}`;
}

/** A candidate's memory ratio; "<1 KiB" when both sides allocate less than the runner resolves; "—" when unmeasured. */
export function formatMemoryRatio(c: { memory?: { ratio: number }; memoryBelowBytes?: number }): string {
  if (c.memory) return formatRatio(c.memory.ratio);
  return c.memoryBelowBytes ? `<${formatBytes(c.memoryBelowBytes)}` : '—';
}

export function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** "3 secrets (2 API key, 1 env secret)": what redact.ts kept out of the prompts. */
export function formatRedactions(r: { count: number; kinds: Partial<Record<string, number>> }): string {
  const kinds = Object.entries(r.kinds).map(([kind, n]) => `${n} ${kind}`).join(', ');
  return `${r.count} secret${r.count === 1 ? '' : 's'} (${kinds})`;
}

/** The report's best verified candidate (the one its `best` names), when it has one. */
export function bestCandidate<C extends { id: string }>(report: { candidates: readonly C[]; best?: { candidateId: string } | undefined }): C | undefined {
  return report.candidates.find((c) => c.id === report.best?.candidateId);
}
