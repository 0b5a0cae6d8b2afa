/**
 * The ranked candidates as a single-select listbox: arrow keys, Home and End move the selection (roving tabindex), a
 * click selects. Each option's aria-label reads the whole row, so the chart above has a complete text alternative.
 */
import type { ListRow } from '../model/candidateRows.js';
import { neighbourRow } from '../model/uiState.js';
import { h, type Child } from './dom.js';

export interface ListHandlers {
  select(candidateId: string): void;
}

const RATIO_NOTE = 'candidate ÷ original: below 1× is better';

export function renderCandidateList(rows: ListRow[], selectedId: string | undefined, on: ListHandlers): Child {
  if (rows.length === 0) return null;
  const moveTo = (id: string | undefined): void => {
    if (!id) return;
    on.select(id);
    // Selecting re-renders the list, so look the row up in the document, not in this (now detached) list.
    document.querySelector<HTMLElement>(`[role="listbox"] [data-focus-key="row-${CSS.escape(id)}"]`)?.focus();
  };
  const list = h('div', {
    role: 'listbox',
    class: 'candidate-list',
    'aria-label': 'Candidates, best first',
    onKeydown: (event: Event) => {
      const key = (event as KeyboardEvent).key;
      const next = neighbourRow(rows, selectedId, key);
      if (next === undefined) return;
      event.preventDefault();
      moveTo(next);
    },
  });
  for (const row of rows) list.appendChild(row.kind === 'pending' ? pendingRow(row.id, row.ariaLabel) : resultRow(row, row.id === selectedId, moveTo));
  return h(
    'div',
    { class: 'candidate-table' },
    h(
      'div',
      { class: 'candidate-row candidate-head', 'aria-hidden': 'true' },
      h('span', { class: 'col-rank' }, '#'),
      h('span', { class: 'col-id' }, 'Candidate'),
      h('span', { class: 'col-verdict' }, 'Verdict'),
      h('span', { class: 'col-speedup', title: 'original time ÷ candidate time: above 1× is faster' }, 'Speedup'),
      h('span', { class: 'col-ci', title: '95% confidence interval of the speedup' }, '95% CI'),
      h('span', { class: 'col-instr', title: `Instructions, ${RATIO_NOTE}` }, 'Instr.'),
      h('span', { class: 'col-mem', title: `Peak memory, ${RATIO_NOTE}` }, 'Memory'),
      h('span', { class: 'col-note' }, 'Note'),
    ),
    list,
    h(
      'p',
      { class: 'footnote' },
      'Speedup is original time ÷ candidate time, with its 95% interval. Instr. and Memory are candidate ÷ original: below 1× is better.',
    ),
  );
}

function resultRow(row: Extract<ListRow, { kind: 'result' }>, selected: boolean, select: (id: string) => void): HTMLElement {
  return h(
    'div',
    {
      role: 'option',
      id: `candidate-${row.id}`,
      class: `candidate-row tone-${row.tone}${selected ? ' selected' : ''}`,
      'aria-selected': selected ? 'true' : 'false',
      'aria-label': row.ariaLabel,
      tabindex: selected ? 0 : -1,
      'data-focus-key': `row-${row.id}`,
      onClick: () => select(row.id),
    },
    h('span', { class: 'col-rank muted' }, String(row.rank)),
    h(
      'span',
      { class: 'col-id' },
      h('code', {}, row.id),
      row.isBest && h('span', { class: 'tag tag-best', title: 'The best candidate of this run' }, 'best'),
      row.isApplied && h('span', { class: 'tag tag-applied' }, 'applied'),
      row.repairOf && h('span', { class: 'tag', title: `A repair of ${row.repairOf}` }, `fixes ${row.repairOf}`),
    ),
    h('span', { class: 'col-verdict' }, verdictBadge(row.verdictLabel, row.tone, row.verdictDescription)),
    h('span', { class: 'col-speedup num strong' }, row.speedupText),
    h('span', { class: 'col-ci num muted' }, row.intervalText),
    h('span', { class: 'col-instr num', title: `Instructions, ${RATIO_NOTE}` }, row.instructionsText),
    h('span', { class: 'col-mem num', title: `Peak memory, ${RATIO_NOTE}` }, row.memoryText),
    h('span', { class: `col-note note-${row.noteKind}`, title: row.note }, row.note),
  );
}

function pendingRow(id: string, ariaLabel: string): HTMLElement {
  return h(
    'div',
    { role: 'option', class: 'candidate-row pending', 'aria-disabled': 'true', 'aria-selected': 'false', 'aria-label': ariaLabel },
    h('span', { class: 'col-rank' }),
    h('span', { class: 'col-id' }, h('vscode-progress-ring', { class: 'spinner', 'aria-hidden': 'true' }), h('code', {}, id)),
    h('span', { class: 'col-pending muted' }, 'checking and measuring…'),
  );
}

export function verdictBadge(label: string, tone: string, description: string): HTMLElement {
  return h('span', { class: `badge tone-${tone}`, title: description }, h('span', { class: 'badge-dot', 'aria-hidden': 'true' }), label);
}
