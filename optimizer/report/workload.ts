/**
 * A workload run (`perfloop optimize --workload`) as the CLI prints it and as Markdown: the end-to-end result first, then
 * one line per function (its share, its verdict and speedup), then the combined patch's diffs.
 */
import type { WorkloadFunctionResult, WorkloadOptimizationReport } from '../types.js';
import { bestCandidate, formatSpeedup } from './format.js';
import { hotspotHeading } from './hotspots.js';
import { renderColumns } from './table.js';

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

/** The end-to-end sentence: measured verdict, interval, runs, and what the per-function gains predicted. */
export function endToEndText(report: WorkloadOptimizationReport): string {
  const e = report.endToEnd;
  if (!e) return report.note ?? 'No end-to-end measurement.';
  if (e.verdict === 'error' || e.speedup === undefined || !e.ci) {
    return `End to end: not measured: ${e.measurement.error ?? 'the timing gave no estimate'}`;
  }
  const what = { faster: 'faster', slower: 'SLOWER', 'no-difference': 'no measurable difference' }[e.verdict];
  const timing = `${e.speedup.toFixed(3)}× [${e.ci[0].toFixed(3)}–${e.ci[1].toFixed(3)}] over ${e.runsEach} runs each, interleaved${e.measurement.tool ? ` (${e.measurement.tool})` : ''}`;
  const head = `End to end: \`${report.command}\` ${what}: ${timing}; predicted from the functions' shares and speedups: ${e.predicted.toFixed(3)}×`;
  return e.explanation ? `${head}\n${e.explanation}` : head;
}

function verdictCell(f: WorkloadFunctionResult): string {
  if (f.error && !f.applied) return `— (${f.error.split('\n')[0]?.slice(0, 80)})`;
  const run = f.report;
  if (!run) return '—';
  const best = bestCandidate(run);
  if (!best) return run.outcome === 'no-significant-improvement' ? 'no verified faster version' : run.outcome;
  return best.speedup ? `${best.verdict} ${formatSpeedup(best.speedup)}` : best.verdict;
}

function inputsCell(f: WorkloadFunctionResult): string {
  const origin = f.report?.workload?.origin;
  if (origin === 'captured') return `${f.report?.workload?.correctnessInputs ?? f.capturedInputs} captured`;
  return origin === 'llm-generator' ? 'LLM-written' : origin ?? '—';
}

export function renderWorkloadTable(report: WorkloadOptimizationReport): string {
  const rows = [['#', 'function', 'where', 'self', 'inclusive', 'inputs', 'best verified', 'in patch']];
  report.functions.forEach((f, i) => {
    rows.push([String(i + 1), f.function, `${f.file}:${f.line}`, percent(f.selfShare), percent(f.inclusiveShare), inputsCell(f), verdictCell(f), f.applied ? 'yes' : 'no']);
  });
  const tests = report.tests ? `\nTests \`${report.tests.command}\` with the combined patch: ${report.tests.passed ? 'passed' : `FAILED\n${report.tests.reason ?? ''}`}` : '';
  const applied = report.applied ? '\nApplied the combined patch to the project.' : '';
  const note = report.note && report.endToEnd ? `\n${report.note}` : '';
  return `${endToEndText(report)}\n\nProfiled: ${hotspotHeading(report.hotspots)}\n${renderColumns(rows)}${tests}${note}${applied}\n`;
}

export function renderWorkloadMarkdown(report: WorkloadOptimizationReport): string {
  const lines = [`# Perfloop: \`${report.command}\``, '', endToEndText(report).replace(/\n/g, '\n\n'), '', `Profiled: ${hotspotHeading(report.hotspots)}`, ''];
  lines.push('| # | function | where | self | inclusive | inputs | best verified | in patch |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  report.functions.forEach((f, i) => {
    lines.push(`| ${i + 1} | \`${f.function}\` | ${f.file}:${f.line} | ${percent(f.selfShare)} | ${percent(f.inclusiveShare)} | ${inputsCell(f)} | ${verdictCell(f)} | ${f.applied ? 'yes' : 'no'} |`);
  });
  if (report.tests) lines.push('', `Tests \`${report.tests.command}\` with the combined patch: ${report.tests.passed ? 'passed' : 'failed'}`);
  for (const file of report.patch) lines.push('', `## ${file.file}`, '', '```diff', file.diff.trimEnd(), '```');
  return `${lines.join('\n')}\n`;
}
