/** The Markdown the bench prints and writes: one summary table of every figure, then each section's details. */
import type { BenchResults, DetailTable, Figure, SectionResult } from './types.js';
import { formatSeconds } from './benchStats.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${columns.map(cell).join(' | ')} |`, `| ${columns.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

function targetCell(figure: Figure): string {
  if (!figure.target) return '';
  return `${figure.target.met ? '✅' : '❌'} ${figure.target.display}`;
}

function baselineCell(figure: Figure): string {
  return (figure.baselines ?? []).map((b) => `${b.method}: ${b.display}`).join('; ');
}

function figureRows(section: SectionResult): string[][] {
  if (section.error) return [[section.title, 'failed', cell(section.error.split('\n')[0] ?? ''), '', '']];
  return section.figures.map((figure) => [
    figure.name,
    figure.perfloop.display + (figure.noise ? ` (${figure.noise})` : ''),
    baselineCell(figure),
    targetCell(figure),
    section.title,
  ]);
}

function detailTable(detail: DetailTable): string {
  return `#### ${detail.title}\n\n${table(detail.columns, detail.rows)}`;
}

/** The summary table alone: what `npm run bench` prints at the end. */
export function renderSummaryTable(results: BenchResults): string {
  return table(
    ['figure', 'Perfloop', 'baselines (same run)', 'target', 'section'],
    results.sections.flatMap(figureRows),
  );
}

export function renderBenchMarkdown(results: BenchResults): string {
  const m = results.machine;
  const machine = [
    `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}`,
    `Node ${m.node}${m.python ? `, ${m.python}` : ''}`,
    `sandbox: ${m.sandbox}; instruction counter: ${m.instructionCounter}${m.hyperfine ? `; ${m.hyperfine}` : ''}`,
  ].join(' · ');
  const parts = [
    `# Perfloop bench — ${results.tier} tier`,
    `Run ${results.startedAt}${results.gitCommit ? ` at commit ${results.gitCommit.slice(0, 10)}` : ''}, ${formatSeconds(results.seconds)}.`,
    `Machine: ${machine}.`,
    '## Summary',
    renderSummaryTable(results),
  ];
  for (const section of results.sections) {
    const tier = section.tier === results.tier ? '' : ` at the ${section.tier} tier`;
    parts.push(`## ${section.title}`, `Took ${formatSeconds(section.seconds)}${tier}.`);
    if (section.error) parts.push(`**Failed:** ${section.error}`);
    for (const detail of section.tables ?? []) parts.push(detailTable(detail));
    for (const note of section.notes ?? []) parts.push(`- ${note}`);
  }
  return `${parts.join('\n\n')}\n`;
}
