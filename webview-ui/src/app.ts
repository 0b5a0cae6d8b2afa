/**
 * The report panel: holds the last valid snapshot from the host and the user's UI choices, and renders every region
 * from pure view models. Incoming messages are validated; a bad one leaves the last good render in place and says so.
 */
import { formatSeconds } from '../../optimizer/report/format.js';
import type { CandidateResult } from '../../optimizer/types.js';
import { safeParseHostMessage, type HostMessage, type ReportViewState, type WebviewMessage } from '../protocol.js';
import { baselineTiles, environmentFacts, exampleInputs, hotLines, hotLinesBasis, inputFacts, visibleWarnings } from './model/baselineModel.js';
import { candidateActions } from './model/candidateActions.js';
import { buildCandidateRows, type ListRow } from './model/candidateRows.js';
import { growthChartModel, speedupChartModel } from './model/chartData.js';
import { candidateDiff } from './model/diffModel.js';
import { buildHeader } from './model/headerModel.js';
import { effectiveSelection, restorePersisted, toPersisted, withSectionCollapsed, withSelection, type UiState } from './model/uiState.js';
import { wholeProgramModel } from './model/wholeProgramModel.js';
import { renderBanners } from './view/bannersView.js';
import { renderFacts, renderGrowthData, renderHotLines, renderTiles } from './view/baselineView.js';
import { renderCandidateDetail } from './view/candidateDetailView.js';
import { renderCandidateList } from './view/candidateListView.js';
import { observeThemeChanges, readChartTheme, type ChartTheme } from './view/charts/chartTheme.js';
import { GrowthChart } from './view/charts/growthChart.js';
import { applyChartDefaults } from './view/charts/registerCharts.js';
import { SpeedupChart } from './view/charts/speedupChart.js';
import { h, type Child } from './view/dom.js';
import { renderHeader } from './view/headerView.js';
import { renderGrowthLegend, renderSpeedupLegend } from './view/legendsView.js';
import { buildLayout, type Layout, type SectionId } from './view/layout.js';
import { renderWholeProgram } from './view/wholeProgramView.js';
import type { VsCodeApi } from './vscodeApi.js';

const INFO_NOTICE_MS = 6000;

export class ReportApp {
  private state: ReportViewState | undefined;
  private ui: UiState;
  private protocolError: string | undefined;
  private notice: Extract<HostMessage, { type: 'notice' }> | undefined;
  private theme: ChartTheme;
  private lastStage = '';
  private readonly layout: Layout;
  private readonly speedupChart: SpeedupChart;
  private readonly growthChart: GrowthChart;

  constructor(root: HTMLElement, private readonly vscode: VsCodeApi) {
    const restored = restorePersisted(vscode.getState());
    this.ui = restored.ui;
    this.state = restored.snapshot;
    this.layout = buildLayout(root, (id, open) => this.toggleSection(id, open));
    for (const id of this.ui.collapsedSections) {
      const section = this.layout.sections[id as SectionId];
      if (section) section.element.open = false;
    }
    this.speedupChart = new SpeedupChart(this.layout.speedupChartHost);
    this.growthChart = new GrowthChart(this.layout.growthChartHost);
    this.theme = readChartTheme();
    applyChartDefaults(this.theme);
    observeThemeChanges(() => {
      this.theme = readChartTheme();
      applyChartDefaults(this.theme);
      this.renderCharts();
    });
    this.render();
  }

  /** A message from the host, as it arrived (unvalidated). */
  receive(data: unknown): void {
    const parsed = safeParseHostMessage(data);
    if (!parsed.ok) {
      this.protocolError = parsed.error;
      console.warn(`Perfloop: ignored a malformed message: ${parsed.error}`);
    } else if (parsed.message.type === 'notice') {
      const notice = parsed.message;
      this.notice = notice;
      // Confirmations ("Copied r1c2") fade on their own; warnings and errors stay until dismissed or replaced.
      if (notice.level === 'info') {
        setTimeout(() => {
          if (this.notice !== notice) return;
          this.notice = undefined;
          this.render();
        }, INFO_NOTICE_MS);
      }
    } else {
      this.protocolError = undefined;
      this.state = parsed.message.state;
      this.persist();
    }
    this.render();
  }

  private post(message: WebviewMessage): void {
    this.vscode.postMessage(message);
  }

  private persist(): void {
    this.vscode.setState(toPersisted(this.ui, this.state));
  }

  private setUi(ui: UiState): void {
    this.ui = ui;
    this.persist();
    this.render();
  }

  private toggleSection(id: SectionId, open: boolean): void {
    if (this.ui.collapsedSections.includes(id) === !open) return;
    this.setUi(withSectionCollapsed(this.ui, id, !open));
  }

  private render(): void {
    try {
      this.renderAll();
    } catch (error) {
      // A snapshot that validates but still trips the renderer must not blank the panel.
      this.protocolError = `the panel could not render this update (${error instanceof Error ? error.message : String(error)})`;
      console.error(error);
      this.layout.banners.render(`render-error:${this.protocolError}`, () => renderBanners({ protocolError: this.protocolError, stale: false, warnings: [] }, () => undefined));
    }
  }

