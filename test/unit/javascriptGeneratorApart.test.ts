/**
 * An LLM-written input generator runs apart from the code under test: one `inputs` process (the original loaded, never a
 * candidate) makes the inputs and writes them as data, and every side's process (outcomes, timing workers) reads them
 * without importing the generator. Real Node, real sandbox.
 * @slow
 */
import { judgedTiming, verdictOf } from '../support/judgedTiming.js';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JavaScriptRunner } from '../../profilers/javascript/javascriptRunner.js';
import { TARGET_EXPORT } from '../../profilers/javascript/javascriptTarget.js';
import type { ExtractedTarget, Program, RunOptions, WorkloadSource } from '../../profilers/runner.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixturePath = (name: string): string => path.join(repoRoot, 'test/fixtures/javascript', name);

const OPTS: RunOptions = { sandbox: 'auto', timeoutMs: 60_000 };
const TIMING = { ...OPTS, samples: 6, sampleSeconds: 0.02 };
const program = (body: string, id = 'candidate'): Program => ({ id, functionName: 'f', source: `${body}\nexport { f as ${TARGET_EXPORT} };\n` });
/** The folders of inputs files the JavaScript runners made (what must not accumulate). */
const inputsDirs = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('perfloop-inputs-')).map((name) => path.join(tmpdir(), name));

async function candidateOf(runner: JavaScriptRunner, target: ExtractedTarget, code: string): Promise<Program> {
  const build = await runner.buildCandidate(target, code, 'candidate');
  assert.ok(build.ok, build.ok ? '' : build.reason);
  return build.program;
}

describe('JavaScript generator apart from the code under test', function () {
  this.timeout(600_000);

  it('an LLM-written generator that slows the original\'s timing worker cannot make an identical candidate faster', async () => {
    // It sees where it runs: its module sits next to the side's program module, and only a timing worker has the
    // channel on fd 4. There it makes the original's sort three times dearer.
    const slowing: WorkloadSource = {
      kind: 'generator',
      origin: 'llm',
      source: `import { fstatSync, readdirSync } from 'node:fs';
let worker = false;
try { fstatSync(4); worker = true; } catch {}
if (worker && readdirSync(new URL('.', import.meta.url)).includes('original.mjs')) {
  const sort = Array.prototype.sort;
  Array.prototype.sort = function (...args) { sort.apply([...this], args); sort.apply([...this], args); return sort.apply(this, args); };
}
export function correctnessInputs() { return [[[3, 1, 2]], [[]], [[5, 5, 4]]]; }
export function sizedInput(n) { return [Array.from({ length: n }, () => Math.floor(Math.random() * 100003))]; }
`,
    };
    const runner = new JavaScriptRunner();
    const original = program('function f(xs) { return [...xs].sort((a, b) => a - b); }', 'original');
    const same = program('function f(xs) { return [...xs].sort((a, b) => a - b); }');
    const summary = await runner.checkWorkload(original, slowing, OPTS);
    assert.equal(summary.generatorBesideCode, undefined);
    assert.equal((await runner.checkEquivalence(original, same, slowing, OPTS)).status, 'equivalent');
    const judged = await judgedTiming(runner, original, same, slowing, false, TIMING);
    assert.notEqual(verdictOf(judged), 'faster', JSON.stringify(judged));
    runner.dispose();
  });

  it('gives each side its own classes for instances the generator built, and keeps no timing seed\'s file', async () => {
    const before = new Set(inputsDirs());
    const runner = new JavaScriptRunner();
    const target = await runner.extractTarget(readFileSync(fixturePath('tree.mjs'), 'utf8'), fixturePath('tree.mjs'), { functionName: 'TreeNode.sum' });
    const trees: WorkloadSource = {
      kind: 'generator',
      origin: 'llm',
      source: `export function correctnessInputs({ TreeNode }) {
  const leaf = (v) => new TreeNode(v);
  const shared = leaf(4);
  return [[new TreeNode(1, [leaf(2), new TreeNode(3, [shared, shared])])], [new TreeNode(7, [leaf(-1)])], [{ value: 5, children: [] }]];
}
export function sizedInput(n, { TreeNode }) {
  const nodes = Array.from({ length: n }, (_, i) => new TreeNode(i % 17));
  for (let i = 1; i < n; i++) nodes[(i - 1) >> 1].children.push(nodes[i]);
  return [nodes[0]];
}`,
      timedSizedN: 5000,
    };
    const original = runner.originalProgram(target);
    // A helper only the candidate's class has: the inputs' nodes must be the candidate's TreeNodes on its side.
    const folded = await candidateOf(
      runner,
      target,
      'class TreeNode {\n  sum() {\n    return this.fold();\n  }\n  fold() {\n    let total = this.value;\n    for (const child of this.children) total += child.fold();\n    return total;\n  }\n}',
    );
    const summary = await runner.checkWorkload(original, trees, OPTS);
    assert.equal(summary.generatorBesideCode, undefined);
    assert.deepEqual(await runner.checkEquivalence(original, folded, trees, OPTS), { status: 'equivalent', inputsChecked: 4 });
    const samples = await runner.measureTime(original, folded, trees, false, TIMING);
    assert.equal(samples.rejection, undefined, samples.rejection);
    assert.ok(samples.original.length > 0 && samples.candidate.length > 0);
    // A memory run reads the same file as the outcomes (the jobs' common seed).
    assert.ok((await runner.measureMemory(folded, trees, OPTS)).peakBytes >= 0);
    // The outcomes' inputs stay for the next candidate; the timing pair's went with it.
    const [dir, ...others] = inputsDirs().filter((d) => !before.has(d));
    assert.ok(dir && existsSync(dir) && others.length === 0, 'one inputs folder was made');
    assert.equal(readdirSync(dir).length, 1, readdirSync(dir).join(', '));
    runner.dispose();
    assert.equal(existsSync(dir), false);
  });

  it('runs a generator whose inputs cannot be data beside the code, says why, and still checks and times', async () => {
    const withComparator: WorkloadSource = {
      kind: 'generator',
      origin: 'llm',
      source: `const byValue = (a, b) => a - b;
export function correctnessInputs() { return [[[3, 1, 2], byValue], [[], byValue]]; }
export function sizedInput(n) { return [Array.from({ length: n }, () => Math.floor(Math.random() * 100003)), byValue]; }
`,
    };
    const before = new Set(inputsDirs());
    const runner = new JavaScriptRunner();
    const original = program('function f(xs, compare) { return [...xs].sort(compare); }', 'original');
    const same = program('function f(xs, compare) { return xs.slice().sort(compare); }');
    const summary = await runner.checkWorkload(original, withComparator, OPTS);
    assert.match(summary.generatorBesideCode ?? '', /cannot be copied as data/);
    assert.equal((await runner.checkEquivalence(original, same, withComparator, OPTS)).status, 'equivalent');
    const samples = await runner.measureTime(original, same, withComparator, false, TIMING);
    assert.equal(samples.rejection, undefined, samples.rejection);
    assert.ok(samples.original.length > 0 && samples.candidate.length > 0);
    assert.deepEqual(inputsDirs().filter((d) => !before.has(d)).flatMap((d) => readdirSync(d)), []);
    runner.dispose();
  });
});
