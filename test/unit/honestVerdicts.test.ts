/**
 * No quiet wrong verdicts (issue 13, "Real projects"): a verdict that is wrong without a word is the worst outcome, an
 * honest error that says what to do is fine. Real runners in the real sandbox, through `perfloop compare`'s engine.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareCandidate } from '../../optimizer/compare.js';
import { originalFailure } from '../../optimizer/originalFailure.js';
import type { OptimizationReport } from '../../optimizer/types.js';
import { readWorkloadFile } from '../../optimizer/workloadFile.js';
import { JavaScriptRunner } from '../../profilers/javascript/javascriptRunner.js';
import { PythonRunner } from '../../profilers/python/pythonRunner.js';
import { RunnerError, type WorkloadSource, type WorkloadSummary } from '../../profilers/runner.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PYTHON = path.join(repoRoot, 'test/fixtures/python/verdicts');
const JAVASCRIPT = path.join(repoRoot, 'test/fixtures/javascript/verdicts');
const SETTINGS = { timingSamples: 16, sampleSeconds: 0.01, timeoutMs: 30_000, counters: 'time' as const };

/** The report of comparing `candidate` with `file:functionName`, or the error that stopped the run, as text. */
async function compare(
  dir: string,
  file: string,
  functionName: string,
  candidate: string,
  inputs?: string,
): Promise<{ report?: OptimizationReport; error?: string }> {
  const filePath = path.join(dir, file);
  const candidatePath = path.join(dir, candidate);
  const runner = file.endsWith('.py') ? new PythonRunner() : new JavaScriptRunner();
  try {
    const report = await compareCandidate(
      {
        filePath,
        fileText: readFileSync(filePath, 'utf8'),
        target: { functionName },
        candidatePath,
        candidateText: readFileSync(candidatePath, 'utf8'),
        ...(inputs ? { workload: readWorkloadFile(path.join(dir, inputs)) } : {}),
        settings: SETTINGS,
      },
      { runner },
    );
    return report.outcome === 'failed' ? { report, error: report.error ?? '' } : { report };
  } catch (error) {
    if (error instanceof RunnerError) return { error: error.message };
    throw error;
  }
}

function verdictOf(result: { report?: OptimizationReport; error?: string }): string {
  assert.equal(result.error, undefined, result.error);
  const candidate = result.report?.candidates[0];
  return `${candidate?.verdict}${candidate?.verdict === 'faster' ? '' : `: ${candidate?.reason ?? ''}`}`;
}

