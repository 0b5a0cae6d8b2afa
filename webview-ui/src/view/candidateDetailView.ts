/**
 * The selected candidate: its measurements, rationale, counterexample or failure reason, the actions (with the reason
 * when Apply is unavailable, and an explicit second step for equivalent-but-not-faster candidates), and its diff.
 */
import { formatBytes, formatCount, formatRatio, formatSeconds } from '../../../optimizer/report/format.js';
import type { CandidateResult } from '../../../optimizer/types.js';
import type { CandidateActions } from '../model/candidateActions.js';
import type { DiffModel } from '../model/diffModel.js';
import { formatInterval } from '../model/displayFormat.js';
import type { UiState } from '../model/uiState.js';
import { describeMismatch, VERDICT_STYLES } from '../model/verdicts.js';
import { verdictBadge } from './candidateListView.js';
import { renderCode, renderDiff } from './diffView.js';
import { h, type Child } from './dom.js';

export interface DetailModel {
  candidate: CandidateResult;
  isBest: boolean;
  isApplied: boolean;
  actions: CandidateActions;
  diff: DiffModel;
  codeView: UiState['codeView'];
  firstLine: number;
}

export interface DetailHandlers {
  apply(id: string): void;
  copy(id: string): void;
  showDiff(id: string): void;
  setCodeView(view: UiState['codeView']): void;
}

export function renderCandidateDetail(model: DetailModel, on: DetailHandlers): Child {
  const c = model.candidate;
  const style = VERDICT_STYLES[c.verdict];
  return h(
    'div',
    { class: 'detail', 'aria-label': `Details of ${c.id}`, role: 'region' },
    h(
      'div',
      { class: 'detail-title' },
      h('h3', {}, h('code', {}, c.id)),
      verdictBadge(style.label, style.tone, style.description),
      model.isBest && h('span', { class: 'tag tag-best' }, 'best'),
      model.isApplied && h('span', { class: 'tag tag-applied' }, 'applied'),
      h('span', { class: 'muted' }, `round ${c.round}${c.repairOf ? ` · repair of ${c.repairOf}` : ''}`),
    ),
    measurements(c),
    h('p', { class: 'rationale' }, h('span', { class: 'label' }, 'Rationale: '), c.rationale || '—'),
    c.counterexample && counterexample(c.counterexample, c.reason),
    !c.counterexample && c.reason && h('div', { class: `callout tone-${style.tone}` }, h('div', { class: 'callout-title' }, 'Why'), h('pre', { class: 'wrap' }, c.reason)),
    actionBar(model, on),
    codeSwitch(model, on),
    codeOrDiff(model),
  );
}

function measurements(c: CandidateResult): Child {
  const items: Child[] = [];
  const s = c.speedup;
  if (s) {
    items.push(
      fact(
        'Speedup',
        `${formatRatio(s.ratio)} (95% CI ${formatInterval(s)})`,
        `${formatSeconds(s.originalSeconds)} → ${formatSeconds(s.candidateSeconds)} per call (medians), ${s.samples} interleaved pairs${s.processPairs ? ` from ${s.processPairs} process pairs` : ''}, noise CV ${pct(s.originalCv)} / ${pct(s.candidateCv)}`,
        s.method,
      ),
    );
  }
  if (c.instructions) items.push(fact('Instructions', `${formatRatio(c.instructions.ratio)} of the original`, `${formatCount(c.instructions.count)} per run`, 'candidate ÷ original: below 1× is better'));
  if (c.memory) items.push(fact('Peak memory', `${formatRatio(c.memory.ratio)} of the original`, formatBytes(c.memory.peakBytes), 'candidate ÷ original: below 1× is better'));
  else if (c.memoryBelowBytes) items.push(fact('Peak memory', `both under ${formatBytes(c.memoryBelowBytes)} per call`, '', 'below what this language\'s memory reading resolves: no ratio'));
  return items.length > 0 ? h('dl', { class: 'measurements' }, items) : null;
}

function fact(label: string, value: string, detail: string, tooltip: string): Child {
  return h('div', { class: 'measure', title: tooltip }, h('dt', {}, label), h('dd', {}, h('span', { class: 'strong' }, value), h('span', { class: 'muted measure-detail' }, detail)));
}

const pct = (cv: number): string => (Number.isFinite(cv) ? `${(cv * 100).toFixed(1)}%` : '—');

function counterexample(x: NonNullable<CandidateResult['counterexample']>, reason: string | undefined): Child {
  return h(
    'div',
    { class: 'callout tone-bad' },
    h('div', { class: 'callout-title' }, `Counterexample: ${describeMismatch(x.kind)}`, reason && h('span', { class: 'muted callout-note' }, ` · ${reason}`)),
    h(
      'dl',
      { class: 'counterexample' },
      h('dt', {}, 'Input'),
      h('dd', {}, h('pre', { class: 'wrap' }, x.input)),
      h('dt', {}, 'Expected (original)'),
      h('dd', {}, h('pre', { class: 'wrap' }, x.expected)),
      h('dt', {}, 'Actual (candidate)'),
      h('dd', {}, h('pre', { class: 'wrap' }, x.actual)),
    ),
  );
}

function actionBar(model: DetailModel, on: DetailHandlers): Child {
  const id = model.candidate.id;
  const apply = model.actions.apply;
  return h(
    'div',
    { class: 'actions' },
    h(
      'vscode-button',
      {
        disabled: !apply.enabled,
        'data-focus-key': 'apply',
        title: apply.enabled ? 'Replace the function in your file with this candidate (one undo step)' : apply.reason,
        onClick: () => on.apply(id),
      },
      apply.label,
    ),
    h('vscode-button', { secondary: true, 'data-focus-key': 'copy', title: 'Copy the candidate’s code to the clipboard', onClick: () => on.copy(id) }, 'Copy'),
    h('vscode-button', { secondary: true, 'data-focus-key': 'show-diff', title: 'Open it in VS Code’s diff editor', onClick: () => on.showDiff(id) }, 'Show diff'),
    !apply.enabled && apply.reason && h('span', { class: 'action-reason muted' }, apply.reason),
  );
}

function codeSwitch(model: DetailModel, on: DetailHandlers): Child {
  const option = (view: UiState['codeView'], label: string): HTMLElement =>
    h('button', { class: 'segment', 'aria-pressed': model.codeView === view ? 'true' : 'false', 'data-focus-key': `view-${view}`, onClick: () => on.setCodeView(view) }, label);
  const summary = model.diff.available ? h('span', { class: 'muted diff-stat' }, h('span', { class: 'added-count' }, `+${model.diff.added}`), ' ', h('span', { class: 'removed-count' }, `−${model.diff.removed}`)) : null;
  return h('div', { class: 'code-switch' }, h('div', { class: 'segments', role: 'group', 'aria-label': 'Show the candidate as' }, option('diff', 'Diff'), option('code', 'Code')), summary);
}

function codeOrDiff(model: DetailModel): Child {
  const id = model.candidate.id;
  if (model.codeView === 'code') return renderCode(model.candidate.code, `Code of ${id}`, model.firstLine);
  if (model.diff.available) return renderDiff(model.diff, `Diff of ${id} against the original`);
  return [h('p', { class: 'muted' }, model.diff.reason), renderCode(model.candidate.code, `Code of ${id}`, model.firstLine)];
}