  private renderAll(): void {
    const l = this.layout;
    const state = this.state;
    l.banners.render(JSON.stringify([this.protocolError, this.notice, state?.stale, state && visibleWarnings(state)]), () =>
      renderBanners({ protocolError: this.protocolError, notice: this.notice, stale: Boolean(state?.stale), warnings: state ? visibleWarnings(state) : [] }, () => {
        this.notice = undefined;
        this.render();
      }),
    );
    l.empty.render(state ? 'state' : 'empty', () => (state ? null : h('p', { class: 'muted' }, 'Waiting for Perfloop to start the run…')));
    for (const section of Object.values(l.sections)) section.element.hidden = !state;
    if (!state) return;

    const header = buildHeader(state);
    l.header.render(JSON.stringify(header), () =>
      renderHeader(header, {
        cancel: () => this.post({ type: 'cancel' }),
        showLog: () => this.post({ type: 'showLog' }),
        discard: () => this.post({ type: 'discard' }),
        revealTarget: () => this.post({ type: 'revealTarget' }),
      }),
    );
    const spoken = state.status === 'running' ? state.stage : header.outcome?.text ?? header.statusLabel;
    if (spoken !== this.lastStage) {
      this.lastStage = spoken;
      l.live.textContent = spoken;
    }
    this.renderCandidates(state);
    this.renderBaseline(state);
    this.renderWholeProgramAndMethod(state);
    this.renderCharts();
  }

  private renderCandidates(state: ReportViewState): void {
    const l = this.layout;
    const rows = buildCandidateRows(state);
    const running = state.status === 'running';
    l.sections.candidates.element.hidden = rows.length === 0 && !running;
    l.sections.candidates.meta.render(JSON.stringify(rows.map((r) => r.kind === 'result' && r.verdict)), () => candidatesMeta(rows));
    l.candidatesPlaceholder.render(String(rows.length === 0 && running), () =>
      rows.length === 0 && running ? h('p', { class: 'placeholder' }, 'No candidates yet: they appear here as soon as each one is checked and measured.') : null,
    );
    const selectedId = effectiveSelection(this.ui, rows, state.report.best?.candidateId);
    l.candidateList.render(JSON.stringify([rows, selectedId]), () => renderCandidateList(rows, selectedId, { select: (id) => this.select(id) }));

    const candidate = state.report.candidates.find((c) => c.id === selectedId);
    l.candidateDetail.render(candidate ? JSON.stringify([candidate, this.detailKey(state), this.ui.codeView]) : 'none', () =>
      candidate ? this.detail(state, candidate) : null,
    );
  }

  private detailKey(state: ReportViewState): unknown[] {
    return [state.status, state.applied, state.stale, state.report.best, state.report.target];
  }

  private detail(state: ReportViewState, candidate: CandidateResult): Child {
    const actions = candidateActions(state, candidate);
    return renderCandidateDetail(
      {
        candidate,
        isBest: state.report.best?.candidateId === candidate.id,
        isApplied: state.applied?.candidateId === candidate.id,
        actions,
        diff: candidateDiff(state, candidate),
        codeView: this.ui.codeView,
        firstLine: state.report.target?.range.start ?? 1,
      },
      {
        apply: (id) => this.post({ type: 'apply', candidateId: id }),
        copy: (id) => this.post({ type: 'copy', candidateId: id }),
        showDiff: (id) => this.post({ type: 'showDiff', candidateId: id }),
        setCodeView: (view) => this.setUi({ ...this.ui, codeView: view }),
      },
    );
  }

  private select(candidateId: string): void {
    this.setUi(withSelection(this.ui, candidateId));
  }

  private renderBaseline(state: ReportViewState): void {
    const l = this.layout;
    const baseline = state.report.baseline;
    l.sections.baseline.element.hidden = !baseline && state.status !== 'running';
    l.sections.baseline.meta.render(String(baseline?.secondsPerCall), () => (baseline ? `${formatSeconds(baseline.secondsPerCall)} per call` : null));
    l.baselinePlaceholder.render(String(!baseline), () => (baseline ? null : h('p', { class: 'placeholder' }, 'Profiling the original function…')));
    const tiles = baselineTiles(state);
    l.tiles.render(JSON.stringify(tiles), () => renderTiles(tiles));
    const lines = hotLines(state);
    const basis = hotLinesBasis(state);
    l.hotLines.render(JSON.stringify([basis, lines]), () => renderHotLines(lines, (line) => this.post({ type: 'revealTarget', line }), basis));
    const growth = growthChartModel(state);
    l.growthBlock.hidden = !growth;
    l.growthLegend.render(JSON.stringify(growth?.series.map((s) => [s.label, s.fitLabel])), () => (growth ? renderGrowthLegend(growth) : null));
    l.growthData.render(JSON.stringify(growth?.series), () => (growth ? renderGrowthData(growth) : null));
  }

  private renderWholeProgramAndMethod(state: ReportViewState): void {
    const l = this.layout;
    const wp = wholeProgramModel(state);
    l.sections['whole-program'].element.hidden = !wp;
    l.wholeProgram.render(JSON.stringify(wp), () => (wp ? renderWholeProgram(wp) : null));
    const facts = [...inputFacts(state), ...environmentFacts(state)];
    const examples = exampleInputs(state);
    l.sections.method.element.hidden = facts.length === 0;
    l.method.render(JSON.stringify([facts, examples]), () => renderFacts(facts, examples));
  }

  private renderCharts(): void {
    const state = this.state;
    const speedup = state ? speedupChartModel(state) : undefined;
    this.layout.speedupLegend.render(JSON.stringify(speedup && [speedup.band, speedup.bars.map((b) => b.tone)]), () => (speedup ? renderSpeedupLegend(speedup) : null));
    this.speedupChart.update(speedup, this.theme);
    this.growthChart.update(state ? growthChartModel(state) : undefined, this.theme);
  }
}

function candidatesMeta(rows: ListRow[]): Child {
  const results = rows.filter((r) => r.kind === 'result');
  if (results.length === 0) return null;
  const faster = results.filter((r) => r.verdict === 'faster').length;
  return `${results.length} checked · ${faster} faster`;
}
