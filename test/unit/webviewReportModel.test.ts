/** The report panel's header, baseline, charts and diffs as pure view models. */
import assert from 'node:assert/strict';
import { baselineTiles, environmentFacts, hotLines, visibleWarnings } from '../../webview-ui/src/model/baselineModel.js';
import { formatSize, formatTickRatio, growthChartModel, niceLogTicks, speedupChartModel } from '../../webview-ui/src/model/chartData.js';
import { createTwoFilesPatch } from 'diff';
import { candidateDiff, diffFromUnifiedPatch } from '../../webview-ui/src/model/diffModel.js';
import { baseName, formatClock, formatDuration, formatInterval, formatShare } from '../../webview-ui/src/model/displayFormat.js';
import { buildHeader, inputsChecked, outcomeSentence } from '../../webview-ui/src/model/headerModel.js';
import type { ReportViewState } from '../../webview-ui/protocol.js';
import { CANDIDATES, doneState, failedState, ORIGINAL_SOURCE, runningState } from '../webview/sampleStates.js';

describe('webview header', () => {
  it('states the outcome in one sentence with the interval and the inputs it was checked on', () => {
    assert.deepEqual(outcomeSentence(doneState()), {
      text: 'r1c2 is 38.6× faster (95% CI 36.9–40.2), equivalent on all 27 inputs.',
      tone: 'good',
    });
  });

  it('names the closest equivalent candidate when nothing was significantly faster', () => {
    const state = doneState();
    state.report.candidates = state.report.candidates.filter((c) => c.verdict !== 'faster');
    state.report.outcome = 'no-significant-improvement';
    delete state.report.best;
    assert.equal(
      outcomeSentence(state).text,
      'No significant improvement: no candidate was both equivalent and faster beyond the 5% noise threshold. Closest: r1c3 at 1.02× (95% CI 0.97–1.07).',
    );
  });

  it('shows the error of a failed run and offers the log', () => {
    const header = buildHeader(failedState());
    assert.equal(header.outcome?.tone, 'bad');
    assert.match(header.outcome?.text ?? '', /^Failed: The LLM endpoint rejected the API key/);
    assert.deepEqual([header.canShowLog, header.canCancel, header.canDiscard], [true, false, true]);
  });

  it('shows the stage and progress while running, with Cancel', () => {
    const header = buildHeader(runningState());
    assert.deepEqual(
      [header.title, header.location?.text, header.statusLabel, header.stage, header.progress, header.canCancel, header.outcome],
      ['find_duplicates', 'dedupe.py:8', 'Running', 'Checking and measuring r1c3…', '2 candidates checked', true, undefined],
    );
  });

  it('says which candidate was applied and when', () => {
    const at = new Date(2026, 10, 21, 14, 2);
    const header = buildHeader({ ...doneState(), applied: { candidateId: 'r1c2', at: at.toISOString() } }, new Date(2026, 10, 21, 16, 0));
    assert.equal(header.applied, 'Applied r1c2 at 14:02');
  });

  it('counts inputs once when the correctness list also served for timing', () => {
    assert.equal(inputsChecked({ origin: 'user-json', correctnessInputs: 12, performanceInputs: 12, examples: [], originalMutatesArguments: false }), 12);
    assert.equal(inputsChecked({ origin: 'llm-generator', correctnessInputs: 24, performanceInputs: 3, examples: [], originalMutatesArguments: false }), 27);
  });
});

describe('webview baseline', () => {
  it('shows time, instructions with their counter, memory and the growth exponent', () => {
    const tiles = baselineTiles(doneState());
    assert.deepEqual(
      tiles.map((t) => [t.label, t.value, t.detail]),
      [
        ['Time per call', '41.2 ms', undefined],
        ['Instructions', '1.84 G', 'counted by perf'],
        ['Peak memory', '305 KiB', 'of one call'],
        ['Growth', 'O(n^1.97)', '≈ quadratic; ± 0.03, R² 0.998 over 7 sizes'],
      ],
    );
  });

  it('lists the hottest lines first, with file line numbers and the shared indentation removed', () => {
    assert.equal(hotLines(doneState())[0]?.code, '    if key in seen and key not in duplicates:');
    const lines = hotLines(doneState(), 3);
    assert.deepEqual(
      lines.map((l) => [l.fileLine, l.shareText, l.code]),
      [
        [14, '96.2%', 'if key in seen and key not in duplicates:'],
        [16, '1.8%', 'seen.append(key)'],
        [13, '1.1%', 'key = normalise(email)'],
      ],
    );
  });

  it('puts the sandbox warning first, once, and flags a missing sandbox', () => {
    const state = failedState();
    state.report.warnings = ['noisy machine', state.report.environment!.sandboxWarning!];
    assert.deepEqual(visibleWarnings(state), ['noisy machine', state.report.environment!.sandboxWarning!]);
    state.report.warnings = ['noisy machine'];
    assert.equal(visibleWarnings(state)[0], state.report.environment!.sandboxWarning);
    assert.deepEqual(environmentFacts(state)[0], { label: 'Sandbox', value: 'none: generated code ran without isolation', warn: true });
  });
});

