/** The hot spots of `perfloop profile`, as the CLI prints them and as Markdown. */
import type { HotspotReport } from '../../profilers/hotspots/types.js';
import { formatCount, formatSeconds } from './format.js';
import { renderColumns } from './table.js';

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

function heading(report: HotspotReport): string {
  const processes = Object.entries(report.processes).map(([language, n]) => `${n} ${language} process${n === 1 ? '' : 'es'}`).join(', ');
  return (
    `${report.command.join(' ')}: ${formatSeconds(report.wallSeconds)} as it is, ${formatSeconds(report.profiledWallSeconds)} profiled ` +
    `(overhead ${report.profilerOverhead.toFixed(2)}×, one run each; ${processes})`
  );
}

export function renderHotspotTable(report: HotspotReport, top: number): string {
  const rows = [['#', 'function', 'where', 'self', 'inclusive', 'calls', 'per call']];
  report.hotspots.slice(0, top).forEach((h, i) => {
    rows.push([String(i + 1), h.function, `${h.file}:${h.line}`, percent(h.selfShare), percent(h.inclusiveShare), h.calls === undefined ? '—' : formatCount(h.calls), h.secondsPerCall === undefined ? '—' : formatSeconds(h.secondsPerCall)]);
  });
  const shown = Math.min(top, report.hotspots.length);
  const more = report.hotspots.length > shown ? `\n(${report.hotspots.length - shown} more functions of the project ran; --top N shows more)` : '';
  const none = report.hotspots.length === 0 ? '\nNo function of the project ran under the profiler.' : '';
  return `${heading(report)}\nself: the function's own time and the library calls it makes; inclusive: everything from entry to return.\n\n${renderColumns(rows)}${more}${none}\n`;
}

export function renderHotspotMarkdown(report: HotspotReport, top: number): string {
  const lines = [`# Hot spots of \`${report.command.join(' ')}\``, '', heading(report), '', '| # | function | where | self | inclusive | calls | per call |', '| --- | --- | --- | --- | --- | --- | --- |'];
  report.hotspots.slice(0, top).forEach((h, i) => {
    lines.push(`| ${i + 1} | \`${h.function}\` | ${h.file}:${h.line} | ${percent(h.selfShare)} | ${percent(h.inclusiveShare)} | ${h.calls === undefined ? '—' : formatCount(h.calls)} | ${h.secondsPerCall === undefined ? '—' : formatSeconds(h.secondsPerCall)} |`);
  });
  return `${lines.join('\n')}\n`;
}
