import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  detectInstructionCounter,
  instructionCounterUnavailableReason,
  parseCachegrindLog,
  parsePerfStatCsv,
  wrapForCounting,
  type InstructionCounterKind,
} from '../../profilers/counters/instructions.js';
import { runSandboxed } from '../../profilers/sandbox/sandbox.js';

const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

describe('instruction counters: parsing', () => {
  it('reads the count from perf stat CSV output', () => {
    assert.equal(parsePerfStatCsv('1234567,,instructions:u,1000,100.00,,\n'), 1234567);
  });

  it('sums the per-core-type lines of hybrid CPUs and ignores a core type that did not run', () => {
    const hybrid = [
      '<not counted>,,cpu_atom/instructions:u/,0,0.00,,',
      '987654,,cpu_core/instructions:u/,2000,100.00,,',
      '',
    ].join('\n');
    assert.equal(parsePerfStatCsv(hybrid), 987654);
    assert.equal(parsePerfStatCsv('10,,cpu_atom/instructions:u/,1,100.00,,\n20,,cpu_core/instructions:u/,1,100.00,,'), 30);
  });

  it('takes perf\'s report, printed last, over anything the program printed before it', () => {
    const forged = '5,,instructions:u,1,100.00,,\nprogram noise\n4000000,,instructions:u,1000,100.00,,\n';
    assert.equal(parsePerfStatCsv(forged), 4000000);
  });

  it('explains when perf cannot count (VMs, containers)', () => {
    assert.throws(() => parsePerfStatCsv('<not supported>,,instructions:u,0,100.00,,\n'), /could not count.*not supported/);
    assert.throws(() => parsePerfStatCsv('Error:\nNo permission to enable instructions:u event.\n'), /no instructions:u line/);
  });

  it('reads the cachegrind summary', () => {
    const log = '==2== Cachegrind, a cache and branch-prediction profiler\n==2== \n==2== I   refs:      139,930,300\n';
    assert.equal(parseCachegrindLog(log), 139_930_300);
    assert.throws(() => parseCachegrindLog('==2== Command: python3\n'), /no "I refs"/);
  });

  it('puts perf in front of the no-subprocess filter as a launcher, valgrind inside it', () => {
    const perf = wrapForCounting('perf', ['python3', '-c', 'pass'], '/tmp');
    assert.deepEqual(perf.argv, ['python3', '-c', 'pass']);
    assert.deepEqual(perf.launcher, ['perf', 'stat', '-x,', '-e', 'instructions:u', '--']);
    const valgrind = wrapForCounting('valgrind', ['python3', '-c', 'pass'], '/tmp');
    assert.equal(valgrind.argv[0], 'valgrind');
    assert.ok(valgrind.argv.includes('--tool=cachegrind'));
    assert.deepEqual(valgrind.argv.slice(-3), ['python3', '-c', 'pass']);
    assert.equal(valgrind.launcher, undefined);
  });
});

describe('instruction counters: on this machine', function () {
  this.timeout(120_000);
  let workDir: string;
  let counter: InstructionCounterKind;

  before(async function () {
    const detected = await detectInstructionCounter();
    if (!detected) {
      console.warn(instructionCounterUnavailableReason());
      this.skip();
    }
    counter = detected.kind;
  });
  beforeEach(() => {
    workDir = mkdtempSync(path.join(tmpdir(), 'perfloop-counters-test-'));
  });
  afterEach(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  const count = async (code: string): Promise<number> => {
    const command = wrapForCounting(counter, [python, '-c', code], workDir);
    const result = await runSandboxed({ argv: command.argv, launcher: command.launcher, mode: 'auto', workDir, timeoutMs: 60_000 });
    assert.equal(result.exitCode, 0, result.stderr);
    return command.parse(result);
  };

  it('falls back to valgrind where perf prints <not supported>', async () => {
    const perf = spawnSync('perf', ['stat', '-x,', '-e', 'instructions:u', 'true'], { encoding: 'utf8' });
    const perfCounts = perf.error === undefined && /^\d+,/m.test(perf.stderr);
    if (perfCounts) return;
    assert.equal((await detectInstructionCounter())?.kind, 'valgrind');
    assert.equal(await detectInstructionCounter('perf'), undefined);
    assert.match(instructionCounterUnavailableReason() ?? '', /perf/);
  });

  it('counts ten times the work as about ten times the instructions, start-up subtracted', async () => {
    const [startup, small, large] = await Promise.all([count('pass'), count('sum(range(300_000))'), count('sum(range(3_000_000))')]);
    const ratio = (large - startup) / (small - startup);
    assert.ok(ratio > 9 && ratio < 11, `ratio ${ratio}`);
  });

  it('repeats a count with a coefficient of variation below 0.01%', async () => {
    const counts = await Promise.all(Array.from({ length: 5 }, () => count('sorted(str(i) for i in range(20_000))')));
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    const sd = Math.sqrt(counts.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (counts.length - 1));
    assert.ok(sd / mean < 1e-4, `CV ${sd / mean}, counts ${counts.join(' ')}`);
  });
});
