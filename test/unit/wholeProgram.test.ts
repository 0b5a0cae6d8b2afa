import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commandNeedsShell, detectHyperfine, parseHyperfineExport } from '../../profilers/wholeProgram/hyperfine.js';
import { commandPairSpeedup } from '../../profilers/wholeProgram/commandPairSpeedup.js';
import { concatTimings, summarizeTimes } from '../../profilers/wholeProgram/commandTimings.js';
import { estimateUnpairedSpeedup } from '../../profilers/stats/speedup.js';
import { resolveSandboxKind } from '../../profilers/sandbox/sandbox.js';
import { measureCommandPair, type CommandPairRequest } from '../../profilers/wholeProgram/measureCommandPair.js';

const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

describe('whole-program measurement', function () {
  this.timeout(60_000);
  let projectDir: string;
  let tempParentDir: string;

  beforeEach(() => {
    projectDir = mkdtempSync(path.join(tmpdir(), 'perfloop-project-'));
    tempParentDir = mkdtempSync(path.join(tmpdir(), 'perfloop-copies-'));
    writeFileSync(path.join(projectDir, 'work.py'), 'import time\n\ndef work():\n    time.sleep(0.08)\n');
    writeFileSync(path.join(projectDir, 'bench.py'), 'from work import work\nwork()\n');
    // Present in the project, absent from the copies (the command below checks).
    mkdirSync(path.join(projectDir, '.git'));
    writeFileSync(path.join(projectDir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    mkdirSync(path.join(projectDir, 'node_modules', 'dep'), { recursive: true });
  });
  afterEach(() => {
    rmSync(projectDir, { recursive: true, force: true });
    rmSync(tempParentDir, { recursive: true, force: true });
  });

  const request = (overrides: Partial<CommandPairRequest> = {}): CommandPairRequest => ({
    command: `test ! -e .git && test ! -e node_modules && ${python} bench.py`,
    projectDir,
    patch: { relativePath: 'work.py', newText: 'import time\n\ndef work():\n    time.sleep(0.01)\n' },
    runs: 5,
    warmup: 1,
    timeoutMs: 10_000,
    sandbox: 'auto',
    tempParentDir,
    ...overrides,
  });

  it('times both versions with hyperfine when it is installed, patched faster', async function () {
    if (!(await detectHyperfine())) this.skip();
    const result = await measureCommandPair(request());
    assert.equal(result.tool, 'hyperfine');
    assert.equal(result.original.times.length, 5);
    assert.equal(result.patched.times.length, 5);
    assert.deepEqual(result.original.exitCodes, [0, 0, 0, 0, 0]);
    assert.ok(result.original.min > 0.08, `original min ${result.original.min}`);
    // 90 ms less sleep; each run's sandbox set-up (default-deny view) adds a load-dependent cost to both sides alike.
    assert.ok(result.patched.median < result.original.median, `${result.patched.median} vs ${result.original.median}`);
    assert.deepEqual(readdirSync(tempParentDir), []);
  });

  it('runs a command that needs no shell directly under hyperfine', async function () {
    if (!(await detectHyperfine())) this.skip();
    const result = await measureCommandPair(request({ command: `${python} bench.py`, tool: 'hyperfine', runs: 3, warmup: 0 }));
    assert.equal(commandNeedsShell(`${python} bench.py`), false);
    assert.ok(result.patched.mean < result.original.mean);
  });

  it('keeps the network off for the benchmark command', async function () {
    if ((await resolveSandboxKind('auto')) === 'none') this.skip();
    const probe = `import socket\ntry:\n    socket.create_connection(("1.1.1.1", 53), timeout=2)\nexcept OSError:\n    raise SystemExit("offline")\n`;
    writeFileSync(path.join(projectDir, 'net.py'), probe);
    await assert.rejects(measureCommandPair(request({ command: `${python} net.py`, runs: 2, warmup: 0 })), /offline/);
  });

  it('times both versions with the built-in timer when forced, with the same statistics', async () => {
    const loops = (n: number): string => `def work():\n    total = 0\n    for i in range(${n}):\n        total += i\n    return total\n`;
    writeFileSync(path.join(projectDir, 'work.py'), loops(3_000_000));
    const result = await measureCommandPair(request({ tool: 'builtin', patch: { relativePath: 'work.py', newText: loops(300_000) } }));
    assert.equal(result.tool, 'builtin');
    for (const side of [result.original, result.patched]) {
      assert.equal(side.times.length, 5);
      assert.deepEqual(side.exitCodes, [0, 0, 0, 0, 0]);
      assert.ok(side.min <= side.median && side.median <= side.max);
      assert.ok(side.stddev >= 0);
      assert.ok((side.maxRssBytes ?? 0) > 1_000_000, `maxRss ${side.maxRssBytes}`);
    }
    // Medians: one run of either side can be stretched by a busy machine (CI once read a patched max above the original's min).
    assert.ok(result.patched.median < result.original.median, `${result.patched.median} vs ${result.original.median}`);
    assert.deepEqual(readdirSync(tempParentDir), []);
  });

  it('names the failing side and shows the tail of its stderr, and still cleans up', async () => {
    const broken = { relativePath: 'work.py', newText: 'def work():\n    return 1 / 0\n' };
    await assert.rejects(
      measureCommandPair(request({ patch: broken })),
      (error: Error) => /failed on the patched version/.test(error.message) && /ZeroDivisionError/.test(error.message),
    );
    assert.deepEqual(readdirSync(tempParentDir), []);
  });

  it('names the original side when the command itself is broken', async () => {
    await assert.rejects(measureCommandPair(request({ command: `${python} missing.py` })), /failed on the original version/);
  });

  it('never modifies the user\'s project', async () => {
    const before = readFileSync(path.join(projectDir, 'work.py'), 'utf8');
    await measureCommandPair(request({ tool: 'builtin', runs: 2, warmup: 0, command: `${python} bench.py; echo touched > work.py` }));
    assert.equal(readFileSync(path.join(projectDir, 'work.py'), 'utf8'), before);
  });

  it('refuses a patch path outside the project', async () => {
    await assert.rejects(measureCommandPair(request({ patch: { relativePath: '../escape.py', newText: '' } })), /leaves the project/);
    assert.deepEqual(readdirSync(tempParentDir), []);
  });
});

describe('whole-program speedup from interleaved runs', () => {
  const timings = (times: number[]) => summarizeTimes(times, times.map(() => 0));

  it('joins hyperfine blocks into one series in order, keeping the largest peak memory', () => {
    const joined = concatTimings([summarizeTimes([0.3, 0.1], [0, 0], 2000), summarizeTimes([0.2], [1]), summarizeTimes([0.4], [0], 5000)]);
    assert.deepEqual(joined.times, [0.3, 0.1, 0.2, 0.4]);
    assert.deepEqual(joined.exitCodes, [0, 0, 1, 0]);
    assert.equal(joined.maxRssBytes, 5000);
    assert.equal(joined.min, 0.1);
    assert.ok(Math.abs(joined.mean - 0.25) < 1e-12);
  });

  it('pairs run i of each version, so a drift that hits both alike cancels', () => {
    // The machine slows down steadily; the patched version is 10% faster in every round.
    const original = [1, 1.2, 1.4, 1.6, 1.8, 2.0, 2.2, 2.4, 2.6, 2.8];
    const patched = original.map((t) => t / 1.1);
    const estimate = commandPairSpeedup({ original: timings(original), patched: timings(patched) }, 0.05);
    assert.match(estimate.method, /paired/);
    assert.equal(estimate.verdict, 'faster');
    assert.ok(Math.abs(estimate.ratio - 1.1) < 1e-9);
    // Unpaired, the drift swamps the 10%.
    assert.equal(estimateUnpairedSpeedup(original, patched, { noiseThreshold: 0.05 }).verdict, 'no-difference');
  });

  it('falls back to the unpaired estimate when the versions have different numbers of runs', () => {
    const estimate = commandPairSpeedup({ original: timings([1, 1.1, 0.9, 1, 1.05, 0.95]), patched: timings([0.5, 0.55, 0.45, 0.5, 0.52]) }, 0.05);
    assert.match(estimate.method, /^unpaired \(6 vs 5 runs\)/);
    assert.equal(estimate.verdict, 'faster');
  });
});

describe('hyperfine helpers', () => {
  it('reads hyperfine\'s JSON export, including memory and a single-run null stddev', () => {
    const json = JSON.stringify({
      results: [{
        command: 'original', mean: 0.2, stddev: null, median: 0.2, user: 0.1, system: 0, min: 0.2, max: 0.2,
        times: [0.2], exit_codes: [0], memory_usage_byte: [1000, 3000],
      }],
    });
    assert.deepEqual(parseHyperfineExport(json), {
      times: [0.2], mean: 0.2, stddev: 0, median: 0.2, min: 0.2, max: 0.2, maxRssBytes: 3000, exitCodes: [0],
    });
  });

  it('runs plain commands without a shell and shell syntax with one', () => {
    assert.equal(commandNeedsShell('python3 bench.py --size 10'), false);
    assert.equal(commandNeedsShell('python3 bench.py | tail -1'), true);
    assert.equal(commandNeedsShell('FOO=1 python3 bench.py'), true);
    assert.equal(commandNeedsShell('cd src && make'), true);
  });
});
