/** The history as a Markdown table (Export → Markdown): one row per run, newest first. */
import { appliedState, formatWhen, outcomeName, speedupWithInterval } from './historyLabels.js';
import type { HistoryEntry } from './historyTypes.js';

export interface HistoryMarkdownOptions {
  /** How a file is shown, e.g. relative to the workspace; default: as stored. */
  displayPath?: (file: string) => string;
  /** How a run's start time is shown; default: local "YYYY-MM-DD HH:MM". */
  formatTime?: (iso: string) => string;
}

/** Table cells are one line, and a `|` inside one would end it. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function appliedCell(entry: HistoryEntry, formatTime: (iso: string) => string): string {
  switch (appliedState(entry)) {
    case 'applied':
      return `yes (${formatTime(entry.applied?.appliedAt ?? '')})`;
    case 'reverted':
      return `reverted (${formatTime(entry.applied?.revertedAt ?? '')})`;
    case 'not-applied':
      return 'no';
  }
}

export function renderHistoryMarkdown(newestFirst: readonly HistoryEntry[], options: HistoryMarkdownOptions = {}): string {
  const displayPath = options.displayPath ?? ((file: string) => file);
  const formatTime = options.formatTime ?? formatWhen;
  const runs = newestFirst.length === 1 ? '1 run' : `${newestFirst.length} runs`;
  const lines = [
    '# Perfloop history',
    '',
    `${runs}, newest first. Speedups are original time / optimized time, with the 95% confidence interval in brackets.`,
    '',
    '| When | Function | File | Outcome | Best speedup [95% CI] | Applied |',
    '|---|---|---|---|---:|---|',
  ];
  for (const entry of newestFirst) {
    const row = [
      formatTime(entry.createdAt),
      `\`${entry.functionName}\``,
      `${displayPath(entry.file)}:${entry.line}`,
      outcomeName(entry.outcome),
      entry.best ? speedupWithInterval(entry.best) : '—',
      appliedCell(entry, formatTime),
    ];
    lines.push(`| ${row.map(cell).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
