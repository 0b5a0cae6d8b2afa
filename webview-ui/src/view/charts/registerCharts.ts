/** The chart.js pieces the panel uses, registered once: only these end up in the bundle. */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import type { ChartTheme } from './chartTheme.js';

Chart.register(BarController, BarElement, CategoryScale, LogarithmicScale, ScatterController, PointElement, LineElement, Tooltip);

export function applyChartDefaults(theme: ChartTheme): void {
  Chart.defaults.color = theme.foreground;
  Chart.defaults.borderColor = theme.grid;
  Chart.defaults.font.family = theme.fontFamily;
  Chart.defaults.font.size = 12;
}

/** Tooltip colours that match VS Code's hovers rather than chart.js's black boxes. */
export function tooltipOptions(theme: ChartTheme) {
  return {
    backgroundColor: theme.background,
    titleColor: theme.foreground,
    bodyColor: theme.foreground,
    borderColor: theme.highContrast ? theme.foreground : theme.axis,
    borderWidth: 1,
    cornerRadius: 3,
    displayColors: false,
    padding: 8,
  };
}

export { Chart };
