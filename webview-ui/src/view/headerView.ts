/** The header: function, location, status with the live stage line, run-level buttons, and the outcome sentence. */
import type { HeaderModel } from '../model/headerModel.js';
import { h, type Child } from './dom.js';

export interface HeaderHandlers {
  cancel(): void;
  showLog(): void;
  discard(): void;
  revealTarget(line?: number): void;
}

export function renderHeader(model: HeaderModel, on: HeaderHandlers): Child {
  const running = model.status === 'running';
  const buttons: Child[] = [];
  if (model.canCancel) buttons.push(button('Cancel', 'cancel', 'Stop the run: the LLM request and every process it started', on.cancel));
  if (model.canShowLog) buttons.push(button('Show log', 'show-log', 'Open the Perfloop output channel', on.showLog, false));
  if (model.canDiscard) buttons.push(button('Discard', 'discard', 'Close this report and forget its results (nothing in your file changes)', on.discard));

  return [
    h(
      'div',
      { class: 'header-top' },
      h(
        'div',
        { class: 'header-title' },
        h('h1', {}, model.title),
        model.location &&
          h(
            'a',
            {
              class: 'location',
              href: '#',
              title: `${model.location.path}:${model.location.line}: reveal in the editor`,
              'data-focus-key': 'reveal-target',
              onClick: (event: Event) => {
                event.preventDefault();
                on.revealTarget();
              },
            },
            model.location.text,
          ),
      ),
      h(
        'div',
        { class: 'header-actions' },
        h(
          'span',
          { class: `status-pill status-${model.status}` },
          running ? h('vscode-progress-ring', { class: 'spinner', 'aria-hidden': 'true' }) : h('span', { class: 'status-dot', 'aria-hidden': 'true' }),
          model.statusLabel,
        ),
        buttons,
      ),
    ),
    running && h('p', { class: 'stage' }, model.stage ?? '', model.progress && h('span', { class: 'muted' }, ` · ${model.progress}`)),
    model.outcome && h('p', { class: `outcome tone-${model.outcome.tone}` }, model.outcome.text),
    model.applied && h('p', { class: 'applied-line tone-good' }, h('span', { class: 'check', 'aria-hidden': 'true' }, '✓'), model.applied),
  ];
}

function button(label: string, focusKey: string, title: string, onClick: () => void, secondary = true): HTMLElement {
  return h('vscode-button', { secondary, title, 'data-focus-key': focusKey, onClick }, label);
}