describe('webview charts', () => {
  it('plots every timed candidate in rank order against the noise band', () => {
    const model = speedupChartModel(doneState());
    assert.ok(model);
    assert.deepEqual(model.bars.map((b) => [b.id, b.tone]), [['r1c2', 'good'], ['r2c1', 'good'], ['r1c3', 'neutral'], ['r1c1', 'caution']]);
    assert.ok(Math.abs(model.band.low - 1 / 1.05) < 1e-12 && model.band.high === 1.05);
    assert.ok(model.axis.min < 0.8 && model.axis.max > 48);
    assert.ok(model.axis.ticks.includes(1));
    assert.match(model.summary, /r1c3: 1\.02× \(0\.97–1\.07\), no difference/);
  });

  it('has no speedup chart before anything was timed', () => {
    const state: ReportViewState = { ...runningState(), report: { ...runningState().report, candidates: [CANDIDATES.r1c4!] } };
    assert.equal(speedupChartModel(state), undefined);
  });

  it('draws the original and the best candidate with their fitted power laws', () => {
    const model = growthChartModel(doneState());
    assert.ok(model);
    assert.deepEqual(model.series.map((s) => [s.role, s.label, s.points.length]), [['original', 'original', 7], ['best', 'r1c2', 7]]);
    const fit = model.series[0]?.fitLine;
    assert.deepEqual(fit?.map((p) => p.x), [250, 16000]);
    assert.ok(Math.abs(fit![1]!.y - 1.6e-10 * 16000 ** 1.97) < 1e-12);
    assert.match(model.summary, /^Time per call against input size/);
  });

  it('has no growth chart without at least two sized measurements', () => {
    const state = doneState();
    state.report.baseline!.complexity = { points: [{ size: 10, seconds: 1e-6 }] };
    assert.equal(growthChartModel(state), undefined);
  });

  it('labels log axes with a handful of round values', () => {
    assert.deepEqual(niceLogTicks(0.8, 3), [1, 1.5, 2, 3]);
    assert.deepEqual(niceLogTicks(0.7, 55, [1]), [1, 2, 5, 10, 20, 50]);
    assert.deepEqual(niceLogTicks(200, 20000), [200, 500, 1000, 2000, 5000, 10000, 20000]);
    assert.deepEqual(niceLogTicks(1e-6, 10), [1e-6, 1e-5, 1e-4, 0.001, 0.01, 0.1, 1, 10]);
    assert.deepEqual(niceLogTicks(5, 1), []);
    assert.deepEqual([formatTickRatio(0.5), formatTickRatio(2), formatTickRatio(1.5)], ['0.5×', '2×', '1.5×']);
    assert.deepEqual([formatSize(250), formatSize(16000), formatSize(2.5e6)], ['250', '16k', '2.5M']);
  });
});

describe('webview diffs', () => {
  it('show a candidate’s own file diff from the report (the change Apply makes), with file line numbers', () => {
    const diff = candidateDiff(doneState(), CANDIDATES.r1c2!);
    assert.ok(diff.available);
    assert.deepEqual([diff.added, diff.removed], [8, 4]);
    assert.deepEqual(diff.rows[0], { kind: 'context', oldLine: 1, newLine: 1, text: '"""Customer e-mail clean-up."""' });
    assert.deepEqual(diff.rows.find((r) => r.kind === 'removed'), { kind: 'removed', oldLine: 10, text: '    seen = []' });
    assert.equal(diff.rows.at(-1)?.newLine, 21);
  });

  it('never recompute a diff from the reply’s code: without the report’s diff there is none', () => {
    const state = doneState();
    const { diff: _none, ...withoutDiff } = CANDIDATES.r1c3!;
    assert.equal(candidateDiff(state, withoutDiff).available, false);
    // A report from before per-candidate diffs still shows its best's.
    const best = { ...CANDIDATES.r1c2! };
    delete best.diff;
    assert.ok(candidateDiff(state, best).available);
  });

  it('fold long unchanged stretches into gaps, and show a CRLF file’s lines without their CR', () => {
    const body = Array.from({ length: 300 }, (_, i) => `    x${i} = ${i}`);
    const original = ['def f():', ...body, '    return 0', ''].join('\r\n');
    const diff = diffFromUnifiedPatch(createTwoFilesPatch('a/f.py', 'b/f.py', original, original.replace('    x150 = 150', '    x150 = 151'), undefined, undefined, { context: 3 }));
    assert.ok(diff.available);
    assert.deepEqual(diff.rows.filter((r) => r.kind === 'gap').map((r) => r.text), ['148 unchanged lines']);
    assert.equal(diff.rows.length, 1 + 3 + 2 + 3);
    assert.equal(diff.rows.find((r) => r.kind === 'added')?.text, '    x150 = 151');
  });

  it('say so when a diff cannot be read', () => {
    assert.equal(diffFromUnifiedPatch('not a diff').available, false);
  });
});

describe('webview formatting', () => {
  it('formats intervals, shares, durations, clock times and file names', () => {
    assert.deepEqual([formatInterval({ low: 2.3, high: 2.52 }), formatInterval({ low: 36.91, high: 40.2 }), formatInterval({ low: NaN, high: 1 })], ['2.30–2.52', '36.9–40.2', '—']);
    assert.deepEqual([formatShare(0.4213), formatShare(0.00001), formatShare(0)], ['42.1%', '<0.1%', '0.0%']);
    assert.deepEqual([formatDuration(400), formatDuration(48_200), formatDuration(134_000), formatDuration(120_000)], ['0.4 s', '48 s', '2 min 14 s', '2 min']);
    const now = new Date(2026, 2, 3, 16, 0);
    assert.equal(formatClock(new Date(2026, 2, 3, 9, 5).toISOString(), now), '09:05');
    assert.equal(formatClock(new Date(2026, 2, 1, 9, 5).toISOString(), now), '1 Mar 09:05');
    assert.deepEqual([baseName('/a/b/c.py'), baseName('C:\\src\\d.py')], ['c.py', 'd.py']);
  });
});
