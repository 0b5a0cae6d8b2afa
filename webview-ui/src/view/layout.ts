/**
 * The panel's fixed skeleton: header, banners and collapsible sections, each holding re-render slots and the stable
 * chart hosts (charts survive updates instead of being rebuilt). Collapsing is native <details>, reported upwards so the
 * choice can be persisted.
 */
import { h, Slot } from './dom.js';

export type SectionId = 'candidates' | 'baseline' | 'whole-program' | 'method';

export interface Section {
  element: HTMLDetailsElement;
  meta: Slot;
}

export interface Layout {
  live: HTMLElement;
  header: Slot;
  banners: Slot;
  empty: Slot;
  sections: Record<SectionId, Section>;
  speedupLegend: Slot;
  speedupChartHost: HTMLElement;
  candidateList: Slot;
  candidateDetail: Slot;
  candidatesPlaceholder: Slot;
  tiles: Slot;
  hotLines: Slot;
  growthBlock: HTMLElement;
  growthLegend: Slot;
  growthChartHost: HTMLElement;
  growthData: Slot;
  baselinePlaceholder: Slot;
  wholeProgram: Slot;
  method: Slot;
}

const slot = (className: string): Slot => new Slot(h('div', { class: className }));

export function buildLayout(root: HTMLElement, onToggle: (id: SectionId, open: boolean) => void): Layout {
  const section = (id: SectionId, title: string): Section & { body: HTMLElement } => {
    const meta = new Slot(h('span', { class: 'section-meta' }));
    const body = h('div', { class: 'section-body' });
    const element = h('details', { class: 'section', open: true, 'data-section': id }, h('summary', {}, h('h2', {}, title), meta.element), body);
    element.addEventListener('toggle', () => onToggle(id, element.open));
    return { element, meta, body };
  };

  const candidates = section('candidates', 'Candidates');
  const baseline = section('baseline', 'Original');
  const wholeProgramSection = section('whole-program', 'Whole program');
  const methodSection = section('method', 'How it was measured');

  const layout: Layout = {
    live: h('div', { class: 'sr-only', 'aria-live': 'polite', role: 'status' }),
    header: new Slot(h('header', { class: 'report-header' })),
    banners: slot('banners'),
    empty: slot('empty-state'),
    sections: { candidates, baseline, 'whole-program': wholeProgramSection, method: methodSection },
    speedupLegend: slot('chart-legend'),
    speedupChartHost: h('div', { class: 'chart-box speedup-chart' }),
    candidateList: slot('candidate-list-slot'),
    candidateDetail: slot('candidate-detail-slot'),
    candidatesPlaceholder: slot('placeholder-slot'),
    tiles: slot('tiles-slot'),
    hotLines: slot('hot-lines-slot'),
    growthBlock: h('div', { class: 'chart-block growth-block' }),
    growthLegend: slot('chart-legend'),
    growthChartHost: h('div', { class: 'chart-box growth-chart' }),
    growthData: slot('chart-data-slot'),
    baselinePlaceholder: slot('placeholder-slot'),
    wholeProgram: slot('whole-program-slot'),
    method: slot('method-slot'),
  };

  candidates.body.append(
    layout.candidatesPlaceholder.element,
    h('div', { class: 'chart-block' }, layout.speedupLegend.element, layout.speedupChartHost),
    layout.candidateList.element,
    layout.candidateDetail.element,
  );
  layout.growthBlock.append(h('h3', {}, 'Time per call vs input size'), layout.growthLegend.element, layout.growthChartHost, layout.growthData.element);
  baseline.body.append(layout.baselinePlaceholder.element, layout.tiles.element, h('div', { class: 'baseline-grid' }, layout.hotLines.element, layout.growthBlock));
  wholeProgramSection.body.append(layout.wholeProgram.element);
  methodSection.body.append(layout.method.element);

  root.replaceChildren(
    layout.live,
    layout.header.element,
    layout.banners.element,
    h('main', {}, layout.empty.element, candidates.element, baseline.element, wholeProgramSection.element, methodSection.element),
  );
  return layout;
}
