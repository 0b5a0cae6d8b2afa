/** The typed border between the report panel and its host: what each side accepts from the other. */
import assert from 'node:assert/strict';
import {
  applyRunEvent,
  isApplicableVerdict,
  parseHostMessage,
  parsePersistedWebviewState,
  parseWebviewMessage,
  safeParseHostMessage,
  type ReportViewState,
} from '../../webview-ui/protocol.js';
import { CANDIDATES, doneState, failedState, runningState } from '../webview/sampleStates.js';

describe('webview protocol', () => {
  it('accepts every snapshot the host sends, keeping fields the panel does not read', () => {
    for (const state of [runningState(), doneState(), failedState()]) {
      const parsed = parseHostMessage({ type: 'state', state });
      assert.ok(parsed?.type === 'state', state.status);
      assert.deepEqual(parsed.state, state);
    }
  });

  it('accepts the numbers structured clone can carry, Infinity and NaN included', () => {
    const state = doneState();
    state.report.candidates[0]!.instructions = { count: 0, ratio: Infinity };
    state.report.candidates[0]!.memory = { peakBytes: 0, ratio: NaN };
    assert.ok(parseHostMessage({ type: 'state', state }));
  });

  it('rejects a malformed snapshot and says where', () => {
    assert.deepEqual(safeParseHostMessage({ type: 'state', state: { runId: 7 } }), {
      ok: false,
      error: 'state.runId: Invalid input: expected string, received number',
    });
    const state = doneState();
    (state.report.candidates[2] as { verdict: string }).verdict = 'maybe';
    const result = safeParseHostMessage({ type: 'state', state });
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /^state\.report\.candidates\.2\.verdict: /);
    assert.equal(parseHostMessage('hello'), undefined);
  });

  it('accepts notices', () => {
    assert.deepEqual(parseHostMessage({ type: 'notice', level: 'info', text: 'Copied r1c2.' }), { type: 'notice', level: 'info', text: 'Copied r1c2.' });
  });

  it('lets the webview ask to reveal a line, and nothing malformed', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'revealTarget', line: 14 }), { type: 'revealTarget', line: 14 });
    assert.deepEqual(parseWebviewMessage({ type: 'revealTarget' }), { type: 'revealTarget' });
    assert.equal(parseWebviewMessage({ type: 'revealTarget', line: 0 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'apply', candidateId: '' }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'apply', candidateId: 'r1c2' }), { type: 'apply', candidateId: 'r1c2' });
  });

  it('applies only candidates verified faster', () => {
    assert.deepEqual(
      (['faster', 'no-difference', 'slower', 'incorrect', 'error', 'timeout'] as const).filter(isApplicableVerdict),
      ['faster'],
    );
  });

  it('reads back the state the webview persisted, for the panel serializer', () => {
    const persisted = { version: 1, ui: { selectedCandidateId: 'r1c4', collapsedSections: ['baseline'], codeView: 'code' }, snapshot: doneState() };
    assert.equal(parsePersistedWebviewState(JSON.parse(JSON.stringify(persisted)))?.snapshot?.runId, 'run-2026-11-21T14-00-12');
    assert.equal(parsePersistedWebviewState({ version: 1, ui: { collapsedSections: [], codeView: 'both' } }), undefined);
    assert.equal(parsePersistedWebviewState(null), undefined);
  });

  it('folds run events into the same snapshot the panel renders', () => {
    let state: ReportViewState = { runId: 'r', status: 'running', stage: '', report: { candidates: [], warnings: [] } };
    state = applyRunEvent(state, { type: 'candidate-start', id: 'r1c2', round: 1 });
    assert.deepEqual(state.pendingCandidateIds, ['r1c2']);
    // Candidates measured side by side: both pending, each dropped when its own result arrives.
    state = applyRunEvent(state, { type: 'candidate-start', id: 'r1c3', round: 1 });
    assert.deepEqual(state.pendingCandidateIds, ['r1c2', 'r1c3']);
    assert.equal(state.stage, 'Checking and measuring r1c2, r1c3…');
    state = applyRunEvent(state, { type: 'candidate', candidate: CANDIDATES.r1c3! });
    assert.deepEqual(state.pendingCandidateIds, ['r1c2']);
    state = applyRunEvent(state, { type: 'candidate', candidate: CANDIDATES.r1c2! });
    assert.equal(state.pendingCandidateIds, undefined);
    assert.ok(parseHostMessage({ type: 'state', state }));
  });
});
