import assert from 'node:assert/strict';
import { rankCandidates } from '../../optimizer/ranking.js';
import { renderMarkdownReport } from '../../optimizer/report/markdown.js';
import { renderResultsTable } from '../../optimizer/report/table.js';
import { DEFAULT_SETTINGS, type CandidateResult, type OptimizationReport } from '../../optimizer/types.js';
import type { SpeedupEstimate } from '../../profilers/stats/types.js';

function speedup(ratio: number, low: number, high: number): SpeedupEstimate {
  return {
    ratio,
    low,
    high,
    confidence: 0.95,
    noiseThreshold: 0.05,
    verdict: low > 1.05 ? 'faster' : high < 1 / 1.05 ? 'slower' : 'no-difference',
    samples: 30,
    method: 'test',
    originalSeconds: 0.01,
    candidateSeconds: 0.01 / ratio,
    originalCv: 0.02,
    candidateCv: 0.02,
  };
}

const candidate = (id: string, verdict: CandidateResult['verdict'], extra: Partial<CandidateResult> = {}): CandidateResult => ({
  id,
  round: 1,
  code: `def f(x):  # ${id}\n    return x`,
  rationale: `rationale of ${id}`,
  verdict,
  ...extra,
});

describe('candidate ranking', () => {
  it('orders by verdict, then by the lower confidence bound rather than the point estimate', () => {
    const ranked = rankCandidates([
      candidate('err', 'error', { reason: 'boom' }),
      candidate('wobbly', 'faster', { speedup: speedup(2.0, 1.2, 3.1) }),
      candidate('wrong', 'incorrect'),
      candidate('same', 'no-difference', { speedup: speedup(1.01, 0.97, 1.04) }),
      candidate('tight', 'faster', { speedup: speedup(1.9, 1.8, 2.0) }),
      candidate('slow', 'slower', { speedup: speedup(0.5, 0.45, 0.55) }),
      candidate('hang', 'timeout'),
    ]);
    assert.deepEqual(
      ranked.map((c) => c.id),
      ['tight', 'wobbly', 'same', 'slow', 'wrong', 'hang', 'err'],
    );
  });
});

describe('reports', () => {
  const report: OptimizationReport = {
    version: 1,
    target: { file: 'dupes.py', functionName: 'find_dupes', language: 'python', range: { start: 3, end: 9 }, contextNames: [] },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    durationMs: 60_000,
    settings: DEFAULT_SETTINGS,
    environment: { runner: 'CPython 3.11', sandbox: 'bwrap', instructionCounter: 'valgrind', timer: 'interleaved' },
    workload: { origin: 'user-json', correctnessInputs: 5, performanceInputs: 1, examples: [], originalMutatesArguments: false },
    baseline: {
      secondsPerCall: 0.0123,
      instructions: 1.2e8,
      peakMemoryBytes: 2048,
      lineProfile: {
        totalSeconds: 1,
        entries: [
          { line: 1, text: 'def find_dupes(xs):', hits: 1, timeSeconds: 0.01, timeShare: 0.01, memoryBytes: 0 },
          { line: 4, text: 'if x in seen:', hits: 1000, timeSeconds: 0.9, timeShare: 0.9, memoryBytes: 0 },
        ],
      },
    },
    candidates: [
      candidate('r1c1', 'faster', { speedup: speedup(2.41, 2.3, 2.52), instructions: { count: 5e7, ratio: 0.42 }, memory: { peakBytes: 4096, ratio: 2 } }),
      candidate('r1c2', 'incorrect', { counterexample: { kind: 'return', input: '([1, 1],)', expected: '[1]', actual: '[]', inputSize: 2 } }),
    ],
    outcome: 'improved',
    best: { candidateId: 'r1c1', diff: '--- a/dupes.py\n+++ b/dupes.py\n@@ -1 +1 @@\n-old\n+new\n', patchedFileText: 'new\n' },
    tokenUsage: { promptTokens: 100, completionTokens: 50, totalTokens: 150, estimated: false, requests: 1 },
    warnings: ['machine is noisy'],
  };

  it('prints a results table with verdicts, intervals, ratios, counterexamples and the outcome', () => {
    const table = renderResultsTable(report);
    assert.match(table, /find_dupes \(dupes\.py:3-9\)/);
    assert.match(table, /r1c1\s+faster\s+2\.41× \[2\.30–2\.52\]\s+0\.42×\s+2\.00×/);
    assert.match(table, /r1c2\s+incorrect.*on \(\[1, 1\],\): expected \[1\], got \[\]/);
    assert.match(table, /Best: r1c1, 2\.41× faster \(95% CI 2\.30–2\.52/);
    assert.match(table, /150 tokens/);
    assert.match(table, /warning: machine is noisy/);
  });

  it('states the size the speedups hold at when sized_input made the timed input', () => {
    const sized = { ...report, workload: { ...report.workload, origin: 'user-module', timedSizedN: 4096 } } as OptimizationReport;
    assert.match(renderResultsTable(sized), /inputs: 5 correctness \+ 1 performance \(user-module, timed at n = 4096 \(sized_input\)\)/);
    assert.match(renderResultsTable(sized), /speedup at n=4096 \[95% CI\]/);
    assert.match(renderMarkdownReport(sized), /- Inputs: .*, timed at n = 4096 \(sized_input\)/);
    assert.doesNotMatch(renderResultsTable(report), /timed at n/);
  });

  it('shows "<1 KiB" for memory both sides allocate below what the runner resolves, not a ratio of noise', () => {
    const below = { ...report, candidates: [{ ...report.candidates[0], memory: undefined, memoryBelowBytes: 1024 }] } as OptimizationReport;
    assert.match(renderResultsTable(below), /r1c1\s+faster\s+2\.41× \[2\.30–2\.52\]\s+0\.42×\s+<1 KiB/);
    assert.match(renderMarkdownReport(below), /\| 0\.42× \| <1 KiB \|/);
  });

  it('says plainly when nothing was significantly faster', () => {
    const table = renderResultsTable({ ...report, outcome: 'no-significant-improvement', best: undefined } as OptimizationReport);
    assert.match(table, /No significant improvement.*5% noise threshold/);
  });

  it('writes a Markdown report with the method, the hot lines, the candidates and the diff', () => {
    const md = renderMarkdownReport(report);
    assert.match(md, /# Perfloop: `find_dupes`/);
    assert.match(md, /Instruction counter: valgrind/);
    assert.match(md, /\| 4 \| 1000 \| 90\.0 \|/);
    assert.match(md, /\| r1c1 \| faster \| 2\.41× \| 2\.30–2\.52 \| 0\.42× \| 2\.00× \|/);
    assert.match(md, /```diff\n--- a\/dupes\.py/);
  });
});
