/** The user's benchmark command, before and after the best candidate. */
import type { WholeProgramModel } from '../model/wholeProgramModel.js';
import { h, type Child } from './dom.js';

export function renderWholeProgram(model: WholeProgramModel): Child {
  return [
    h('p', {}, h('code', {}, model.command), model.method && h('span', { class: 'muted' }, ` · ${model.method}`)),
    model.error && h('p', { class: 'warn-text' }, `Not timed: ${model.error}`),
    model.rows.length > 0 &&
      h(
        'table',
        { class: 'data-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col', class: 'num' }, 'Median'), h('th', { scope: 'col', class: 'num' }, 'Mean ± sd'))),
        h('tbody', {}, model.rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.side), h('td', { class: 'num' }, r.median), h('td', { class: 'num' }, r.spread)))),
      ),
    model.result && h('p', { class: `outcome small tone-${model.result.tone}` }, `Whole-program speedup ${model.result.text}`),
  ];
}
