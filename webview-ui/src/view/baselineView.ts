/** The original's profile (metric tiles, hot lines, the growth chart's data) and how it was measured. */
import { formatSeconds } from '../../../optimizer/report/format.js';
import type { FactLine, HotLine, MetricTile } from '../model/baselineModel.js';
import { formatSize, type GrowthChartModel } from '../model/chartData.js';
import { h, srOnly, type Child } from './dom.js';

export function renderTiles(tiles: MetricTile[]): Child {
  return h(
    'div',
    { class: 'tiles' },
    tiles.map((t) =>
      h(
        'div',
        { class: 'tile', title: t.tooltip },
        h('div', { class: 'tile-label' }, t.label),
        h('div', { class: 'tile-value' }, t.value),
        t.detail && h('div', { class: 'tile-detail' }, t.detail),
      ),
    ),
  );
}

export function renderHotLines(lines: HotLine[], reveal: (line: number) => void, basis: 'time' | 'instructions' = 'time'): Child {
  if (lines.length === 0) return null;
  const byInstructions = basis === 'instructions';
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'hot-lines' },
      h('caption', {}, byInstructions ? 'Hot lines of the original, by share of instructions (valgrind, including what each line calls)' : 'Hot lines of the original, by share of time'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', class: 'num' }, 'Line'),
          h('th', { scope: 'col', class: 'num hits-col' }, byInstructions ? 'Instructions' : 'Hits'),
          h('th', { scope: 'col', class: 'share-col' }, byInstructions ? 'Share' : 'Time'),
          h('th', { scope: 'col', class: 'num memory-col', title: 'Net bytes allocated while the line ran' }, 'Memory'),
          h('th', { scope: 'col' }, 'Code'),
        ),
      ),
      h(
        'tbody',
        {},
        lines.map((line) => {
          const bar = h('span', { class: 'share-bar-fill' });
          bar.style.width = `${(line.share * 100).toFixed(1)}%`;
          return h(
            'tr',
            {},
            h(
              'td',
              { class: 'num' },
              h(
                'a',
                {
                  href: '#',
                  title: `Reveal line ${line.fileLine} in the editor`,
                  'data-focus-key': `hot-line-${line.fileLine}`,
                  onClick: (event: Event) => {
                    event.preventDefault();
                    reveal(line.fileLine);
                  },
                },
                String(line.fileLine),
              ),
            ),
            h('td', { class: 'num hits-col' }, line.hits),
            h('td', { class: 'share-col' }, h('span', { class: 'share-bar', 'aria-hidden': 'true' }, bar), h('span', { class: 'share-text' }, line.shareText)),
            h('td', { class: 'num memory-col' }, line.memory),
            h('td', { class: 'code-cell' }, h('code', {}, line.code)),
          );
        }),
      ),
    ),
  );
}

/** The growth chart's numbers as a table, for reading exact values and for screen readers. */
export function renderGrowthData(model: GrowthChartModel): Child {
  const sizes = [...new Set(model.series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const valueAt = (index: number, size: number): string => {
    const point = model.series[index]?.points.find((p) => p.x === size);
    return point ? formatSeconds(point.y) : '—';
  };
  return h(
    'details',
    { class: 'chart-data' },
    h('summary', {}, 'Measured points'),
    h(
      'table',
      { class: 'data-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num' }, 'Input size'), model.series.map((s) => h('th', { scope: 'col', class: 'num' }, s.label)))),
      h('tbody', {}, sizes.map((size) => h('tr', {}, h('td', { class: 'num' }, formatSize(size)), model.series.map((_, i) => h('td', { class: 'num' }, valueAt(i, size)))))),
    ),
  );
}

export function renderFacts(facts: FactLine[], examples: string[] = []): Child {
  if (facts.length === 0 && examples.length === 0) return null;
  return h(
    'dl',
    { class: 'facts' },
    facts.map((f) => [h('dt', {}, f.label), h('dd', { class: f.warn ? 'warn-text' : undefined }, f.warn ? srOnly('Warning: ') : null, f.value)]),
    examples.length > 0 && [h('dt', {}, 'Examples'), h('dd', {}, h('ul', { class: 'examples' }, examples.map((e) => h('li', {}, h('code', {}, e)))))],
  );
}
