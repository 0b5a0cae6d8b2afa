/**
 * Methods as Python targets: extraction (the class goes with the method), candidates written as the class or the bare
 * method, applying them to the file, and runs where the receiver must be an instance of each side's own class.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PythonRunner } from '../../profilers/python/pythonRunner.js';
import { applyPythonCandidate, buildPythonCandidate, extractPythonTarget, originalPythonProgram } from '../../profilers/python/pythonTarget.js';
import type { ExtractedTarget, Program, RunOptions, WorkloadSource } from '../../profilers/runner.js';
import { RunnerError } from '../../profilers/runner.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CART_PATH = path.join(repoRoot, 'test/fixtures/python/methods/cart.py');
const CART = readFileSync(CART_PATH, 'utf8');
const WORKLOAD: WorkloadSource = { kind: 'module', origin: 'user', path: path.join(repoRoot, 'test/fixtures/python/methods/cart.perfloop.py') };
const IMPORTING_WORKLOAD: WorkloadSource = {
  kind: 'module',
  origin: 'user',
  path: path.join(repoRoot, 'test/fixtures/python/methods/cart_imported.perfloop.py'),
};
const OPTS: RunOptions = { sandbox: 'auto', timeoutMs: 30_000 };
const lines = (...text: string[]): string => text.join('\n');

async function target(name = 'Cart.distinct_skus'): Promise<ExtractedTarget> {
  return extractPythonTarget(CART, CART_PATH, { functionName: name });
}

async function candidate(code: string): Promise<Program> {
  const built = await buildPythonCandidate(await target(), code, 'candidate');
  if (!built.ok) assert.fail(`the candidate did not build: ${built.reason}`);
  return built.program;
}

const FAST_CLASS = lines(
  'class Cart:',
  '    def distinct_skus(self):',
  '        seen = {}',
  '        for line in self.lines:',
  '            seen.setdefault(line.sku, None)',
  '        self.scanned += len(self.lines)',
  '        return list(seen)',
);

describe('Python methods', function () {
  this.timeout(120_000);

  describe('extraction', () => {
    it('takes the method with its class and what the class needs; the prompt context leaves the method out', async () => {
      const t = await target();
      assert.equal(t.functionName, 'Cart.distinct_skus');
      assert.deepEqual(t.method && { ...t.method, programContext: undefined }, {
        className: 'Cart',
        name: 'distinct_skus',
        isStatic: false,
        programContext: undefined,
      });
      assert.deepEqual(t.parameters, ['self']);
      assert.match(t.functionSource, /^def distinct_skus\(self\):\n {4}seen = \[\]/);
      assert.equal(CART.slice(t.startOffset, t.endOffset).split('\n')[0], 'def distinct_skus(self):');
      // The class and everything it uses (Line is not used by Cart's own code, only by of_skus: it is).
      for (const needed of ['import math', 'TAX = 0.2', 'def rounded', 'class Line', 'class Cart']) {
        assert.ok(t.method?.programContext.includes(needed), needed);
        assert.ok(t.contextSource.includes(needed), needed);
      }
      assert.ok(!t.method?.programContext.includes('__main__'));
      assert.ok(t.method?.programContext.includes('if line.sku not in seen:'));
      assert.ok(!t.contextSource.includes('if line.sku not in seen:'));
      assert.match(t.contextSource, /# distinct_skus\(self\): the method being optimized/);
      assert.equal(originalPythonProgram(t).functionName, 'Cart.distinct_skus');
    });

    it('finds a method by a line inside it, and by its bare name', async () => {
      const line = CART.split('\n').findIndex((l) => l.includes('seen.append')) + 1;
      assert.equal((await extractPythonTarget(CART, CART_PATH, { lines: { start: line, end: line } })).functionName, 'Cart.distinct_skus');
      assert.equal((await extractPythonTarget(CART, CART_PATH, { functionName: 'total' })).functionName, 'Cart.total');
    });

    it('treats static and class methods as called without a receiver, and refuses properties', async () => {
      const clamp = await target('Cart.clamp');
      assert.equal(clamp.method?.isStatic, true);
      assert.deepEqual(clamp.parameters, ['x', 'low', 'high']);
      const ofSkus = await target('Cart.of_skus');
      assert.equal(ofSkus.method?.isStatic, true);
      assert.deepEqual(ofSkus.parameters, ['skus']);
      await assert.rejects(target('Cart.size'), (e: unknown) => e instanceof RunnerError && /is a property/.test(e.message));
    });
  });

  describe('candidates', () => {
    it('accepts the class with only the method, the bare method, and new helper methods', async () => {
      const fromClass = await candidate(FAST_CLASS);
      assert.match(fromClass.source, /seen = \{\}/);
      assert.match(fromClass.source, /def add\(self, line\):/, 'the other members stay');
      assert.doesNotMatch(fromClass.source, /not in seen/);
      const bare = await candidate(FAST_CLASS.split('\n').slice(1).join('\n'));
      assert.equal(bare.source, fromClass.source);
      const withHelper = await candidate(
        lines(
          'import itertools',
          '',
          'def first(xs):',
          '    return next(iter(xs))',
          '',
          'class Cart:',
          '    """Lines in the order they were added."""',
          '    def add(self, line):',
          '        self.lines.append(line)',
          '',
          '    def distinct_skus(self):',
          '        self.scanned += len(self.lines)',
          '        return self._unique()',
          '',
          '    def _unique(self):',
          '        return list(dict.fromkeys(line.sku for line in self.lines))',
        ),
      );
      assert.match(withHelper.source, /^import itertools/);
      assert.match(withHelper.source, /def first\(xs\):[\s\S]*class Cart:/);
      assert.match(withHelper.source, /return self\._unique\(\)\n\n {4}def _unique\(self\):\n {8}return list/);
    });

    it('refuses a candidate that changes another member, the signature or the binding, with the reason', async () => {
      const t = await target();
      const changed = await buildPythonCandidate(t, lines(FAST_CLASS, '', '    def add(self, line):', '        self.lines.insert(0, line)'), 'c');
      assert.equal(changed.ok, false);
      assert.match(!changed.ok ? changed.reason : '', /changes `Cart\.add`; only `Cart\.distinct_skus` may change/);
      const attribute = await buildPythonCandidate(t, lines('class Cart:', '    currency = "USD"', FAST_CLASS.split('\n').slice(1).join('\n')), 'c');
      assert.match(!attribute.ok ? attribute.reason : '', /changes the class body of `Cart`/);
      const signature = await buildPythonCandidate(t, FAST_CLASS.replace('(self)', '(self, limit=None)'), 'c');
      assert.match(!signature.ok ? signature.reason : '', /changes the signature/);
      const binding = await buildPythonCandidate(t, FAST_CLASS.replace('    def distinct', '    @staticmethod\n    def distinct'), 'c');
      assert.match(!binding.ok ? binding.reason : '', /changes how `Cart\.distinct_skus` is bound/);
      const missing = await buildPythonCandidate(t, 'def other(self):\n    return 1', 'c');
      assert.match(!missing.ok ? missing.reason : '', /defines neither `class Cart` with `def distinct_skus`/);
    });

    it('applies the method in place, keeping the class indentation, with helpers and imports where they belong', async () => {
      const t = await target();
      const applied = await applyPythonCandidate(
        t,
        lines('import itertools', '', 'def first(xs):', '    return xs[0]', '', FAST_CLASS, '', '    def _spare(self):', '        return 0'),
      );
      assert.ok(applied.startsWith('"""A shopping cart'));
      assert.match(applied, /^import math\nimport itertools\n/m);
      assert.match(applied, /def first\(xs\):\n {4}return xs\[0\]\n\n\nclass Cart:/);
      assert.match(applied, / {4}def distinct_skus\(self\):\n {8}seen = \{\}\n {8}for line in self\.lines:\n {12}seen\.setdefault/);
      assert.match(applied, /return list\(seen\)\n\n {4}def _spare\(self\):\n {8}return 0\n\n {4}def total\(self\):/);
      assert.ok(applied.includes('if __name__ == "__main__":'));
    });
  });

  describe('runs', () => {
    const runner = new PythonRunner();

    it('checks a correct rewrite equivalent and catches one that leaves the receiver in another state', async () => {
      const t = await target();
      const original = originalPythonProgram(t);
      const summary = await runner.checkWorkload(original, WORKLOAD, OPTS);
      assert.ok(summary.originalMutatesArguments, 'distinct_skus counts what it scanned on the receiver');
      assert.deepEqual(await runner.checkEquivalence(original, await candidate(FAST_CLASS), WORKLOAD, OPTS), {
        status: 'equivalent',
        inputsChecked: summary.correctnessCount + summary.performanceCount,
      });
      const forgetful = await runner.checkEquivalence(original, await candidate(FAST_CLASS.replace('        self.scanned += len(self.lines)\n', '')), WORKLOAD, OPTS);
      assert.equal(forgetful.status, 'different');
      assert.equal(forgetful.status === 'different' ? forgetful.counterexample.kind : '', 'mutation');
      const reordered = await runner.checkEquivalence(original, await candidate(FAST_CLASS.replace('list(seen)', 'sorted(seen)')), WORKLOAD, OPTS);
      assert.equal(reordered.status === 'different' ? reordered.counterexample.kind : reordered.status, 'return');
    });

    it("calls the candidate's own helper methods on receivers built by a workload that imports the user's module", async () => {
      const t = await target();
      const withHelper = await candidate(
        lines('class Cart:', '    def distinct_skus(self):', '        self.scanned += len(self.lines)', '        return self._unique()', '',
          '    def _unique(self):', '        return list(dict.fromkeys(line.sku for line in self.lines))'),
      );
      for (const workload of [WORKLOAD, IMPORTING_WORKLOAD]) {
        const result = await runner.checkEquivalence(originalPythonProgram(t), withHelper, workload, OPTS);
        assert.equal(result.status, 'equivalent', JSON.stringify(result));
      }
    });

    it('times the rewrite against the original and counts a static method without a receiver', async () => {
      const t = await target();
      const samples = await runner.measureTime(originalPythonProgram(t), await candidate(FAST_CLASS), WORKLOAD, true, {
        ...OPTS,
        samples: 5,
        sampleSeconds: 0.02,
      });
      assert.equal(samples.original.length, 5);
      assert.ok(samples.original.every((s) => s > 0) && samples.candidate.every((s) => s > 0));
      const clamp = await target('Cart.clamp');
      const inputs: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[5, 1, 3], [0, 1, 3], [2, 1, 3]], performance: [] };
      const wrongClamp = await buildPythonCandidate(clamp, 'class Cart:\n    @staticmethod\n    def clamp(x, low, high):\n        return min(high, x)', 'c');
      assert.ok(wrongClamp.ok);
      const result = await runner.checkEquivalence(originalPythonProgram(clamp), wrongClamp.program, inputs, OPTS);
      assert.equal(result.status === 'different' ? result.counterexample.input : result.status, '(0, 1, 3)');
    });
  });
});
