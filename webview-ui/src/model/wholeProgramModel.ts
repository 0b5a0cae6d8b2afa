/** The user's benchmark command timed before and after the best candidate, when the run had one. Pure. */
import { formatRatio, formatSeconds } from '../../../optimizer/report/format.js';
import type { ReportViewState } from '../../protocol.js';
import { formatInterval, plural } from './displayFormat.js';
import type { Tone } from './verdicts.js';

export interface WholeProgramModel {
  command: string;
  /** "hyperfine 1.18.0, 10 runs per side" */
  method?: string;
  rows: { side: string; median: string; spread: string }[];
  result?: { text: string; tone: Tone };
  error?: string;
}

export function wholeProgramModel(state: ReportViewState): WholeProgramModel | undefined {
  const wp = state.report.wholeProgram;
  if (!wp) return undefined;
  const model: WholeProgramModel = { command: wp.command, rows: [] };
  if (!wp.original || !wp.patched || !wp.speedup) {
    model.error = wp.error ?? 'It could not be timed.';
    return model;
  }
  const tool = wp.tool === 'builtin' ? 'built-in timer' : `${wp.tool ?? 'hyperfine'}${wp.toolVersion ? ` ${wp.toolVersion}` : ''}`;
  model.method = `${tool}, ${plural(wp.original.runs, 'run')} per side`;
  for (const [side, t] of [['original', wp.original], ['patched', wp.patched]] as const) {
    model.rows.push({ side, median: formatSeconds(t.medianSeconds), spread: `${formatSeconds(t.meanSeconds)} ± ${formatSeconds(t.stddevSeconds)}` });
  }
  const s = wp.speedup;
  const tone: Tone = s.verdict === 'faster' ? 'good' : s.verdict === 'slower' ? 'caution' : 'neutral';
  const verdict = s.verdict === 'no-difference' ? 'no measurable difference' : s.verdict;
  model.result = { text: `${formatRatio(s.ratio)} (95% CI ${formatInterval(s)}): ${verdict}`, tone };
  return model;
}
