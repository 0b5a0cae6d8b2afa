/**
 * TypeScript and JavaScript functions in real projects, end to end with the real runner and sandbox: imports resolve
 * as the project's compiler resolves them (sibling `.ts` files in every spelling, tsconfig `paths`, packages), a
 * syntax error is claimed only when the compiler agrees, and inputs modules are found in any of the language's
 * extensions.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../cli/main.js';
import { parseCandidates } from '../../optimizer/replyParser.js';
import type { OptimizationReport } from '../../optimizer/types.js';
import { findWorkloadNextTo, readWorkloadFile } from '../../optimizer/workloadFile.js';
import { runJavaScriptHarness } from '../../profilers/javascript/harnessProcess.js';
import { JavaScriptRunner } from '../../profilers/javascript/javascriptRunner.js';
import type { RunOptions, WorkloadSource } from '../../profilers/runner.js';
import { RunnerError } from '../../profilers/runner.js';
import { estimatePairedSpeedup } from '../../profilers/stats/speedup.js';
import { fakeReplies, startFakeLlmServer } from '../support/fakeLlmServer.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const shop = path.join(repoRoot, 'examples/projects/typescript/src/orders');
const OPTS: RunOptions = { sandbox: 'auto', timeoutMs: 30_000 };

/** A throwaway project under the temporary directory (which the sandbox hides: it must still load). */
function project(files: Record<string, string>): { dir: string; file: (relative: string) => string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'perfloop-ts-project-'));
  for (const [relative, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    writeFileSync(path.join(dir, relative), text);
  }
  return { dir, file: (relative) => path.join(dir, relative) };
}

