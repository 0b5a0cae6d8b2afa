/**
 * The original's profile and how everything was measured: metric tiles, the hot-lines table, the inputs, the
 * environment and the warnings. Pure.
 */
import { capturedText, formatBytes, formatCount, formatSeconds, generatorBesideCodeText, truncate } from '../../../optimizer/report/format.js';
import type { ReportViewState } from '../../protocol.js';
import { DASH, formatDuration, formatShare, formatThreshold, plural } from './displayFormat.js';

export interface MetricTile {
  label: string;
  value: string;
  detail?: string;
  tooltip?: string;
}

export interface HotLine {
  /** Line in the file (the profile counts from the function's first line). */
  fileLine: number;
  hits: string;
  share: number;
  shareText: string;
  memory: string;
  code: string;
}

export interface FactLine {
  label: string;
  value: string;
  /** Shown in the warning colour (e.g. no sandbox). */
  warn?: boolean;
}

const HOT_LINES = 8;

export function baselineTiles(state: ReportViewState): MetricTile[] {
  const b = state.report.baseline;
  if (!b) return [];
  const counter = state.report.environment?.instructionCounter;
  const tiles: MetricTile[] = [{ label: 'Time per call', value: formatSeconds(b.secondsPerCall), tooltip: 'Median wall time of one call on the performance inputs.' }];
  if (b.instructions !== undefined) {
    tiles.push({
      label: 'Instructions',
      value: formatCount(b.instructions),
      detail: counter && counter !== 'none' ? `counted by ${counter}` : undefined,
      tooltip: 'User-space instructions of the calls alone (the harness start-up is subtracted).',
    });
  } else {
    tiles.push({ label: 'Instructions', value: DASH, detail: 'no counter available', tooltip: 'Neither perf nor valgrind could count instructions here; verdicts use wall time.' });
  }
  if (b.peakMemoryBytes !== undefined) {
    tiles.push({ label: 'Peak memory', value: formatBytes(b.peakMemoryBytes), detail: 'of one call', tooltip: 'Largest tracemalloc peak of one call.' });
  }
  const fit = b.complexity?.fit;
  if (fit) {
    // The exponent as the value; the class (or the classes the interval cannot tell apart) and the interval as detail.
    // Reports saved before the fit had a 95% interval show the standard error instead.
    const interval = fit.exponentLow !== undefined && fit.exponentHigh !== undefined ? { low: fit.exponentLow, high: fit.exponentHigh } : undefined;
    const halfWidth = interval ? (interval.high - interval.low) / 2 : fit.exponentStdError;
    const digits = halfWidth > 0 && halfWidth < 0.05 ? 2 : 1;
    const closest = fit.plausibleClasses ? `${fit.plausibleClasses.join(' or ')}; ` : fit.bestClass ? `≈ ${fit.bestClass}; ` : '';
    const spread = interval ? `95% CI ${interval.low.toFixed(digits)}–${interval.high.toFixed(digits)}` : `± ${fit.exponentStdError.toFixed(digits)}`;
    tiles.push({
      label: 'Growth',
      value: `O(n^${fit.exponent.toFixed(digits)})`,
      detail: `${closest}${spread}, R² ${fit.rSquared.toFixed(3)} over ${plural(b.complexity?.points.length ?? 0, 'size')}`,
      tooltip: `time ≈ c · n^k fitted on log–log axes: k = ${fit.exponent.toFixed(2)}, standard error ${fit.exponentStdError.toFixed(2)}. ${fit.label}`,
    });
  }
  return tiles;
}

/** What the hot-lines table measures: time (profilers) or instructions (cachegrind, for compiled languages). */
export function hotLinesBasis(state: ReportViewState): 'time' | 'instructions' {
  return state.report.baseline?.lineProfile?.basis === 'instructions' ? 'instructions' : 'time';
}

