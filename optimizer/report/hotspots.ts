/** The hot spots of `perfloop profile`, as the CLI prints them and as Markdown. */
import type { HotspotReport } from '../../profilers/hotspots/types.js';
import { formatCount, formatSeconds } from './format.js';
import { renderColumns } from './table.js';

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

/** The profiled command, its time as it is and profiled, the profiler's overhead and the processes it saw. */
export function hotspotHeading(report: HotspotReport): string {
  const processes = Object.entries(report.processes).map(([language, n]) => `${n} ${language} process${n === 1 ? '' : 'es'}`).join(', ');
  return (
    `${report.command.join(' ')}: ${formatSeconds(report.wallSeconds)} as it is, ${formatSeconds(report.profiledWallSeconds)} profiled ` +
    `(overhead ${report.profilerOverhead.toFixed(2)}× in ${report.overheadBasis === 'cpu' ? 'CPU' : 'wall'} time, one run each; ${processes})`
  );
}

function inputsCell(h: HotspotReport['hotspots'][number]): string {
  if (h.capturedInputs === undefined) return h.captureNote ? '—' : '';
  return `${h.capturedInputs}${h.captureNote ? ' *' : ''}`;
}

export function renderHotspotTable(report: HotspotReport, top: number): string {
  const captured = report.hotspots.some((h) => h.capturedInputs !== undefined || h.captureNote);
  const rows = [['#', 'function', 'where', 'self', 'inclusive', 'calls', 'per call', ...(captured ? ['inputs'] : [])]];
  report.hotspots.slice(0, top).forEach((h, i) => {
    rows.push([String(i + 1), h.function, `${h.file}:${h.line}`, percent(h.selfShare), percent(h.inclusiveShare), h.calls === undefined ? '—' : formatCount(h.calls), h.secondsPerCall === undefined ? '—' : formatSeconds(h.secondsPerCall), ...(captured ? [inputsCell(h)] : [])]);
  });
  const notes = report.hotspots.slice(0, top).flatMap((h, i) => (h.captureNote ? [`#${i + 1} ${h.function}: ${h.captureNote}`] : []));
  const stored = report.captureManifest ? `\nCaptured inputs: ${report.captureManifest} (reused by later runs; git ignores .perfloop/)` : '';
  const shown = Math.min(top, report.hotspots.length);
  const more = report.hotspots.length > shown ? `\n(${report.hotspots.length - shown} more functions of the project ran; --top N shows more)` : '';
  const none = report.hotspots.length === 0 ? '\nNo function of the project ran under the profiler.' : '';
  return `${hotspotHeading(report)}\nself: the function's own time and the library calls it makes; inclusive: everything from entry to return.\n\n${renderColumns(rows)}${more}${none}${stored}${notes.length ? `\n${notes.join('\n')}` : ''}\n`;
}

export function renderHotspotMarkdown(report: HotspotReport, top: number): string {
  const lines = [`# Hot spots of \`${report.command.join(' ')}\``, '', hotspotHeading(report), '', '| # | function | where | self | inclusive | calls | per call |', '| --- | --- | --- | --- | --- | --- | --- |'];
  report.hotspots.slice(0, top).forEach((h, i) => {
    lines.push(`| ${i + 1} | \`${h.function}\` | ${h.file}:${h.line} | ${percent(h.selfShare)} | ${percent(h.inclusiveShare)} | ${h.calls === undefined ? '—' : formatCount(h.calls)} | ${h.secondsPerCall === undefined ? '—' : formatSeconds(h.secondsPerCall)} |`);
  });
  return `${lines.join('\n')}\n`;
}
