/**
 * The speed sections of `npm run bench` (bench/speed/): their pure helpers, and both sections run end to end on the
 * tiny tier with the outcome checked for shape only — times depend on the machine, so none is asserted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBench } from '../../bench/run.js';
import { CallRecorder, maxOverlap, meanConcurrency, toolOf, unionLengthMs } from '../../bench/speed/callRecorder.js';
import { defaultParallelCandidates } from '../../optimizer/measurementGate.js';
import { generatedModule, LENS_LANGUAGES, middleEdit, naiveScan } from '../../bench/speed/codeLensTiming.js';
import { describeSpread, formatDuration, spreadOf } from '../../bench/speed/spread.js';
import { markRepetition } from '../../bench/speed/verdictLatency.js';
import { sizedInputsModule } from '../../bench/speed/workloadScaling.js';
import type { BenchResults, Figure, SectionResult } from '../../bench/types.js';

describe('bench speed helpers', () => {
  it('count how many intervals overlap at most and on average', () => {
    const serial = [
      { startMs: 0, endMs: 10 },
      { startMs: 10, endMs: 20 },
    ];
    assert.equal(maxOverlap(serial), 1, 'back-to-back intervals do not overlap');
    assert.equal(maxOverlap([...serial, { startMs: 5, endMs: 15 }]), 2);
    assert.equal(meanConcurrency([...serial, { startMs: 5, endMs: 15 }], 20), 1.5);
    assert.equal(unionLengthMs([...serial, { startMs: 5, endMs: 15 }, { startMs: 30, endMs: 35 }]), 25, 'overlaps count once');
  });

  it('charge runner calls to the candidate whose program they run, even when candidates overlap', async () => {
    const recorder = new CallRecorder();
    const programs = { a: { id: 'a' }, b: { id: 'b' } };
    const runner = recorder.wrapRunner({
      buildCandidate: async (_target: unknown, _code: string, id: 'a' | 'b') => ({ ok: true, program: programs[id] }),
      checkEquivalence: async () => ({ status: 'equivalent', inputsChecked: 1 }),
      countInstructions: async () => undefined,
    } as never);
    recorder.onEvent({ type: 'candidate-start', id: 'a', round: 1 });
    recorder.onEvent({ type: 'candidate-start', id: 'b', round: 1 });
    await runner.buildCandidate({} as never, 'code a', 'a');
    await runner.buildCandidate({} as never, 'code b', 'b');
    await runner.checkEquivalence(programs.a as never, programs.b as never, {} as never, {} as never); // candidate b's check
    recorder.onEvent({ type: 'candidate', candidate: { id: 'b', round: 1, code: '', rationale: '', verdict: 'faster' } });
    await runner.countInstructions(programs.a as never, {} as never, {} as never);
    await runner.countInstructions(programs.b as never, {} as never, {} as never); // after b's verdict: not b's
    assert.deepEqual(
      recorder.calls.map((c) => `${c.method} ${c.phase}`),
      ['buildCandidate candidate:a', 'buildCandidate candidate:b', 'checkEquivalence candidate:b', 'countInstructions candidate:a', 'countInstructions between'],
    );
  });

  it('tell the sandboxed programs apart by their argv', () => {
    assert.equal(toolOf(['/usr/bin/valgrind', '--tool=cachegrind', '/usr/bin/python3', 'h.py']), 'valgrind');
    assert.equal(toolOf(['/usr/bin/g++', '-c', 'a.cpp']), 'compiler');
    assert.equal(toolOf(['/usr/bin/python3', 'harness.py']), 'python');
    assert.equal(toolOf(['/tmp/x/perfloop-harness']), 'native harness');
  });

  it('summarise repeated timings with their spread', () => {
    const spread = spreadOf([0.3, 0.1, 0.2]);
    assert.deepEqual([spread.runs, spread.median, spread.min, spread.max], [3, 0.2, 0.1, 0.3]);
    assert.match(describeSpread(spread), /^p90 \S+ ms, min–max 100 ms–300 ms, 3 runs$/);
    assert.equal(formatDuration(0.00042), '0.42 ms');
    assert.equal(formatDuration(0.0047), '4.7 ms');
  });

  it('make a repeated candidate new text with a comment inside the function', () => {
    const python = markRepetition('def f(x):\n    y = x\n    return y\n', 'bench 2', 'python');
    assert.equal(python, 'def f(x):\n    y = x\n    # bench 2\n    return y\n');
    const cpp = markRepetition('int f(int x) {\n  return x;\n}', 'bench 2', 'cpp');
    assert.equal(cpp, 'int f(int x) {\n  return x;\n// bench 2\n}\n');
  });

  it('resize the duplicates inputs module’s timed input', () => {
    const example = readFileSync(path.join(process.cwd(), 'examples/python/duplicates.perfloop.py'), 'utf8');
    const sized = sizedInputsModule(example, 500);
    assert.match(sized, /yield sized_input\(500\)/);
    assert.doesNotMatch(sized, /yield sized_input\(2000\)/);
    assert.throws(() => sizedInputsModule('def performance_inputs():\n    yield [[1]]\n', 9), /no longer has/);
  });

  it('generate modules of the asked length whose functions the naive scan finds, and edit their middle', () => {
    for (const language of LENS_LANGUAGES) {
      const { text, functions } = generatedModule(language, 1000);
      const lines = text.split('\n').length;
      assert.ok(lines <= 1000 && lines > 980, `${language}: ${lines} lines`);
      assert.equal(naiveScan(language, text).length, functions, language);
      const { change, edited } = middleEdit(text);
      assert.equal(edited.length, text.length + 1);
      assert.equal(edited.split('\n')[change.range.start.line]?.[change.range.start.character], 'x', language);
    }
    assert.deepEqual(naiveScan('python', 'x = 1\ndef a():\n    pass\n\n\ndef b():\n    def inner():\n        pass\n'), [1, 5, 6]);
  });
});

function assertWellFormedFigure(figure: Figure, where: string): void {
  assert.ok(figure.name.length > 0, `${where}: a figure without a name`);
  assert.ok(figure.perfloop.value === null || Number.isFinite(figure.perfloop.value), `${where} ${figure.name}: value ${figure.perfloop.value}`);
  assert.ok(figure.perfloop.display.length > 0, `${where} ${figure.name}: empty display`);
  for (const baseline of figure.baselines ?? []) {
    assert.ok(baseline.method.length > 0 && baseline.display.length > 0, `${where} ${figure.name}: baseline ${JSON.stringify(baseline)}`);
    assert.ok(baseline.value === null || Number.isFinite(baseline.value));
  }
  if (figure.target) {
    assert.equal(typeof figure.target.met, 'boolean');
    assert.notEqual(figure.perfloop.value, null, `${where} ${figure.name}: a target on a figure that was not measured`);
  }
}

function section(results: BenchResults, id: string): SectionResult {
  const found = results.sections.find((s) => s.id === id);
  assert.ok(found, `no ${id} section in the results`);
  assert.equal(found.error, undefined, `${id} failed: ${found.error}`);
  assert.ok(found.figures.length > 0, `${id} has no figures`);
  for (const figure of found.figures) assertWellFormedFigure(figure, id);
  for (const table of found.tables ?? []) {
    for (const row of table.rows) assert.equal(row.length, table.columns.length, `${id}: a row of "${table.title}" does not match its columns`);
  }
  assert.ok((found.notes ?? []).every((note) => typeof note === 'string' && note.length > 0));
  return found;
}

describe('bench speed sections on the tiny tier @slow', function () {
  this.timeout(300_000);
  let out: string;
  let results: BenchResults;
  before(async () => {
    out = mkdtempSync(path.join(os.tmpdir(), 'perfloop-bench-speed-test-'));
    results = await runBench({ tier: 'tiny', only: ['tool-speed', 'extension-overhead'], outDir: out, dataDir: out, log: () => {} });
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('measures the tool: a verdict split by stage, a scripted run, growth with size, parallelism', () => {
    const speed = section(results, 'tool-speed');
    const names = speed.figures.map((f) => f.name);
    assert.ok(names.some((n) => /Verdict latency per candidate, Python/.test(n)), names.join('\n'));
    assert.ok(names.some((n) => /Scripted optimization run.*excluding LLM latency/.test(n)));
    assert.ok(names.some((n) => /growth with workload size/.test(n)));
    // The tiny script has 2 candidates in its one round: both in flight at once wherever there are 2 cores.
    const parallel = speed.figures.find((f) => /measured at once/.test(f.name));
    assert.equal(parallel?.perfloop.value, Math.min(2, defaultParallelCandidates(os.availableParallelism())));
    const overlaps = speed.figures.find((f) => /timing runs that overlapped/.test(f.name));
    assert.equal(overlaps?.perfloop.value, 0, 'no timing run shared the machine');
    assert.equal(overlaps?.target?.met, true);
    const scripted = speed.figures.find((f) => /Scripted optimization run/.test(f.name));
    assert.ok(scripted?.baselines?.some((b) => /one candidate after another/.test(b.method) && (b.value ?? 0) > 0), 'the one-after-another baseline ran');
    const python = speed.figures.find((f) => /Verdict latency per candidate, Python/.test(f.name));
    assert.ok(python?.perfloop.value !== null && (python?.perfloop.value ?? 0) > 0);
    const stages = speed.tables?.find((t) => /by stage/.test(t.title));
    assert.deepEqual(stages?.columns.slice(3, 8), ['build', 'equivalence', 'timing', 'memory', 'instructions']);
  });

  it('measures the extension: activation, CodeLens per language, bundle size', () => {
    const overhead = section(results, 'extension-overhead');
    const names = overhead.figures.map((f) => f.name);
    assert.ok(names.some((n) => /stand-in `vscode` module \(NOT VS Code\)/.test(n)), names.join('\n'));
    for (const language of ['Python', 'JavaScript', 'TypeScript', 'C\\+\\+']) {
      assert.ok(names.some((n) => new RegExp(`CodeLens function index, ${language} file`).test(n)), `no CodeLens figure for ${language}`);
    }
    const real = overhead.figures.find((f) => /real VS Code/.test(f.name));
    assert.equal(real?.perfloop.value, null, 'the tiny tier starts no VS Code');
    assert.ok(overhead.notes?.some((n) => /not VS Code/.test(n)), 'the note says the stand-in is not VS Code');
  });

  it('writes both sections into latest.json and latest.md', () => {
    const written = JSON.parse(readFileSync(path.join(out, 'latest.json'), 'utf8')) as BenchResults;
    assert.deepEqual(written.sections.map((s) => s.id), ['tool-speed', 'extension-overhead']);
    const markdown = readFileSync(path.join(out, 'latest.md'), 'utf8');
    assert.match(markdown, /## Speed of the tool itself/);
    assert.match(markdown, /## The extension's overhead in VS Code/);
  });
});