export function hotLines(state: ReportViewState, limit = HOT_LINES): HotLine[] {
  const profile = state.report.baseline?.lineProfile;
  if (!profile) return [];
  const firstLine = state.report.target?.range.start ?? 1;
  const hottest = [...profile.entries].sort((a, b) => b.timeShare - a.timeShare).slice(0, limit);
  // Drop the indentation every shown line shares: the table is narrow and the nesting is what matters.
  const indents = hottest.filter((e) => e.text.trim() !== '').map((e) => /^[ \t]*/.exec(e.text)![0].length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return hottest.map((e) => ({
    fileLine: firstLine + e.line - 1,
    hits: formatCount(e.hits),
    share: Math.max(0, Math.min(1, e.timeShare)),
    shareText: formatShare(e.timeShare),
    memory: e.memoryBytes === 0 ? DASH : formatBytes(e.memoryBytes),
    code: e.text.slice(common).replace(/\s+$/, ''),
  }));
}

const ORIGINS: Record<string, string> = {
  'user-json': 'your JSON inputs file',
  'user-module': 'your inputs module',
  'llm-generator': 'a generator written by the LLM',
  captured: 'the real calls perfloop profile captured',
};

export function inputFacts(state: ReportViewState): FactLine[] {
  const w = state.report.workload;
  if (!w) return [];
  const facts: FactLine[] = [
    {
      label: 'Inputs',
      value: `${plural(w.correctnessInputs, 'correctness input')} + ${plural(w.performanceInputs, 'performance input')}, from ${ORIGINS[w.origin] ?? w.origin}${capturedText(w)}${w.path ? ` (${w.path})` : ''}`,
    },
  ];
  if (w.timedSizedN) {
    const reused = w.timedSizeChosenAt ? `, as a run on ${w.timedSizeChosenAt.slice(0, 10)} chose it on this machine (runs of the same function compare)` : '';
    facts.push({ label: 'Timed at', value: `n = ${w.timedSizedN} (sized_input${reused}): every speedup holds at this size; the growth chart shows others.` });
  }
  if (w.generatorBesideCode) facts.push({ label: 'Warning', value: generatorBesideCodeText(w.generatorBesideCode) });
  if (w.originalMutatesArguments) facts.push({ label: 'Note', value: 'The original changes its arguments: inputs are copied before every timed call.' });
  return facts;
}

export function exampleInputs(state: ReportViewState, limit = 3): string[] {
  return (state.report.workload?.examples ?? []).slice(0, limit).map((e) => truncate(e, 200));
}

export function environmentFacts(state: ReportViewState): FactLine[] {
  const env = state.report.environment;
  const facts: FactLine[] = [];
  if (env) {
    facts.push({
      label: 'Sandbox',
      value: env.sandbox === 'none' ? 'none: generated code ran without isolation' : env.sandbox,
      warn: env.sandbox !== 'bwrap',
    });
    facts.push({
      label: 'Instruction counter',
      value: `${env.instructionCounter}${env.instructionCounterDetail ? ` (${env.instructionCounterDetail})` : ''}`,
      warn: env.instructionCounter === 'none',
    });
    facts.push({ label: 'Timer', value: env.timer });
    facts.push({ label: 'Runner', value: env.runner });
  }
  const settings = state.report.settings;
  if (settings) {
    facts.push({
      label: 'Verdict rule',
      value: `${settings.timingSamples} interleaved sample pairs; “faster” only when the 95% interval’s lower bound clears ${formatThreshold(settings.noiseThreshold)}`,
    });
  }
  if (env?.llm) {
    const u = state.report.tokenUsage;
    const usage = u ? `; ${plural(u.requests, 'request')}, ${formatCount(u.totalTokens)} tokens${u.estimated ? ' (estimated)' : ''}` : '';
    facts.push({ label: 'LLM', value: `${env.llm}${usage}` });
  }
  if (state.report.durationMs !== undefined && state.status !== 'running') facts.push({ label: 'Duration', value: formatDuration(state.report.durationMs) });
  return facts;
}

/** Every warning once, the sandbox's first: it is the one that matters most before trusting anything else. */
export function visibleWarnings(state: ReportViewState): string[] {
  const warnings = [...state.report.warnings];
  const sandbox = state.report.environment?.sandboxWarning;
  if (sandbox && !warnings.includes(sandbox)) warnings.unshift(sandbox);
  return [...new Set(warnings)];
}
