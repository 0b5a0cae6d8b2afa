/**
 * Captured inputs held back from every prompt: which ones are held back and timed, and the judge's rules that keep their
 * values out of every verdict's text while still failing a candidate on them. Pure: no process runs.
 */
import assert from 'node:assert/strict';
import { equivalenceFailure } from '../../profilers/harnessResults.js';
import { capturedRoles } from '../../profilers/hotspots/captureStore.js';
import { judgeOutcomes, type CallOutcome, type OutcomesData } from '../../profilers/judge/outcomes.js';

function outcome(index: number, input: string, value: string, inputSize = index): CallOutcome {
  return {
    set: 'correctness',
    index,
    status: 'returned',
    value,
    valueRepr: value,
    args: '{"t":"seq","c":"args","i":[]}',
    argsRepr: '[]',
    stdout: '',
    seconds: 0.001,
    input,
    inputSize,
  };
}

const report = (outcomes: CallOutcome[]): OutcomesData => ({ outcomes, stateGrowth: [], lazyResults: false, inputsDigest: 'd' });

describe('captured inputs held back from the prompts', () => {
  it('times the three largest and holds back about a third of the rest, spread over their sizes', () => {
    // Sizes by position, as the inputs module reads them (two processes' files: each smallest first).
    const sizes = [1, 4, 9, 16, 25, 2, 8, 30, 50, 3, 5, 7];
    const { performance, heldBack } = capturedRoles(sizes);
    assert.deepEqual(performance, [7, 8, 4].sort((a, b) => a - b)); // 30, 50, 25
    // The nine others by size: 1 2 3 4 5 7 8 9 16 → ranks 1, 4, 7 are 2, 5, 9 → positions 5, 10, 2.
    assert.deepEqual(heldBack, [2, 5, 10]);
    assert.ok(heldBack.every((p) => !performance.includes(p)), 'a timed input is never held back');
    assert.deepEqual(capturedRoles([5, 1]), { performance: [0, 1], heldBack: [] }, 'too few to hold any back');
    assert.deepEqual(capturedRoles([1, 2, 3, 4, 5]), { performance: [2, 3, 4], heldBack: [1] });
  });

  it('fails a candidate that is wrong only on a held-back input, naming no value of it', () => {
    const original = report([outcome(0, "['alpha']", '1'), outcome(1, "['secret-held']", '2'), outcome(2, "['gamma']", '3')]);
    const fitted = report([outcome(0, "['alpha']", '1'), outcome(1, "['secret-held']", '99'), outcome(2, "['gamma']", '3')]);
    const verdict = judgeOutcomes(original, fitted, 1e-9, { heldBack: new Set([1]) });
    assert.equal(verdict.status, 'different');
    assert.equal(verdict.status === 'different' && verdict.counterexample.heldBack, true);
    // Without the held-back set the same candidate is the same verdict, with nothing marked.
    const plain = judgeOutcomes(original, fitted, 1e-9);
    assert.equal(plain.status === 'different' && plain.counterexample.heldBack, undefined);
  });

  it('shows a failing shown input before a smaller held-back one', () => {
    const original = report([outcome(0, "['held']", '1', 1), outcome(1, "['shown']", '2', 5)]);
    const wrong = report([outcome(0, "['held']", '9', 1), outcome(1, "['shown']", '9', 5)]);
    const verdict = judgeOutcomes(original, wrong, 1e-9, { heldBack: new Set([0]) });
    assert.equal(verdict.status, 'different');
    if (verdict.status !== 'different') return;
    assert.equal(verdict.mismatches, 2);
    assert.equal(verdict.counterexample.input, "['shown']");
    assert.equal(verdict.counterexample.heldBack, undefined);
  });

  it('names a held-back input without its values when the candidate times out, raises fatally or dies on it', () => {
    const original = report([outcome(0, "['secret-held']", '1')]);
    const slow: CallOutcome = { ...outcome(0, "['secret-held']", '1'), status: 'timeout', seconds: 4 };
    const timeout = judgeOutcomes(original, report([slow]), 1e-9, { heldBack: new Set([0]) });
    assert.equal(timeout.status, 'timeout');
    assert.doesNotMatch(JSON.stringify(timeout), /secret-held/);
    assert.match(JSON.stringify(timeout), /held-back correctness input 0/);

    const fatal: CallOutcome = { ...outcome(0, "['secret-held']", '1'), status: 'raised', fatal: true, error: { type: 'SystemExit', message: "['secret-held']" } };
    const raised = judgeOutcomes(original, report([fatal]), 1e-9, { heldBack: new Set([0]) });
    assert.equal(raised.status, 'error');
    assert.doesNotMatch(JSON.stringify(raised), /secret-held/);

    const died = equivalenceFailure(
      {
        sandbox: {
          stdout: '',
          stderr: "printed ['secret-held'] before dying",
          exitCode: null,
          signal: 'SIGSEGV',
          timedOut: false,
          aborted: false,
          outputTruncated: false,
          durationMs: 10,
          sandbox: 'none',
        },
        progress: { side: 'candidate', set: 'correctness', index: 0, input: "['secret-held']" },
      },
      10_000,
      { harnessName: 'Python', describeAbnormalEnd: () => 'it was killed by SIGSEGV' },
      new Set([0]),
    );
    assert.equal(died?.status, 'error');
    assert.doesNotMatch(JSON.stringify(died), /secret-held/);
    assert.match(JSON.stringify(died), /held-back correctness input 0/);
  });
});
