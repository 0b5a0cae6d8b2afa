/** How history entries read in the tree, its tooltip, the menus and the Markdown export; and how entries are made. */
import assert from 'node:assert/strict';
import { createHistoryEntry } from '../../extension/history/createHistoryEntry.js';
import {
  entryContextValue,
  entryDescription,
  formatWhen,
  outcomeIcon,
  outcomeSummary,
  speedupWithInterval,
} from '../../extension/history/historyLabels.js';
import { renderHistoryMarkdown } from '../../extension/history/historyMarkdown.js';
import { validateHistoryEntry } from '../../extension/history/historySchema.js';
import type { HistoryEntry } from '../../extension/history/historyTypes.js';
import { DEFAULT_SETTINGS, type OptimizationReport } from '../../optimizer/types.js';

function report(outcome: OptimizationReport['outcome'], ratio?: number): OptimizationReport {
  const speedup = ratio === undefined ? undefined : {
    ratio, low: ratio * 0.95, high: ratio * 1.05, confidence: 0.95, noiseThreshold: 0.05, verdict: 'faster' as const,
    samples: 30, method: 'paired bootstrap', originalSeconds: 1, candidateSeconds: 1 / ratio, originalCv: 0, candidateCv: 0,
  };
  return {
    version: 1,
    target: { file: '/p/m.py', functionName: 'slow_sum', language: 'python', range: { start: 12, end: 20 }, contextNames: [] },
    startedAt: '2026-11-21T15:42:00.000Z',
    finishedAt: '2026-11-21T15:43:00.000Z',
    durationMs: 60_000,
    settings: DEFAULT_SETTINGS,
    environment: { runner: 'python', sandbox: 'none', instructionCounter: 'none', timer: 'perf_counter_ns' },
    candidates: speedup ? [{ id: 'c3', round: 1, code: 'def slow_sum(): ...', rationale: '', verdict: 'faster', speedup }] : [],
    outcome,
    ...(speedup ? { best: { candidateId: 'c3', diff: '', patchedFileText: '' } } : {}),
    tokenUsage: { promptTokens: 0, completionTokens: 0, totalTokens: 0, estimated: false, requests: 0 },
    warnings: [],
  };
}

const entryOf = (outcome: OptimizationReport['outcome'], ratio?: number, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
  ...createHistoryEntry(report(outcome, ratio), { file: '/p/m.py', languageId: 'python', id: `run-${outcome}` }),
  ...extra,
});

const applied = { candidateId: 'c3', appliedAt: '2026-11-21T16:00:00.000Z', before: 'a', after: 'b' };

describe('history entries from reports', () => {
  it('take the best candidate’s interval, the target line and the run’s id', () => {
    const entry = createHistoryEntry(report('improved', 2.41), { file: '/p/m.py', languageId: 'python', id: 'run-7' });
    assert.equal(entry.id, 'run-7');
    assert.equal(entry.createdAt, '2026-11-21T15:42:00.000Z');
    assert.equal(entry.functionName, 'slow_sum');
    assert.equal(entry.line, 12);
    assert.deepEqual(entry.best, { candidateId: 'c3', ratio: 2.41, low: 2.41 * 0.95, high: 2.41 * 1.05 });
    assert.doesNotThrow(() => validateHistoryEntry(entry));
  });

  it('get a fresh id when none is given, and no summary without a best candidate', () => {
    const a = createHistoryEntry(report('failed'), { file: 'untitled:Untitled-1', languageId: 'python' });
    const b = createHistoryEntry(report('failed'), { file: 'untitled:Untitled-1', languageId: 'python' });
    assert.notEqual(a.id, b.id);
    assert.equal(a.best, undefined);
    assert.doesNotThrow(() => validateHistoryEntry(a));
  });

  it('leave out a summary the store would refuse (NaN), rather than fail to be stored', () => {
    const entry = createHistoryEntry(report('improved', Number.NaN), { file: '/p/m.py', languageId: 'python' });
    assert.equal(entry.best, undefined);
    assert.doesNotThrow(() => validateHistoryEntry(entry));
  });
});

