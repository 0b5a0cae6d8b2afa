/**
 * Lines that must not be missed, above everything else: a message the panel could not read, a notice from the host,
 * the stale-document warning, and the run's warnings (sandbox first).
 */
import { h, type Child } from './dom.js';

export interface Banners {
  /** A host message that failed validation (the panel keeps showing the last good state). */
  protocolError?: string;
  notice?: { level: 'info' | 'warning' | 'error'; text: string };
  stale: boolean;
  warnings: string[];
}

export function renderBanners(banners: Banners, dismissNotice: () => void): Child {
  return [
    banners.protocolError &&
      h(
        'div',
        { class: 'banner banner-error', role: 'alert' },
        h('strong', {}, 'The panel received an update it could not read. '),
        `It still shows the last valid state. Details: ${banners.protocolError}`,
      ),
    banners.notice &&
      h(
        'div',
        { class: `banner banner-${banners.notice.level}`, role: banners.notice.level === 'error' ? 'alert' : 'status' },
        h('span', { class: 'banner-text' }, banners.notice.text),
        h('button', { class: 'link-button', 'data-focus-key': 'dismiss-notice', 'aria-label': 'Dismiss', title: 'Dismiss', onClick: dismissNotice }, '✕'),
      ),
    banners.stale &&
      h(
        'div',
        { class: 'banner banner-warning' },
        h('strong', {}, 'The file changed since this run started. '),
        'Apply is disabled because the candidates were checked against the old code.',
      ),
    banners.warnings.length > 0 &&
      h(
        'div',
        { class: 'banner banner-warning', role: 'status' },
        h('strong', {}, banners.warnings.length === 1 ? 'Warning' : `${banners.warnings.length} warnings`),
        h('ul', { class: 'warning-list' }, banners.warnings.map((w) => h('li', {}, w))),
      ),
  ];
}
