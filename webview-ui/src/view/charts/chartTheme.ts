/**
 * Chart colours come from the same --vscode-* variables as the stylesheet, read from the computed style: a canvas
 * cannot use CSS variables itself. VS Code swaps the variables (on <html>) and the theme class (on <body>) when the
 * theme changes; the observer tells the charts to redraw.
 */
import { color } from 'chart.js/helpers';
import type { Tone } from '../../model/verdicts.js';

export interface ChartTheme {
  kind: string;
  foreground: string;
  muted: string;
  /** Axis lines. */
  axis: string;
  /** Grid lines: the axis colour, fainter, so the data stays in front. */
  grid: string;
  background: string;
  fontFamily: string;
  monoFontFamily: string;
  highContrast: boolean;
  tones: Record<Tone, string>;
  series: { original: string; best: string };
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

export function readChartTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const kind = document.body.dataset.vscodeThemeKind ?? [...document.body.classList].find((c) => c.startsWith('vscode-')) ?? 'vscode-dark';
  const highContrast = kind.startsWith('vscode-high-contrast');
  const foreground = cssVar(style, '--vscode-foreground', '#cccccc');
  const muted = cssVar(style, '--vscode-descriptionForeground', foreground);
  const axis = cssVar(style, '--vscode-charts-lines', cssVar(style, '--vscode-editorWidget-border', 'rgba(128, 128, 128, 0.5)'));
  return {
    kind,
    foreground,
    muted,
    axis,
    grid: highContrast ? axis : fainter(axis, 0.4),
    background: cssVar(style, '--vscode-editor-background', 'transparent'),
    fontFamily: cssVar(style, '--vscode-font-family', 'system-ui, sans-serif'),
    monoFontFamily: cssVar(style, '--vscode-editor-font-family', 'monospace'),
    highContrast,
    tones: {
      good: cssVar(style, '--vscode-charts-green', '#388a34'),
      neutral: muted,
      caution: cssVar(style, '--vscode-charts-yellow', '#bf8803'),
      warning: cssVar(style, '--vscode-charts-orange', '#d18616'),
      bad: cssVar(style, '--vscode-charts-red', '#e51400'),
    },
    series: {
      original: cssVar(style, '--vscode-charts-blue', '#1a85ff'),
      best: cssVar(style, '--vscode-charts-green', '#388a34'),
    },
  };
}

/** The colour at `factor` of its own opacity (theme colours come as hex or rgba strings). */
function fainter(value: string, factor: number): string {
  const parsed = color(value);
  return parsed.valid ? parsed.alpha(parsed.rgb.a * factor).rgbString() : value;
}

/** Calls `onChange` (once per frame at most) when the theme class or the theme variables change. */
export function observeThemeChanges(onChange: () => void): () => void {
  let scheduled = false;
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      onChange();
    });
  };
  const observer = new MutationObserver(schedule);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}

export interface LogAxisModel {
  min: number;
  max: number;
  ticks: number[];
}

/** A logarithmic axis with the model's own tick values (chart.js's log ticks crowd), themed and titled. */
export function logAxis(theme: ChartTheme, axis: LogAxisModel, format: (value: number) => string, title: string) {
  return {
    type: 'logarithmic' as const,
    min: axis.min,
    max: axis.max,
    grid: { color: theme.grid },
    border: { color: theme.axis },
    ticks: { color: theme.muted, callback: (value: string | number) => format(Number(value)) },
    afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
      scale.ticks = axis.ticks.map((value) => ({ value }));
    },
    title: { display: true, text: title, color: theme.muted },
  };
}
