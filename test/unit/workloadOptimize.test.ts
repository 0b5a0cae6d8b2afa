/**
 * `perfloop optimize --workload "COMMAND"`: the example project's command profiled, its two hot functions optimized on
 * their captured inputs (the real `openai` client against a local scripted server), the winners combined, gated by the
 * project's tests, and the whole command timed before and after. Real Python, real sandbox. @slow
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../cli/main.js';
import { amdahlPrediction, chooseHotspots, commandArgv } from '../../optimizer/workloadOptimize.js';
import type { Hotspot } from '../../profilers/hotspots/types.js';
import { findResource } from '../../profilers/resources.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fakeLlmServer.js';
import { FAST_DUPLICATES, FAST_PERCENTILES, repliesByFunction } from '../support/workloadFixes.js';

const PYTHON = process.env.PERFLOOP_TEST_PYTHON ?? 'python3';

/** Right on every list, but it reads `records` twice: a stream of records (the project's own test) gets nothing. */
const TWO_PASS_DUPLICATES =
  'def duplicate_skus(records):\n    """SKUs that appear more than once, in the order their second appearance is met."""\n' +
  '    counts = {}\n    for record in records:\n        counts[record.sku] = counts.get(record.sku, 0) + 1\n' +
  '    duplicates, reported, seen = [], set(), set()\n    for record in records:\n        sku = record.sku\n' +
  '        if counts[sku] > 1 and sku in seen and sku not in reported:\n            duplicates.append(sku)\n            reported.add(sku)\n' +
  '        seen.add(sku)\n    return duplicates\n';

const STREAM_TEST =
  'import unittest\n\nfrom inventory.cleaning import duplicate_skus\nfrom inventory.records import Record\n\n\n' +
  'class StreamTest(unittest.TestCase):\n    def test_records_read_once(self):\n' +
  '        rows = [Record("A", "w", 1, 1.0), Record("B", "w", 1, 1.0), Record("A", "x", 2, 1.0)]\n' +
  '        self.assertEqual(duplicate_skus(iter(rows)), ["A"])\n';

describe('optimize --workload: hot spots optimized on their captured inputs, the combined patch timed end to end @slow', function () {
  this.timeout(900_000);
  let llm: FakeLlmServer | undefined;
  const roots: string[] = [];
  afterEach(async () => {
    await llm?.close();
    llm = undefined;
  });
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  function exampleCopy(): string {
    const root = mkdtempSync(path.join(tmpdir(), 'perfloop-workload-'));
    roots.push(root);
    cpSync(findResource('examples/workloads/python'), root, { recursive: true });
    return root;
  }

  async function cli(root: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const env = { ...process.env, PERFLOOP_BASE_URL: llm?.baseURL, PERFLOOP_MODEL: 'fake-model', PERFLOOP_API_KEY: 'sk-test' };
      const code = await runCli(['optimize', ...args], { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env });
      return { code, out: out.join(''), err: err.join('') };
    } finally {
      process.chdir(cwd);
    }
  }

  it('optimizes the two hot functions, applies both together when the whole command is faster and the tests pass', async () => {
    const root = exampleCopy();
    llm = await startFakeLlmServer(repliesByFunction({ price_percentiles: FAST_PERCENTILES, duplicate_skus: FAST_DUPLICATES }));
    const json = path.join(root, 'report.json');
    const { code, out, err } = await cli(root, [
      '--workload', `${PYTHON} run_workload.py`, '--top', '2', '--test-command', `${PYTHON} -m unittest -q`,
      '--rounds', '1', '--candidates', '1', '--counters', 'time', '--json', json, '--apply',
    ]);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(code, 0, `${out}\n${err}`);
    assert.deepEqual(report.functions.map((f: { function: string }) => f.function).sort(), ['duplicate_skus', 'price_percentiles']);
    for (const f of report.functions) {
      assert.equal(f.applied, true, JSON.stringify(f.error ?? f.report?.error));
      assert.equal(f.report.workload.origin, 'captured', 'each function ran on the inputs captured from the command');
    }
    assert.equal(report.tests.passed, true);
    assert.equal(report.endToEnd.verdict, 'faster', JSON.stringify(report.endToEnd));
    assert.ok(report.endToEnd.ci[0] > 1 && report.endToEnd.runsEach >= 10);
    assert.ok(report.endToEnd.predicted > 1);
    assert.match(out, /^End to end: `.*run_workload\.py` faster: \d+\.\d{3}× \[/);
    assert.equal(report.applied, true);
    assert.match(readFileSync(path.join(root, 'inventory', 'cleaning.py'), 'utf8'), /seen, reported, duplicates = set\(\), set\(\), \[\]/);
    assert.match(readFileSync(path.join(root, 'inventory', 'pricing.py'), 'utf8'), /prices = sorted\(r\.unit_price for r in records\)\n    out = \[\]/);
    assert.match(err, /Applied the combined patch/);
  });

  it('keeps a combined patch the project’s tests reject: not timed, not applied, and says why', async () => {
    const root = exampleCopy();
    writeFileSync(path.join(root, 'tests', 'test_streams.py'), STREAM_TEST);
    const before = readFileSync(path.join(root, 'inventory', 'cleaning.py'), 'utf8');
    llm = await startFakeLlmServer(repliesByFunction({ duplicate_skus: TWO_PASS_DUPLICATES }));
    const json = path.join(root, 'report.json');
    const { code, out } = await cli(root, [
      '--workload', `${PYTHON} run_workload.py`, '--top', '2', '--test-command', `${PYTHON} -m unittest -q`,
      '--rounds', '1', '--candidates', '1', '--counters', 'time', '--json', json, '--apply',
    ]);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(code, 1);
    const duplicates = report.functions.find((f: { function: string }) => f.function === 'duplicate_skus');
    assert.equal(duplicates?.report?.outcome, 'improved', 'on the captured lists the two-pass version is right and faster');
    assert.equal(report.tests.passed, false);
    assert.match(report.tests.reason, /test_records_read_once/);
    assert.equal(report.endToEnd, undefined);
    assert.equal(report.applied, false);
    assert.equal(readFileSync(path.join(root, 'inventory', 'cleaning.py'), 'utf8'), before);
    assert.match(out, /FAILED/);
  });

  it('reads a command as words, or through the shell when it uses the shell', () => {
    assert.deepEqual(commandArgv('python3 run.py --size "big one"'), ['python3', 'run.py', '--size', 'big one']);
    assert.deepEqual(commandArgv('make data && python3 run.py'), ['/bin/sh', '-c', 'make data && python3 run.py']);
  });

  it('chooses the top hot spots at the minimum share, and predicts the whole command from their shares (Amdahl)', () => {
    const h = (name: string, selfShare: number): Hotspot => ({ language: 'python', function: name, file: 'm.py', line: 1, selfShare, inclusiveShare: selfShare });
    assert.deepEqual(chooseHotspots([h('a', 0.5), h('b', 0.2), h('c', 0.04), h('d', 0.01)], 3, 0.05).map((x) => x.function), ['a', 'b']);
    assert.equal(amdahlPrediction([]), 1);
    // Half the time made twice as fast: 1 / (1 - 0.25).
    assert.ok(Math.abs(amdahlPrediction([{ inclusiveShare: 0.5, speedup: 2 }]) - 4 / 3) < 1e-9);
    assert.ok(Math.abs(amdahlPrediction([{ inclusiveShare: 0.3, speedup: 1e9 }, { inclusiveShare: 0.2, speedup: 1e9 }]) - 2) < 1e-6);
  });
});
