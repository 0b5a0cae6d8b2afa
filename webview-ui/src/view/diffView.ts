/** A unified diff (or plain code) with line numbers, as text nodes in a scrollable block. */
import type { DiffModel } from '../model/diffModel.js';
import { h, srOnly, type Child } from './dom.js';

const SIGNS = { added: '+', removed: '−', context: ' ', gap: '' } as const;
const SPOKEN = { added: 'added: ', removed: 'removed: ', context: '', gap: '' } as const;

export function renderDiff(model: Extract<DiffModel, { available: true }>, label: string): Child {
  return h(
    'div',
    { class: 'code-block diff', role: 'region', 'aria-label': `${label}: ${model.added} lines added, ${model.removed} removed`, tabindex: 0 },
    // The inner box is as wide as the longest line, so every row's background spans it when scrolled sideways.
    h('div', { class: 'code-lines' }, model.rows.map((row) =>
      row.kind === 'gap'
        ? h('div', { class: 'diff-row gap' }, h('span', { class: 'gap-text' }, `⋯ ${row.text}`))
        : h(
            'div',
            { class: `diff-row ${row.kind}` },
            h('span', { class: 'ln', 'aria-hidden': 'true' }, row.oldLine === undefined ? '' : String(row.oldLine)),
            h('span', { class: 'ln', 'aria-hidden': 'true' }, row.newLine === undefined ? '' : String(row.newLine)),
            h('span', { class: 'sign', 'aria-hidden': 'true' }, SIGNS[row.kind]),
            h('span', { class: 'text' }, SPOKEN[row.kind] ? srOnly(SPOKEN[row.kind]) : null, row.text),
          ),
    )),
  );
}

export function renderCode(code: string, label: string, firstLine = 1): Child {
  const lines = code.replace(/\n$/, '').split('\n');
  return h(
    'div',
    { class: 'code-block plain', role: 'region', 'aria-label': label, tabindex: 0 },
    h('div', { class: 'code-lines' }, lines.map((text, i) => h('div', { class: 'diff-row context' }, h('span', { class: 'ln', 'aria-hidden': 'true' }, String(firstLine + i)), h('span', { class: 'text' }, text)))),
  );
}
