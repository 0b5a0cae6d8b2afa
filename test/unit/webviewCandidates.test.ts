/** The report panel's candidate list, the actions it offers and the UI state it keeps (pure view models). */
import assert from 'node:assert/strict';
import { candidateActions } from '../../webview-ui/src/model/candidateActions.js';
import { buildCandidateRows, type CandidateRow, type ListRow } from '../../webview-ui/src/model/candidateRows.js';
import { effectiveSelection, INITIAL_UI, neighbourRow, restorePersisted, toPersisted, withSectionCollapsed, withSelection } from '../../webview-ui/src/model/uiState.js';
import type { ReportViewState } from '../../webview-ui/protocol.js';
import { CANDIDATES, doneState, runningState } from '../webview/sampleStates.js';

const results = (rows: ListRow[]): CandidateRow[] => rows.filter((r): r is CandidateRow => r.kind === 'result');

describe('webview candidate rows', () => {
  it('rank by verdict, then by the lower bound of the speedup (a tight 38.6× beats a wobbly 41.3×)', () => {
    assert.deepEqual(
      buildCandidateRows(doneState()).map((r) => r.id),
      ['r1c2', 'r2c1', 'r1c3', 'r1c1', 'r1c4', 'r2c3', 'r2c2'],
    );
  });

  it('rank while running too, and end with the candidate being measured', () => {
    const rows = buildCandidateRows(runningState());
    assert.deepEqual(rows.map((r) => [r.id, r.kind]), [['r1c2', 'result'], ['r1c4', 'result'], ['r1c3', 'pending']]);
  });

  it('drop the pending row once its result arrived or the run ended', () => {
    const arrived = runningState();
    arrived.pendingCandidateIds = ['r1c2'];
    assert.equal(buildCandidateRows(arrived).filter((r) => r.kind === 'pending').length, 0);
    const ended: ReportViewState = { ...runningState(), status: 'cancelled' };
    assert.equal(buildCandidateRows(ended).filter((r) => r.kind === 'pending').length, 0);
  });

  it('format the speedup, its interval and the ratios the way the CLI does', () => {
    const [best] = results(buildCandidateRows(doneState()));
    assert.ok(best);
    assert.deepEqual(
      [best.speedupText, best.intervalText, best.instructionsText, best.memoryText, best.isBest, best.tone],
      ['38.6×', '36.9–40.2', '0.03×', '1.42×', true, 'good'],
    );
    const same = results(buildCandidateRows(doneState())).find((r) => r.id === 'r1c3');
    assert.equal(same?.intervalText, '0.97–1.07');
  });

  it('show the counterexample for an incorrect candidate and the reason for an error', () => {
    const rows = results(buildCandidateRows(doneState()));
    const wrong = rows.find((r) => r.id === 'r1c4');
    assert.equal(wrong?.noteKind, 'counterexample');
    assert.match(wrong?.note ?? '', /^on \(\['b@x\.org'.*expected \['b@x\.org', 'a@x\.org'\], got \['a@x\.org', 'b@x\.org'\]$/);
    assert.equal(wrong?.speedupText, '—');
    const rejected = rows.find((r) => r.id === 'r2c2');
    assert.equal(rejected?.noteKind, 'reason');
  });

  it('read a whole row as one sentence for screen readers', () => {
    const [best] = results(buildCandidateRows(doneState()));
    assert.equal(
      best?.ariaLabel,
      'r1c2, faster, best, speedup 38.6×, 95% interval 36.9–40.2, instructions 0.03× of the original, ' +
        'peak memory 1.42× of the original, Membership tests on lists are O(n); two sets make each test O(1) while the list keeps the output order.',
    );
  });

  it('mark the applied candidate', () => {
    const state = { ...doneState(), applied: { candidateId: 'r1c2', at: '2026-11-21T14:05:00Z' } };
    assert.equal(results(buildCandidateRows(state)).find((r) => r.id === 'r1c2')?.isApplied, true);
  });
});

describe('webview candidate actions', () => {
  const now = new Date(2026, 10, 21, 15, 0);

  it('apply a faster candidate once the run is over', () => {
    assert.deepEqual(candidateActions(doneState(), CANDIDATES.r1c2!, now).apply, { enabled: true, label: 'Apply' });
  });

  it('wait for the end of the run before applying', () => {
    const apply = candidateActions(runningState(), CANDIDATES.r1c2!, now).apply;
    assert.equal(apply.enabled, false);
    assert.match(apply.reason ?? '', /when the run ends/);
  });

  it('refuse when the document changed under the run', () => {
    const apply = candidateActions({ ...doneState(), stale: true }, CANDIDATES.r1c2!, now).apply;
    assert.equal(apply.enabled, false);
    assert.match(apply.reason ?? '', /file changed since this run started/);
  });

  it('say when the candidate is already applied, and refuse a second one', () => {
    const at = new Date(2026, 10, 21, 14, 2).toISOString();
    const state = { ...doneState(), applied: { candidateId: 'r1c2', at } };
    assert.deepEqual(candidateActions(state, CANDIDATES.r1c2!, now).apply, { enabled: false, label: 'Applied', reason: 'Applied at 14:02.' });
    assert.match(candidateActions(state, CANDIDATES.r2c1!, now).apply.reason ?? '', /^r1c2 is already applied/);
  });

  it('keep Apply for verified speedups: equivalent but not faster candidates are to be copied deliberately', () => {
    const same = candidateActions(doneState(), CANDIDATES.r1c3!, now).apply;
    assert.equal(same.enabled, false);
    assert.match(same.reason ?? '', /^Equivalent but not measurably faster.*Copy it/);
    const slower = candidateActions(doneState(), CANDIDATES.r1c1!, now).apply;
    assert.match(slower.reason ?? '', /measurably slower.*0\.40× the memory/);
  });

  it('never apply an unverified candidate', () => {
    for (const id of ['r1c4', 'r2c2', 'r2c3']) {
      const actions = candidateActions(doneState(), CANDIDATES[id]!, now);
      assert.equal(actions.apply.enabled, false, id);
      assert.match(actions.apply.reason ?? '', /^Not applicable/, id);
      assert.equal(actions.copy.enabled, true, id);
    }
  });
});

describe('webview UI state', () => {
  const rows = buildCandidateRows(runningState());

  it('follows the best candidate until the user picks one, then keeps that choice', () => {
    const done = buildCandidateRows(doneState());
    assert.equal(effectiveSelection(INITIAL_UI, done, 'r1c2'), 'r1c2');
    assert.equal(effectiveSelection(INITIAL_UI, rows, undefined), 'r1c2');
    assert.equal(effectiveSelection(withSelection(INITIAL_UI, 'r1c4'), done, 'r1c2'), 'r1c4');
    assert.equal(effectiveSelection(withSelection(INITIAL_UI, 'gone'), done, 'r1c2'), 'r1c2');
  });

  it('moves with the arrow keys, Home and End, never onto the pending row', () => {
    assert.equal(neighbourRow(rows, 'r1c2', 'ArrowDown'), 'r1c4');
    assert.equal(neighbourRow(rows, 'r1c4', 'ArrowDown'), 'r1c4');
    assert.equal(neighbourRow(rows, 'r1c4', 'ArrowUp'), 'r1c2');
    assert.equal(neighbourRow(rows, 'r1c4', 'Home'), 'r1c2');
    assert.equal(neighbourRow(rows, 'r1c2', 'End'), 'r1c4');
    assert.equal(neighbourRow(rows, 'r1c2', 'x'), undefined);
  });

  it('remembers collapsed sections once each', () => {
    const collapsed = withSectionCollapsed(withSectionCollapsed(INITIAL_UI, 'baseline', true), 'baseline', true);
    assert.deepEqual(collapsed.collapsedSections, ['baseline']);
    assert.deepEqual(withSectionCollapsed(collapsed, 'baseline', false).collapsedSections, []);
  });

  it('restores what it saved, and starts fresh from anything else', () => {
    const ui = withSelection(withSectionCollapsed(INITIAL_UI, 'method', true), 'r1c4');
    const persisted = toPersisted(ui, doneState());
    // The host's panel serializer finds the run by the top-level runId.
    assert.equal(persisted.runId, 'run-2026-11-21T14-00-12');
    const restored = restorePersisted(JSON.parse(JSON.stringify(persisted)));
    assert.deepEqual(restored.ui, ui);
    assert.equal(restored.snapshot?.report.candidates.length, 7);
    assert.deepEqual(restorePersisted(undefined), { ui: INITIAL_UI });
    assert.deepEqual(restorePersisted({ version: 2, ui: {} }), { ui: INITIAL_UI });
  });
});
