/** The charts' legends, in HTML: they wrap on narrow panels and read as text (the canvases carry aria-labels). */
import type { GrowthChartModel, SpeedupChartModel } from '../model/chartData.js';
import { VERDICT_STYLES } from '../model/verdicts.js';
import { h, type Child } from './dom.js';

export function renderSpeedupLegend(model: SpeedupChartModel): Child {
  const shown = Object.values(VERDICT_STYLES).filter((style) => model.bars.some((b) => b.verdictLabel === style.label));
  return h(
    'ul',
    { class: 'legend' },
    shown.map((style) => h('li', {}, h('span', { class: `swatch dot tone-${style.tone}`, 'aria-hidden': 'true' }), style.label)),
    h('li', { class: 'muted' }, h('span', { class: 'swatch whisker', 'aria-hidden': 'true' }), 'dot: estimate, bar: 95% interval'),
    h('li', { class: 'muted' }, h('span', { class: 'swatch band', 'aria-hidden': 'true' }), `shaded: within ±${model.band.threshold} of 1× (noise)`),
  );
}

export function renderGrowthLegend(model: GrowthChartModel): Child {
  return h(
    'ul',
    { class: 'legend' },
    model.series.map((s) =>
      h(
        'li',
        {},
        h('span', { class: `swatch series-${s.role}`, 'aria-hidden': 'true' }),
        h('span', { class: 'legend-name' }, s.label),
        s.fitLabel && h('span', { class: 'muted' }, ` ${s.fitLabel}`),
      ),
    ),
    model.series.some((s) => s.fitLine) && h('li', { class: 'muted' }, h('span', { class: 'swatch dashed', 'aria-hidden': 'true' }), 'fitted power law'),
  );
}
