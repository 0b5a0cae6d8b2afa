/**
 * Speedup per candidate as a forest plot: one row per timed candidate, its 95% interval as a whisker (a thin floating
 * bar with caps), its point estimate as a dot, over a shaded band where a speedup is within the noise threshold of 1×.
 */
import type { Plugin } from 'chart.js';
import { formatRatio } from '../../../../optimizer/report/format.js';
import { formatTickRatio, type SpeedupChartModel } from '../../model/chartData.js';
import { formatInterval } from '../../model/displayFormat.js';
import { logAxis, type ChartTheme } from './chartTheme.js';
import { Chart, tooltipOptions } from './registerCharts.js';

const ROW_HEIGHT = 30;
/** Room for the tick labels and the axis title under the rows. */
const AXIS_HEIGHT = 66;
const MIN_HEIGHT = 124;

export class SpeedupChart {
  private chart: Chart<'bar', [number, number][], string> | undefined;
  private model: SpeedupChartModel | undefined;
  private theme: ChartTheme | undefined;
  private readonly canvas: HTMLCanvasElement;
  /** What the chart last drew: selection clicks and unrelated updates then cost nothing. */
  private drawnKey = '';

  constructor(private readonly host: HTMLElement) {
    this.canvas = document.createElement('canvas');
    this.canvas.setAttribute('role', 'img');
    host.appendChild(this.canvas);
  }

  update(model: SpeedupChartModel | undefined, theme: ChartTheme): void {
    this.model = model;
    this.theme = theme;
    this.host.hidden = !model;
    if (!model) return;
    const key = JSON.stringify([model, theme]);
    if (key === this.drawnKey && this.chart) return;
    this.drawnKey = key;
    this.canvas.setAttribute('aria-label', model.summary);
    // The CSP forbids style attributes in markup, not styles set through the CSSOM.
    this.host.style.height = `${Math.max(MIN_HEIGHT, model.bars.length * ROW_HEIGHT + AXIS_HEIGHT)}px`;
    if (!this.chart) {
      this.chart = new Chart(this.canvas, { type: 'bar', data: { labels: [], datasets: [] }, plugins: [this.bandPlugin(), this.markPlugin()] });
    }
    const chart = this.chart;
    const colours = model.bars.map((b) => theme.tones[b.tone]);
    chart.data.labels = model.bars.map((b) => b.id);
    chart.data.datasets = [
      {
        data: model.bars.map((b) => [b.low, b.high]),
        backgroundColor: colours,
        borderColor: colours,
        borderWidth: 0,
        borderSkipped: false,
        barThickness: 3,
      },
    ];
    chart.options = {
      indexAxis: 'y',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      layout: { padding: { right: 12, top: 4 } },
      scales: {
        x: logAxis(theme, model.axis, formatTickRatio, 'speedup: original time ÷ candidate time (log scale)'),
        y: {
          type: 'category',
          grid: { display: false },
          border: { color: theme.axis },
          ticks: { color: theme.foreground, font: { family: theme.monoFontFamily } },
        },
      },
      plugins: {
        tooltip: {
          ...tooltipOptions(theme),
          callbacks: {
            label: (item) => {
              const bar = this.model?.bars[item.dataIndex];
              return bar ? `${formatRatio(bar.ratio)} (95% CI ${formatInterval(bar)}), ${bar.verdictLabel}` : '';
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

  /** The noise band and the 1× line, under the bars. */
  private bandPlugin(): Plugin<'bar'> {
    return {
      id: 'perfloopNoiseBand',
      beforeDatasetsDraw: (chart) => {
        const model = this.model;
        const theme = this.theme;
        const x = chart.scales.x;
        if (!model || !theme || !x) return;
        const { top, bottom, left, right } = chart.chartArea;
        const from = Math.max(left, x.getPixelForValue(model.band.low));
        const to = Math.min(right, x.getPixelForValue(model.band.high));
        const one = x.getPixelForValue(1);
        const ctx = chart.ctx;
        ctx.save();
        ctx.fillStyle = theme.muted;
        ctx.globalAlpha = theme.highContrast ? 0.3 : 0.14;
        ctx.fillRect(from, top, to - from, bottom - top);
        ctx.globalAlpha = 1;
        ctx.strokeStyle = theme.muted;
        ctx.lineWidth = 1;
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(Math.round(one) + 0.5, top);
        ctx.lineTo(Math.round(one) + 0.5, bottom);
        ctx.stroke();
        ctx.restore();
      },
    };
  }

  /** Whisker caps and the point estimate, over the bars. */
  private markPlugin(): Plugin<'bar'> {
    return {
      id: 'perfloopIntervalMarks',
      afterDatasetsDraw: (chart) => {
        const model = this.model;
        const theme = this.theme;
        const x = chart.scales.x;
        const y = chart.scales.y;
        if (!model || !theme || !x || !y) return;
        const ctx = chart.ctx;
        ctx.save();
        model.bars.forEach((bar, index) => {
          const colour = theme.tones[bar.tone];
          const cy = y.getPixelForValue(index);
          ctx.strokeStyle = colour;
          ctx.lineWidth = 2;
          for (const bound of [bar.low, bar.high]) {
            const cx = Math.round(x.getPixelForValue(bound));
            ctx.beginPath();
            ctx.moveTo(cx, cy - 6);
            ctx.lineTo(cx, cy + 6);
            ctx.stroke();
          }
          ctx.beginPath();
          ctx.arc(x.getPixelForValue(bar.ratio), cy, 4.5, 0, Math.PI * 2);
          ctx.fillStyle = colour;
          ctx.fill();
          ctx.lineWidth = 1.5;
          ctx.strokeStyle = theme.background;
          ctx.stroke();
        });
        ctx.restore();
      },
    };
  }
}