describe('honest verdicts', function () {
  this.timeout(300_000);

  describe('an original that raises on every input stops the run, naming the exception and its likely cause', () => {
    it('Python: a data file opened by a relative path is not visible: an error saying so, not "no-difference"', async () => {
      const result = await compare(PYTHON, 'prices.py', 'price_of', 'prices_fast.py');
      assert.equal(result.report?.candidates.length ?? 0, 0, 'no candidate may be judged');
      assert.match(result.error ?? '', /`price_of` raised FileNotFoundError on every input \(3 of 3\)/);
      assert.match(result.error ?? '', /No such file or directory: 'prices\.csv'/);
      assert.match(result.error ?? '', /a file the function reads is not visible to it.*__file__/);
    });

    it('JavaScript: the same, from the message of the error thrown (ENOENT)', async () => {
      const result = await compare(JAVASCRIPT, 'prices.mjs', 'priceOf', 'prices_fast.mjs');
      assert.equal(result.report?.candidates.length ?? 0, 0, 'no candidate may be judged');
      assert.match(result.error ?? '', /`priceOf` raised Error on every input \((\d+) of \1\).*ENOENT/);
      assert.match(result.error ?? '', /a file the function reads is not visible to it.*import\.meta\.url/);
    });
  });

  describe('which originals are refused for raising', () => {
    const summary = (raisedOn: number, performanceRaisedOn: number): WorkloadSummary => ({
      correctnessCount: 4,
      performanceCount: 2,
      sizeable: false,
      examples: [],
      originalMutatesArguments: false,
      originalRaisedOn: raisedOn,
      callsChecked: 6,
      performanceRaisedOn,
      firstRaised: { type: 'ModuleNotFoundError', message: "No module named 'numpy'", set: 'correctness', index: 0, input: '([1],)' },
    });

    it('one that raises on every performance input only: timing would measure the failure', () => {
      const message = originalFailure(summary(2, 2), 'f', 'python') ?? '';
      assert.match(message, /raised ModuleNotFoundError on every performance input \(2\), so timing would measure only the failure/);
      assert.match(message, /Likely cause: an import fails/);
    });

    it('not one that returns on some correctness and some performance inputs (exceptions are behaviour too)', () => {
      assert.equal(originalFailure(summary(5, 1), 'f', 'python'), undefined);
    });
  });

  describe('Python async functions are run to completion: compared on what they return, timed doing their work', () => {
    it('a correct faster rewrite is faster', async () => {
      assert.equal(verdictOf(await compare(PYTHON, 'fetch.py', 'unique_words', 'fetch_fast.py')), 'faster');
    });

    it('a wrong rewrite is incorrect, with the values the coroutines returned', async () => {
      const result = await compare(PYTHON, 'fetch.py', 'unique_words', 'fetch_wrong.py');
      const candidate = result.report?.candidates[0];
      assert.equal(candidate?.verdict, 'incorrect', verdictOf(result));
      assert.match(candidate?.counterexample?.expected ?? '', /returned \['x', 'y', 'z', 'w'\]/);
      assert.doesNotMatch(candidate?.counterexample?.expected ?? '', /coroutine/);
    });
  });

  describe('receivers are compared by state and type, so methods of stateless classes work', () => {
    it('Python: the receiver is not taken for mutated, and a correct rewrite is faster', async () => {
      const runner = new PythonRunner();
      const filePath = path.join(PYTHON, 'stats.py');
      const target = await runner.extractTarget(readFileSync(filePath, 'utf8'), filePath, { functionName: 'Stats.distinct' });
      const workload: WorkloadSource = { kind: 'module', origin: 'user', path: path.join(PYTHON, 'stats.perfloop.py') };
      const summary = await runner.checkWorkload(runner.originalProgram(target), workload, { sandbox: 'auto', timeoutMs: 30_000 });
      assert.equal(summary.originalMutatesArguments, false);
      assert.equal(verdictOf(await compare(PYTHON, 'stats.py', 'Stats.distinct', 'stats_fast.py')), 'faster');
    });

    it('JavaScript: a correct rewrite is faster', async () => {
      assert.equal(verdictOf(await compare(JAVASCRIPT, 'stats.mjs', 'Stats.distinct', 'stats_fast.mjs')), 'faster');
    });
  });

  describe('an original that disagrees with itself is named, with the ways out', () => {
    for (const [language, dir, file, fn, candidate] of [
      ['Python', PYTHON, 'tickets.py', 'ticket', 'tickets_fast.py'],
      ['JavaScript', JAVASCRIPT, 'tickets.mjs', 'ticket', 'tickets_fast.mjs'],
    ] as const) {
      it(`${language}: a uuid in the result is a named error, not "incorrect"`, async () => {
        const result = await compare(dir, file, fn, candidate);
        assert.equal(result.report?.candidates.length ?? 0, 0, 'no candidate may be judged');
        assert.match(result.error ?? '', /`ticket` does not agree with itself/);
        assert.match(result.error ?? '', /result(\["id"\]|\.id)/);
        assert.match(result.error ?? '', /seed/);
        assert.match(result.error ?? '', /tolerance/);
        assert.match(result.error ?? '', /`equal\(a, b\)` in your inputs module/);
      });
    }

    it('Python: with equal(a, b) in the inputs module, a correct rewrite is faster and a wrong one incorrect', async () => {
      assert.equal(verdictOf(await compare(PYTHON, 'tickets.py', 'ticket', 'tickets_fast.py', 'tickets_equal.perfloop.py')), 'faster');
      const wrong = await compare(PYTHON, 'tickets.py', 'ticket', 'tickets_wrong.py', 'tickets_equal.perfloop.py');
      assert.equal(wrong.report?.candidates[0]?.verdict, 'incorrect', verdictOf(wrong));
    });

    it('JavaScript: with equal(a, b) in the inputs module, a correct rewrite is faster', async () => {
      assert.equal(verdictOf(await compare(JAVASCRIPT, 'tickets.mjs', 'ticket', 'tickets_fast.mjs', 'tickets_equal.perfloop.mjs')), 'faster');
    });
  });
});
