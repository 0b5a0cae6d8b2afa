/**
 * Time per call against input size on log–log axes: the original's measured points and fitted power law, and the best
 * candidate's when the report has them. A power law is a straight line here, so a lower slope is a better complexity.
 */
import type { ChartDataset } from 'chart.js';
import { formatSeconds } from '../../../../optimizer/report/format.js';
import { formatSize, type GrowthChartModel } from '../../model/chartData.js';
import { logAxis, type ChartTheme } from './chartTheme.js';
import { Chart, tooltipOptions } from './registerCharts.js';

type Point = { x: number; y: number };

export class GrowthChart {
  private chart: Chart<'scatter', Point[]> | undefined;
  private readonly canvas: HTMLCanvasElement;
  /** What the chart last drew: selection clicks and unrelated updates then cost nothing. */
  private drawnKey = '';

  constructor(private readonly host: HTMLElement) {
    this.canvas = document.createElement('canvas');
    this.canvas.setAttribute('role', 'img');
    host.appendChild(this.canvas);
  }

  update(model: GrowthChartModel | undefined, theme: ChartTheme): void {
    this.host.hidden = !model;
    if (!model) return;
    const key = JSON.stringify([model, theme]);
    if (key === this.drawnKey && this.chart) return;
    this.drawnKey = key;
    this.canvas.setAttribute('aria-label', model.summary);
    if (!this.chart) this.chart = new Chart(this.canvas, { type: 'scatter', data: { datasets: [] } });
    const chart = this.chart;
    const datasets: ChartDataset<'scatter', Point[]>[] = [];
    // Fitted lines are drawn for the eye; hovering them would report made-up points.
    const fitDatasets = new Set<number>();
    for (const series of model.series) {
      const colour = theme.series[series.role];
      datasets.push({
        label: series.label,
        data: series.points,
        showLine: true,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: 1.5,
        pointRadius: 3.5,
        pointHoverRadius: 5,
        pointStyle: series.role === 'original' ? 'circle' : 'rectRot',
      });
      if (series.fitLine) {
        fitDatasets.add(datasets.length);
        datasets.push({
          label: `${series.label} fit ${series.fitLabel ?? ''}`.trim(),
          data: series.fitLine,
          showLine: true,
          borderColor: colour,
          borderWidth: 1,
          borderDash: [5, 4],
          pointRadius: 0,
          pointHitRadius: 0,
        });
      }
    }
    chart.data.datasets = datasets;
    chart.options = {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      layout: { padding: { right: 12, top: 4 } },
      scales: {
        x: logAxis(theme, model.x, formatSize, 'input size (log scale)'),
        y: logAxis(theme, model.y, formatSeconds, 'time per call (log scale)'),
      },
      plugins: {
        tooltip: {
          ...tooltipOptions(theme),
          filter: (item) => !fitDatasets.has(item.datasetIndex),
          callbacks: {
            title: (items) => (items[0] ? String(items[0].dataset.label) : ''),
            label: (item) => {
              const p = item.raw as Point;
              return `size ${formatSize(p.x)}: ${formatSeconds(p.y)} per call`;
            },
          },
        },
      },
    };
    chart.update('none');
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }
}