describe('history labels', () => {
  it('describe each outcome in a few words, with the applied state', () => {
    assert.equal(entryDescription(entryOf('improved', 2.41)), '2.41× faster');
    assert.equal(entryDescription(entryOf('improved', 2.41, { applied })), '2.41× faster · applied');
    assert.equal(entryDescription(entryOf('improved', 12.345, { applied: { ...applied, revertedAt: '2026-11-21T17:00:00.000Z' } })), '12.3× faster · reverted');
    assert.equal(entryDescription(entryOf('no-significant-improvement')), 'no gain found');
    assert.equal(entryDescription(entryOf('failed')), 'failed');
    assert.equal(entryDescription(entryOf('cancelled')), 'cancelled');
    assert.equal(outcomeSummary({ outcome: 'improved' }), 'faster');
  });

  it('show the speedup with its interval the way the CLI does', () => {
    assert.equal(speedupWithInterval({ candidateId: 'c1', ratio: 2.41, low: 2.3, high: 2.52 }), '2.41× [2.30–2.52]');
  });

  it('pick an icon per outcome', () => {
    assert.deepEqual(outcomeIcon('improved'), { codicon: 'zap', color: 'charts.green' });
    assert.deepEqual(outcomeIcon('no-significant-improvement'), { codicon: 'circle-slash' });
    assert.equal(outcomeIcon('failed').codicon, 'error');
    assert.equal(outcomeIcon('cancelled').codicon, 'stop-circle');
  });

  it('mark only applied, not yet reverted entries as revertible for the menus', () => {
    const revertible = /\brevertible\b/;
    assert.match(entryContextValue(entryOf('improved', 2, { applied })), revertible);
    assert.doesNotMatch(entryContextValue(entryOf('improved', 2)), revertible);
    assert.doesNotMatch(entryContextValue(entryOf('improved', 2, { applied: { ...applied, revertedAt: '2026-11-21T17:00:00.000Z' } })), revertible);
    assert.equal(entryContextValue(entryOf('failed')), 'perfloopRun failed');
  });

  it('format times as local "YYYY-MM-DD HH:MM", leaving unparseable ones as they are', () => {
    const local = new Date(2026, 0, 2, 3, 4);
    assert.equal(formatWhen(local.toISOString()), '2026-01-02 03:04');
    assert.equal(formatWhen('whenever'), 'whenever');
  });
});

describe('history as Markdown', () => {
  const time = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

  it('is a table: when, function, file, outcome, best speedup with CI, applied', () => {
    const markdown = renderHistoryMarkdown(
      [
        entryOf('improved', 2.41, { applied }),
        entryOf('no-significant-improvement'),
        entryOf('cancelled', undefined, { file: '/p/a|b.py', functionName: 'odd' }),
      ],
      { formatTime: time, displayPath: (f) => f.replace('/p/', '') },
    );
    assert.equal(
      markdown,
      [
        '# Perfloop history',
        '',
        '3 runs, newest first. Speedups are original time / optimized time, with the 95% confidence interval in brackets.',
        '',
        '| When | Function | File | Outcome | Best speedup [95% CI] | Applied |',
        '|---|---|---|---|---:|---|',
        '| 2026-11-21 15:42 | `slow_sum` | m.py:12 | improved | 2.41× [2.29–2.53] | yes (2026-11-21 16:00) |',
        '| 2026-11-21 15:42 | `slow_sum` | m.py:12 | no significant improvement | — | no |',
        '| 2026-11-21 15:42 | `odd` | a\\|b.py:12 | cancelled | — | no |',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is nothing', () => {
    assert.match(renderHistoryMarkdown([]), /^0 runs, newest first/m);
  });
});