describe('TypeScript and JavaScript projects', function () {
  this.timeout(300_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('runs the example shop: NodeNext `.js` imports of sibling .ts files, a paths alias, zod types; the rewrite is faster', async () => {
    const runner = new JavaScriptRunner({ dialect: 'typescript' });
    const file = path.join(shop, 'report.ts');
    const target = await runner.extractTarget(readFileSync(file, 'utf8'), file, { functionName: 'topCustomers' });
    const fastFile = path.join(shop, 'report_fast.ts');
    const fast = await runner.extractTarget(readFileSync(fastFile, 'utf8'), fastFile, { functionName: 'topCustomers' });
    const build = await runner.buildCandidate(target, `${fast.contextSource}\n\n${fast.functionSource}\n`, 'fast');
    assert.ok(build.ok, build.ok ? '' : build.reason);
    const inputs = findWorkloadNextTo(file);
    assert.equal(inputs, path.join(shop, 'report.perfloop.ts'));
    const workload = readWorkloadFile(inputs);
    const original = runner.originalProgram(target);
    assert.deepEqual(await runner.checkEquivalence(original, build.program, workload, OPTS), { status: 'equivalent', inputsChecked: 8 });
    const samples = await runner.measureTime(original, build.program, workload, false, { ...OPTS, samples: 12, sampleSeconds: 0.05 });
    const estimate = estimatePairedSpeedup(samples.original, samples.candidate);
    assert.equal(estimate.verdict, 'faster', JSON.stringify(estimate));
  });

  it('optimize (CLI) on the example shop: against an OpenAI-compatible endpoint replying with the known rewrite, the run completes and judges it faster', async () => {
    const file = path.join(shop, 'report.ts');
    const before = readFileSync(file, 'utf8');
    const rewrite = readFileSync(path.join(shop, 'report_fast.ts'), 'utf8');
    const llm = await startFakeLlmServer([fakeReplies.text(`### Candidate 1: a Map and one stable sort\n\`\`\`ts\n${rewrite}\`\`\`\n`)]);
    const dir = mkdtempSync(path.join(tmpdir(), 'perfloop-ts-optimize-'));
    dirs.push(dir);
    try {
      const json = path.join(dir, 'report.json');
      let stderr = '';
      // No --apply: the example stays as it is (its zod resolves only from where it lives, so it is not copied).
      const code = await runCli(
        ['optimize', file, '--function', 'topCustomers', '--rounds', '1', '--candidates', '1', '--counters', 'time', '--json', json],
        { stdout: () => undefined, stderr: (t) => (stderr += t), env: { PERFLOOP_SAMPLES: '12', PERFLOOP_BASE_URL: llm.baseURL, PERFLOOP_MODEL: 'fake-model' } },
      );
      assert.equal(code, 0, stderr);
      assert.equal(llm.chatRequests.length, 1, 'the inputs module next to the code is used; no generator is asked for');
      const report = JSON.parse(readFileSync(json, 'utf8')) as OptimizationReport;
      assert.deepEqual(report.candidates.map((c) => c.verdict), ['faster'], report.candidates[0]?.reason);
      assert.equal(report.best?.candidateId, report.candidates[0]?.id);
      assert.equal(readFileSync(file, 'utf8'), before);
    } finally {
      await llm.close();
    }
  });

  it('resolves every import spelling the compiler accepts, from the original and from a candidate alike, with and without the hooks', async () => {
    const p = project({
      'package.json': JSON.stringify({ name: 'app', type: 'module' }),
      // `paths` in the extended file, as monorepos keep them.
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } } }),
      'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { moduleResolution: 'bundler', allowImportingTsExtensions: true, noEmit: true } }),
      'src/helpers.ts': "import { one } from './units.js';\nexport const double = (n: number): number => 2 * n * one;\n",
      'src/units.ts': 'export const one: number = 1;\n',
      'src/shapes/index.ts': 'export const square = (n: number): number => n * n;\n',
      'src/lib/offset.ts': 'export const offset = 3;\n',
      'src/plain.js': 'export const half = (n) => n / 2;\n',
      'src/app.ts': [
        "import type { Schema } from 'some-package-that-is-not-installed';",
        "import { double } from './helpers';",
        "import { double as twice } from './helpers.js';",
        "import { double as times2 } from './helpers.ts';",
        "import { square } from './shapes';",
        "import { offset } from '@lib/offset.js';",
        "import { half } from './plain';",
        'export function score(xs: number[], schema?: Schema): number {',
        '  let total = 0;',
        '  for (const x of xs) total += double(x) + twice(x) + times2(x) + square(x) + offset + half(x);',
        '  return total;',
        '}',
        '',
      ].join('\n'),
    });
    dirs.push(p.dir);
    const runner = new JavaScriptRunner({ dialect: 'typescript' });
    const file = p.file('src/app.ts');
    const target = await runner.extractTarget(readFileSync(file, 'utf8'), file, { functionName: 'score' });
    const workload: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[[1, 2, 3]], [[]]], performance: [[[4, 5]]] };
    const original = runner.originalProgram(target);
    for (const anchorImports of [false, true]) {
      const run = await runJavaScriptHarness({
        node: process.execPath, mode: 'workload', job: {}, timeoutMs: 30_000, sandbox: OPTS.sandbox, anchorImports, workload,
        programs: { original: { program: original, filePath: file } },
      });
      assert.equal(run.result?.ok, true, `anchorImports ${anchorImports}: ${JSON.stringify(run.result ?? run.sandbox.stderr)}`);
    }
    // A reply spelling its imports otherwise (NodeNext, the directory's index file) resolves to the same modules.
    const reply = [
      "import { double } from './helpers.js';",
      "import { square } from './shapes/index.js';",
      "import { offset } from '@lib/offset';",
      "import { half } from './plain.js';",
      'export function score(xs: number[], schema?: unknown): number {',
      '  return xs.reduce((total, x) => total + 3 * double(x) + square(x) + offset + half(x), 0);',
      '}',
    ].join('\n');
    const build = await runner.buildCandidate(target, reply, 'reply');
    assert.ok(build.ok, build.ok ? '' : build.reason);
    assert.deepEqual(await runner.checkEquivalence(original, build.program, workload, OPTS), { status: 'equivalent', inputsChecked: 3 });
  });

  it('claims a syntax error only when the compiler agrees: `i < unique.length` is valid TypeScript', async () => {
    const runner = new JavaScriptRunner({ dialect: 'typescript' });
    const valid = [
      'export function distinct(xs: number[]): number {',
      '  const unique: number[] = [];',
      '  for (const x of xs) if (!unique.includes(x)) unique.push(x);',
      '  let n = 0;',
      '  for (let i = 0; i < unique.length; i++) n++;',
      '  return n;',
      '}',
      '',
    ].join('\n');
    const target = await runner.extractTarget(valid, '/project/distinct.ts', { functionName: 'distinct' });
    const build = await runner.buildCandidate(target, valid.replace('let n = 0;', 'let n = 0; // counted'), 'same');
    assert.ok(build.ok, build.ok ? '' : build.reason);
    const workload: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[[1, 2, 2, 3]], [[]]], performance: [] };
    assert.deepEqual(await runner.checkEquivalence(runner.originalProgram(target), build.program, workload, OPTS), { status: 'equivalent', inputsChecked: 2 });
    // A real syntax error is still refused, with its line.
    const broken = valid.replace('n++;', 'n++ +;');
    await assert.rejects(runner.extractTarget(broken, '/project/distinct.ts', { functionName: 'distinct' }), (e: unknown) =>
      e instanceof RunnerError && /distinct\.ts:5: syntax error in `distinct`/.test(e.message));
    const bad = await runner.buildCandidate(target, broken, 'broken');
    assert.ok(!bad.ok && /does not parse as TypeScript/.test(bad.reason));
  });

  it('takes CommonJS functions and replies (`exports.f = function …`) in optimize and compare alike; Apply keeps the export', async () => {
    const p = project({
      'package.json': JSON.stringify({ name: 'legacy' }),
      'weights.js': 'exports.weight = (s) => s.length;\n',
      'legacy.js': "const { weight } = require('./weights');\n\nexports.heaviest = function (xs) {\n  return xs.slice().sort((a, b) => weight(b) - weight(a))[0];\n};\n",
    });
    dirs.push(p.dir);
    const runner = new JavaScriptRunner();
    const file = p.file('legacy.js');
    const target = await runner.extractTarget(readFileSync(file, 'utf8'), file, { functionName: 'heaviest' });
    const replyCode = "const { weight } = require('./weights');\n\nexports.heaviest = (xs) => {\n  let best;\n  for (const x of xs) if (best === undefined || weight(x) > weight(best)) best = x;\n  return best;\n};\n";
    // optimize: the reply as the parser hands it over.
    const parsed = parseCandidates(`### Candidate 1: one pass\n\`\`\`js\n${replyCode}\`\`\`\n`, { functionName: 'heaviest', language: 'javascript', maxCandidates: 2 });
    assert.deepEqual(parsed.failures, []);
    // compare: the same code as a candidate file.
    const fromFile = await runner.extractTarget(replyCode, p.file('legacy_fast.js'), { functionName: 'heaviest' });
    const workload: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[['a', 'bbb', 'cc']], [['x']], [[]]], performance: [] };
    for (const code of [parsed.candidates[0]?.code ?? '', `${fromFile.contextSource}\n\n${fromFile.functionSource}\n`]) {
      const build = await runner.buildCandidate(target, code, 'reply');
      assert.ok(build.ok, build.ok ? '' : build.reason);
      assert.deepEqual(await runner.checkEquivalence(runner.originalProgram(target), build.program, workload, OPTS), { status: 'equivalent', inputsChecked: 3 });
      assert.match(await runner.applyCandidate(target, code), /^exports\.heaviest = \(xs\) => \{\n {2}let best;/m);
    }
  });

  it('finds inputs modules next to the code in any of the language\'s extensions, and loads CommonJS ones', async () => {
    const p = project({
      'package.json': JSON.stringify({ name: 'legacy' }),
      'weights.js': 'exports.weight = (s) => s.length;\n',
      'legacy.js': "const { weight } = require('./weights');\n\nfunction heaviest(xs) {\n  return xs.slice().sort((a, b) => weight(b) - weight(a))[0];\n}\n\nmodule.exports = { heaviest };\n",
      'legacy.perfloop.cjs': "const { weight } = require('./weights');\n\nfunction correctnessInputs() {\n  return [[['a', 'bbb', 'cc']], [['x']]].filter((args) => weight(args[0][0]) > 0);\n}\n\nmodule.exports = { correctnessInputs };\n",
      'other.js': 'function f(x) { return x; }\n',
      'other.perfloop.ts': 'export function correctnessInputs(): number[][] { return [[1]]; }\n',
      'third.ts': 'export function f(x: number) { return x; }\n',
      'third.perfloop.mjs': 'export function correctnessInputs() { return [[1]]; }\n',
    });
    dirs.push(p.dir);
    assert.equal(findWorkloadNextTo(p.file('legacy.js')), p.file('legacy.perfloop.cjs'));
    assert.equal(findWorkloadNextTo(p.file('other.js')), p.file('other.perfloop.ts'));
    assert.equal(findWorkloadNextTo(p.file('third.ts')), p.file('third.perfloop.mjs'));
    const runner = new JavaScriptRunner();
    const file = p.file('legacy.js');
    const target = await runner.extractTarget(readFileSync(file, 'utf8'), file, { functionName: 'heaviest' });
    const summary = await runner.checkWorkload(runner.originalProgram(target), readWorkloadFile(p.file('legacy.perfloop.cjs')), OPTS);
    assert.equal(summary.correctnessCount, 2);
  });
});
