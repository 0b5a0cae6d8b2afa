/**
 * `perfloop profile`: the user's command run as it is and under the workload profilers, their project's functions ranked
 * by where the time went. Real Python processes, real projects (examples/workloads/python and made-up ones on disk).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../cli/main.js';
import { compareCandidate } from '../../optimizer/compare.js';
import { OpenAICompatibleProvider } from '../../optimizer/llm/openaiProvider.js';
import { optimize } from '../../optimizer/optimize.js';
import { renderResultsTable } from '../../optimizer/report/table.js';
import { PythonRunner } from '../../profilers/python/pythonRunner.js';
import { profileCommand, ProfileCommandError, rankHotspots } from '../../profilers/hotspots/profileCommand.js';
import { WORKLOAD_PROFILERS } from '../../profilers/hotspots/workloadProfilers.js';
import { findResource } from '../../profilers/resources.js';
import { hotspotLocalizationSection } from '../../bench/hotspots/localization.js';
import { BENCH_SECTIONS } from '../../bench/sections.js';
import { fakeReplies, startFakeLlmServer, type FakeLlmServer } from '../support/fakeLlmServer.js';
import { candidateReply } from '../support/pythonFixtures.js';

const PYTHON = process.env.PERFLOOP_TEST_PYTHON ?? 'python3';
const OPTIONS = { profilers: WORKLOAD_PROFILERS, timeoutMs: 120_000 };

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'perfloop-hotspots-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('workload hot spots (perfloop profile)', function () {
  this.timeout(300_000);
  const roots: string[] = [];
  let llm: FakeLlmServer | undefined;
  afterEach(async () => {
    await llm?.close();
    llm = undefined;
  });
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  it('ranks the two functions that take the example workload’s time first and second, with their shares and calls', async () => {
    const root = findResource('examples/workloads/python');
    const report = await profileCommand([PYTHON, 'run_workload.py'], { ...OPTIONS, projectRoot: root });
    const [first, second] = report.hotspots;
    const top = report.hotspots.slice(0, 2).map((h) => `${h.file}:${h.line} ${h.function}`).sort();
    assert.deepEqual(top, [`${path.join('inventory', 'cleaning.py')}:5 duplicate_skus`, `${path.join('inventory', 'pricing.py')}:9 price_percentiles`], JSON.stringify(report.hotspots.slice(0, 4)));
    assert.ok(report.hotspots.slice(0, 2).every((h) => h.calls === 1));
    // The caller of both holds them in its inclusive share, not in its self share.
    const summary = report.hotspots.find((h) => h.function === 'summary');
    assert.ok(summary && summary.inclusiveShare >= (first?.selfShare ?? 1) + (second?.selfShare ?? 1) - 0.01 && summary.selfShare < 0.02, JSON.stringify(summary));
    assert.deepEqual(report.processes, { python: 1 });
    assert.ok(report.wallSeconds > 0 && report.profiledWallSeconds > 0 && report.overheadBasis === 'cpu' && report.profilerOverhead > 0.5);
    assert.ok(report.hotspots.every((h) => h.selfShare <= h.inclusiveShare + 1e-9 && h.inclusiveShare <= 1));
  });

  it('charges library time to the project function that called it, names methods with their class, and ranks no library code', async () => {
    const root = project({
      'vendor/site-packages/slowlib.py': 'def crunch(n):\n    return sum(i * i for i in range(n))\n\ndef each(items, fn):\n    return [fn(x) for x in items]\n',
      'app/__init__.py': '',
      'app/work.py':
        'import json\nimport slowlib\n\nclass Encoder:\n    def encode_all(self, rows):\n        return [json.dumps(r, sort_keys=True) for r in rows]\n\n' +
        'def heavy():\n    return slowlib.crunch(3_000_000)\n\n' +
        'def callback(x):\n    return sum(range(x))\n\ndef fan_out():\n    return slowlib.each([20_000] * 200, callback)\n',
      'main.py':
        'import sys\nsys.path.insert(0, "vendor/site-packages")\nfrom app.work import Encoder, heavy, fan_out\n' +
        'Encoder().encode_all([{"k": i, "v": [i] * 5} for i in range(40_000)])\nheavy()\nfan_out()\n',
    });
    roots.push(root);
    const report = await profileCommand([PYTHON, 'main.py'], { ...OPTIONS, projectRoot: root });
    const byName = new Map(report.hotspots.map((h) => [h.function, h]));
    assert.ok(![...byName.keys()].some((name) => name === 'crunch' || name === 'each'), `library functions ranked: ${[...byName.keys()].join(', ')}`);
    const encode = byName.get('Encoder.encode_all');
    const heavy = byName.get('heavy');
    const callback = byName.get('callback');
    const fanOut = byName.get('fan_out');
    assert.ok(encode && heavy && callback && fanOut, JSON.stringify(report.hotspots));
    // json.dumps (inside a comprehension) and slowlib.crunch are their callers' own time.
    assert.ok(encode.selfShare > 0.5 * encode.inclusiveShare, JSON.stringify(encode));
    assert.ok(heavy.selfShare > 0.9 * heavy.inclusiveShare && heavy.selfShare > 0.02, JSON.stringify(heavy));
    // Library code calling back into the project leaves the callback's time with the callback.
    assert.equal(callback.calls, 200);
    assert.ok(callback.selfShare > 2 * fanOut.selfShare, JSON.stringify([callback, fanOut]));
  });

  it('profiles every Python process a test runner starts, and runs the project’s own sitecustomize too', async () => {
    const root = project({
      'lib/sitecustomize.py': 'import os\nos.environ["SITE_RAN"] = "yes"\n',
      'calc.py': 'def slow_sum(n):\n    total = 0\n    for i in range(n):\n        total += i\n    return total\n',
      'test_calc.py':
        'import os, subprocess, sys, unittest\nfrom calc import slow_sum\n\nclass T(unittest.TestCase):\n' +
        '    def test_sum(self):\n        self.assertEqual(os.environ.get("SITE_RAN"), "yes")\n        self.assertEqual(slow_sum(400_000), 79999800000)\n' +
        '    def test_child(self):\n        subprocess.run([sys.executable, "-c", "from calc import slow_sum; slow_sum(300_000)"], check=True)\n',
    });
    roots.push(root);
    const report = await profileCommand([PYTHON, '-m', 'unittest', '-q'], { ...OPTIONS, projectRoot: root, env: { ...process.env, PYTHONPATH: path.join(root, 'lib') } });
    assert.equal(report.processes.python, 2);
    const slow = report.hotspots.find((h) => h.function === 'slow_sum');
    assert.equal(slow?.calls, 2, JSON.stringify(report.hotspots));
  });

  it('ranks the TypeScript example’s two hot functions first, mapped back to their .ts lines, methods with their class', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'perfloop-hotspots-ts-'));
    roots.push(root);
    cpSync(findResource('examples/workloads/typescript'), root, { recursive: true, filter: (f) => !f.includes(`${path.sep}dist`) });
    execFileSync(process.execPath, [findResource('node_modules/typescript/bin/tsc'), '-p', root]);
    const report = await profileCommand([process.execPath, 'dist/run.js'], { ...OPTIONS, projectRoot: root });
    const top = report.hotspots.slice(0, 2).map((h) => `${h.language} ${h.file}:${h.line} ${h.function}`).sort();
    assert.deepEqual(top, [`typescript ${path.join('src', 'customers.ts')}:7 CustomerBook.topSpenders`, `typescript ${path.join('src', 'skus.ts')}:4 popularSkus`], JSON.stringify(report.hotspots));
    assert.deepEqual(report.processes, { javascript: 1 });
    assert.ok(report.hotspots.every((h) => h.calls === undefined && h.file.endsWith('.ts')), 'V8 samples: no call counts; no generated file ranked');
  });

  it('charges a Node library’s time to the project function that called it, and leaves a callback its own time', async () => {
    const root = project({
      'node_modules/slowlib/package.json': '{"name":"slowlib","type":"module","main":"index.js"}',
      'node_modules/slowlib/index.js':
        'export function crunch(n) { let t = 0; for (let i = 0; i < n; i++) t += Math.sqrt(i); return t; }\n' +
        'export function each(items, fn) { return items.map((x) => fn(x)); }\n',
      'main.mjs':
        "import { crunch, each } from 'slowlib';\n" +
        'function heavy() { return crunch(60_000_000); }\n' +
        'function callback(n) { let t = 0; for (let i = 0; i < n; i++) t += i % 7; return t; }\n' +
        'function fanOut() { return each(Array(300).fill(200_000), callback); }\n' +
        'heavy();\nfanOut();\n',
    });
    roots.push(root);
    const report = await profileCommand([process.execPath, 'main.mjs'], { ...OPTIONS, projectRoot: root });
    const byName = new Map(report.hotspots.map((h) => [h.function, h]));
    assert.deepEqual([...byName.keys()].filter((n) => n === 'crunch' || n === 'each'), [], 'library functions are not ranked');
    const heavy = byName.get('heavy');
    const callback = byName.get('callback');
    const fanOut = byName.get('fanOut');
    assert.ok(heavy && callback && fanOut, JSON.stringify(report.hotspots));
    assert.ok(heavy.selfShare > 0.9 * heavy.inclusiveShare && heavy.selfShare > 0.05, JSON.stringify(heavy));
    assert.ok(callback.selfShare > 3 * fanOut.selfShare && fanOut.inclusiveShare >= callback.inclusiveShare, JSON.stringify([callback, fanOut]));
  });

  it('captures the real inputs of the top functions into .perfloop/captures, diverse and bounded, and names what cannot be captured', async () => {
    const root = project({
      'shop/__init__.py': '',
      'shop/lines.py':
        'class Basket:\n    def __init__(self, prices):\n        self.prices = prices\n\n' +
        '    def total(self, tax):\n        out = 0\n        for _ in range(40):\n            out = sum(p * (1 + tax) for p in self.prices)\n        return out\n\n' +
        'def count_lines(handle):\n    n = 0\n    for _ in range(200):\n        handle.seek(0)\n        n = sum(1 for _ in handle)\n    return n\n',
      'main.py':
        'from shop.lines import Basket, count_lines\n' +
        'for size in range(1, 300):\n    Basket([float(i) for i in range(size * 10)]).total(0.2)\n' +
        'with open("main.py") as f:\n    count_lines(f)\n',
    });
    roots.push(root);
    const report = await profileCommand([PYTHON, 'main.py'], { ...OPTIONS, projectRoot: root, capture: 2 });
    const total = report.hotspots.find((h) => h.function === 'Basket.total');
    const lines = report.hotspots.find((h) => h.function === 'count_lines');
    assert.ok(total && lines, JSON.stringify(report.hotspots));
    assert.deepEqual(report.hotspots.slice(0, 2).map((h) => h.function).sort(), ['Basket.total', 'count_lines']);
    assert.equal(total.capturedInputs, 12, 'at most 12 of the 299 calls are kept');
    assert.equal(lines.capturedInputs, 0);
    assert.match(lines.captureNote ?? '', /an open file/);
    assert.equal(report.captureManifest, path.join('.perfloop', 'captures', 'manifest.json'));
    const manifest = JSON.parse(readFileSync(path.join(root, '.perfloop', 'captures', 'manifest.json'), 'utf8'));
    const entry = manifest.functions.find((f: { qualname: string }) => f.qualname === 'Basket.total');
    assert.equal(entry.calls, 299);
    assert.equal(readFileSync(path.join(root, '.perfloop', '.gitignore'), 'utf8').trim().split('\n').at(-1), '*');
    // The smallest and the largest call are among those kept, as inputs are written: the receiver first, then `tax`.
    const script =
      'import pickle, sys\nsys.path.insert(0, sys.argv[1])\nkept = [pickle.loads(x) for x in pickle.load(open(sys.argv[2], "rb"))]\n' +
      'sizes = sorted(len(k["args"][0].prices) for k in kept)\nprint(sizes[0], sizes[-1], kept[0]["args"][1], sorted(kept[0]["kwargs"]), len(set(sizes)))';
    const out = execFileSync(PYTHON, ['-c', script, root, path.join(root, '.perfloop', 'captures', entry.files[0])], { encoding: 'utf8' }).trim();
    assert.equal(out, '10 2990 0.2 [] 12');
  });

  it('ranks a C++ program’s functions by callgrind’s instruction counts, the library code they call counted as theirs', async function () {
    if (spawnSync('valgrind', ['--version']).status !== 0) this.skip();
    const root = project({
      'src/main.cpp':
        '#include <algorithm>\n#include <cstdio>\n#include <vector>\n' +
        'int dupes(const std::vector<int>& xs) {\n  std::vector<int> seen; int n = 0;\n' +
        '  for (int x : xs) { if (std::find(seen.begin(), seen.end(), x) != seen.end()) n++; else seen.push_back(x); }\n  return n;\n}\n' +
        'long sorted_sum(std::vector<int> xs) { long s = 0; for (int k = 0; k < 20; k++) { std::sort(xs.begin(), xs.end()); s += xs[0]; std::reverse(xs.begin(), xs.end()); } return s; }\n' +
        'int main() {\n  std::vector<int> xs;\n  for (int i = 0; i < 6000; i++) xs.push_back((i * 7919) % 5000);\n  std::printf("%d %ld\\n", dupes(xs), sorted_sum(xs));\n}\n',
    });
    roots.push(root);
    execFileSync('g++', ['-O1', '-g', '-o', path.join(root, 'prog'), path.join(root, 'src', 'main.cpp')]);
    const report = await profileCommand(['./prog'], { ...OPTIONS, projectRoot: root });
    assert.deepEqual(report.processes, { native: 1 });
    const [first] = report.hotspots;
    assert.equal(`${first?.file}:${first?.line} ${first?.function} ${first?.calls}`, `${path.join('src', 'main.cpp')}:4 dupes 1`, JSON.stringify(report.hotspots));
    assert.ok((first?.selfShare ?? 0) > 0.5 && first?.secondsPerCall === undefined, JSON.stringify(first));
    const sorted = report.hotspots.find((h) => h.function === 'sorted_sum');
    assert.ok(sorted && sorted.selfShare > 0.9 * sorted.inclusiveShare, `std::sort's instructions are sorted_sum's own: ${JSON.stringify(sorted)}`);
    assert.ok(report.hotspots.every((h) => !h.function.startsWith('std::') && h.line > 0), JSON.stringify(report.hotspots));
  });

  it('a later run on a captured function checks and times it on its captured inputs, and says so', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'perfloop-hotspots-reuse-'));
    roots.push(root);
    cpSync(findResource('examples/workloads/python'), root, { recursive: true });
    await profileCommand([PYTHON, 'run_workload.py'], { ...OPTIONS, projectRoot: root, capture: 2 });
    const filePath = path.join(root, 'inventory', 'cleaning.py');
    const fast =
      'def duplicate_skus(records):\n    seen, reported, out = set(), set(), []\n    for record in records:\n' +
      '        if record.sku in seen and record.sku not in reported:\n            out.append(record.sku)\n            reported.add(record.sku)\n' +
      '        seen.add(record.sku)\n    return out\n';
    const runner = new PythonRunner();
    try {
      const report = await compareCandidate(
        { filePath, fileText: readFileSync(filePath, 'utf8'), target: { functionName: 'duplicate_skus' }, candidatePath: path.join(root, 'fast.py'), candidateText: fast, settings: { counters: 'time' } },
        { runner },
      );
      assert.equal(report.workload?.origin, 'captured', JSON.stringify(report.workload));
      assert.match(report.workload?.capturedFrom ?? '', /^`python3? run_workload\.py` on \d{4}-\d\d-\d\d$/);
      assert.equal(report.candidates[0]?.verdict, 'faster', JSON.stringify(report.candidates[0]));
      // A wrong rewrite is caught on the real records (the same SKU twice in one warehouse export).
      const wrong = fast.replace('if record.sku in seen and record.sku not in reported:', 'if record.sku in seen:');
      const caught = await compareCandidate(
        { filePath, fileText: readFileSync(filePath, 'utf8'), target: { functionName: 'duplicate_skus' }, candidatePath: path.join(root, 'wrong.py'), candidateText: wrong, settings: { counters: 'time' } },
        { runner },
      );
      assert.equal(caught.candidates[0]?.verdict, 'incorrect', JSON.stringify(caught.candidates[0]));
    } finally {
      runner.dispose();
    }
  });

  it('holds part of the captured inputs back from every prompt: a candidate fitted to the inputs it was shown is incorrect', async () => {
    const root = project({
      'words.py':
        'def tally(words):\n    counts = {}\n    for w in words:\n        counts[w] = counts.get(w, 0) + 1\n    return sorted(counts.items())\n',
      // Nine calls of nine sizes, each with a marker word of its own, so a prompt that shows an input names its marker.
      'main.py': 'from words import tally\nfor k in range(1, 10):\n    for _ in range(30):\n        tally(["w%d" % (i % 3) for i in range(k * 4)] + ["marker%d" % k])\n',
    });
    roots.push(root);
    await profileCommand([PYTHON, 'main.py'], { ...OPTIONS, projectRoot: root, capture: 1 });
    const manifest = JSON.parse(readFileSync(path.join(root, '.perfloop', 'captures', 'manifest.json'), 'utf8'));
    const entry = manifest.functions.find((f: { qualname: string }) => f.qualname === 'tally');
    assert.equal(entry.inputs, 9, JSON.stringify(entry));
    assert.equal(entry.performance.length, 3);
    assert.equal(entry.heldBack.length, 2, 'ranks 1 and 4 of the six untimed inputs');
    // The markers of the held-back inputs, as the inputs module gives them.
    const script =
      'import importlib.util, json, sys\nspec = importlib.util.spec_from_file_location("m", sys.argv[1])\nm = importlib.util.module_from_spec(spec)\n' +
      'spec.loader.exec_module(m)\ncalls = m.correctness_inputs()\nprint(json.dumps([calls[i]["args"][0][-1] for i in json.loads(sys.argv[2])]))';
    const held: string[] = JSON.parse(
      execFileSync(PYTHON, ['-c', script, path.join(root, '.perfloop', 'captures', entry.module), JSON.stringify(entry.heldBack)], { encoding: 'utf8' }),
    );
    assert.equal(held.length, 2);
    // Right on every input it could have seen, wrong on the held-back ones: what a model fitted to its prompts writes.
    const fitted =
      `def tally(words):\n    counts = {}\n    for w in words:\n        counts[w] = counts.get(w, 0) + 1\n` +
      `    if ${JSON.stringify(held[0])} in counts or ${JSON.stringify(held[1])} in counts:\n        counts["extra"] = 1\n    return sorted(counts.items())\n`;
    llm = await startFakeLlmServer([fakeReplies.text(candidateReply([{ rationale: 'fitted', code: fitted }])), fakeReplies.text('Nothing more.')]);
    const filePath = path.join(root, 'words.py');
    const report = await optimize(
      { filePath, fileText: readFileSync(filePath, 'utf8'), target: { functionName: 'tally' }, settings: { rounds: 2, candidatesPerRound: 1, counters: 'time', timeoutMs: 60_000 } },
      { provider: new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'fake-model', maxRetries: 0 }) },
    );
    assert.equal(report.workload?.origin, 'captured');
    assert.equal(report.workload?.heldBackInputs, 2);
    assert.equal(report.workload?.capturedTimedSizes?.length, 3);
    const candidate = report.candidates.find((c) => c.rationale === 'fitted');
    assert.equal(candidate?.verdict, 'incorrect', JSON.stringify(candidate));
    assert.equal(candidate.counterexample?.heldBack, true);
    // The second round's prompt says a held-back input failed, and shows none of them.
    const second = JSON.stringify(llm.chatRequests[1]?.body);
    assert.match(second, /held back from you/);
    // (The candidate's own code, which the prompt repeats, names them in double quotes; an input's repr in single ones.)
    for (const marker of held) assert.ok(!second.includes(`'${marker}'`), `the prompt shows the input holding ${marker}`);
    assert.match(renderResultsTable(report), /2 held back from the prompts, checked only/);
  });

  it('says why when the command fails, cannot start, or runs no language it profiles', async () => {
    const root = project({ 'fail.py': 'import sys\nprint("the database is not reachable")\nsys.exit(3)\n' });
    roots.push(root);
    await assert.rejects(profileCommand([PYTHON, 'fail.py'], { ...OPTIONS, projectRoot: root }), (error: Error) => {
      assert.ok(error instanceof ProfileCommandError);
      assert.match(error.message, /exited with 3 \(plain run\): it must succeed to be profiled\.\nthe database is not reachable/);
      return true;
    });
    await assert.rejects(profileCommand(['no-such-command-perfloop'], { ...OPTIONS, projectRoot: root }), /Cannot run `no-such-command-perfloop`: ENOENT/);
    await assert.rejects(profileCommand(['true'], { ...OPTIONS, projectRoot: root }), /no process of a language Perfloop profiles \(python, javascript, native\) recorded anything/);
  });

  it('bench: the known-hot function of a generated Python and JavaScript workload ranks first (tiny tier)', async () => {
    assert.ok(BENCH_SECTIONS.includes(hotspotLocalizationSection));
    const scratchDir = mkdtempSync(path.join(tmpdir(), 'perfloop-hotspots-bench-'));
    roots.push(scratchDir);
    const outcome = await hotspotLocalizationSection.run({ tier: 'tiny', root: process.cwd(), dataDir: scratchDir, scratchDir, log: () => undefined });
    const firsts = outcome.figures.filter((f) => f.name.startsWith('Known-hot function ranked first'));
    assert.deepEqual(firsts.map((f) => f.perfloop.display), ['1 of 1', '1 of 1'], JSON.stringify(outcome.details));
    assert.equal(outcome.figures.filter((f) => f.name.startsWith('Profiler overhead')).length, 2);
  });

  it('ranks by self share and adds up a function’s times over processes', () => {
    const f = (qualname: string, self: number, inclusive: number, calls = 1) => ({ language: 'python', file: '/p/m.py', line: 1, qualname, calls, selfSeconds: self, inclusiveSeconds: inclusive });
    const ranked = rankHotspots([f('main', 0.1, 2), f('hot', 0.6, 0.6, 2), f('hot', 0.6, 0.6, 3), f('never', 0, 0, 0)], 2, '/p');
    assert.deepEqual(ranked.map((h) => [h.function, h.selfShare, h.inclusiveShare, h.calls]), [['hot', 0.6, 0.6, 5], ['main', 0.05, 1, 1]]);
    assert.equal(ranked[0]?.file, 'm.py');
  });

  it('prints the ranking and writes it as JSON from the CLI', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const json = path.join(mkdtempSync(path.join(tmpdir(), 'perfloop-hotspots-json-')), 'hot.json');
    roots.push(path.dirname(json));
    const root = mkdtempSync(path.join(tmpdir(), 'perfloop-hotspots-cli-'));
    roots.push(root);
    cpSync(findResource('examples/workloads/python'), root, { recursive: true });
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const code = await runCli(['profile', '--top', '3', '--capture', '0', '--json', json, '--', PYTHON, 'run_workload.py'], { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: process.env });
      assert.equal(code, 0, err.join(''));
    } finally {
      process.chdir(cwd);
    }
    const text = out.join('');
    assert.match(text, /python3? run_workload\.py: .* as it is, .* profiled \(overhead [\d.]+× in CPU time, one run each; 1 python process\)/);
    assert.match(text, /^1 +(duplicate_skus +inventory\/cleaning\.py:5|price_percentiles +inventory\/pricing\.py:9) +[\d.]+% +[\d.]+% +1 /m);
    assert.match(text, /more functions of the project ran; --top N shows more/);
    const written = JSON.parse(readFileSync(json, 'utf8'));
    assert.deepEqual(Object.keys(written).sort(), ['command', 'hotspots', 'overheadBasis', 'processes', 'profiledWallSeconds', 'profilerOverhead', 'projectRoot', 'wallSeconds']);
    assert.deepEqual(Object.keys(written.hotspots[0]).sort(), ['calls', 'file', 'function', 'inclusiveShare', 'language', 'line', 'secondsPerCall', 'selfShare']);
  });
});
