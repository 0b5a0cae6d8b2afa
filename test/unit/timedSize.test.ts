/**
 * Figures tied to a stated size (issue 13, part 3): without fixed performance inputs, the timed input is
 * `sized_input(n)` at an n chosen from the original's CPU time per call on a doubling grid, so a busy machine (which
 * stretches wall time) does not shrink it, and n is stated wherever the speedup is. Real runners, real sandbox.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { allowedCpus } from '../../profilers/judge/cpuPin.js';
import { JavaScriptRunner } from '../../profilers/javascript/javascriptRunner.js';
import { PythonRunner } from '../../profilers/python/pythonRunner.js';
import type { LanguageRunner, Program, RunOptions, WorkloadSource } from '../../profilers/runner.js';

const OPTS: RunOptions = { sandbox: 'auto', timeoutMs: 60_000 };
const TARGET_EXPORT = '__perfloopTarget';

/**
 * Three busy loops on every CPU this process may use, each in a session of its own (so in an autogroup of its own, as
 * separate programs are): the sandboxed harness, in its own session too, gets a quarter of a CPU, and its wall time grows
 * about 4×. Without setsid the kernel's autogrouping gave the three loops one share between them and the harness half.
 */
function hogs(): ChildProcess[] {
  return (allowedCpus() ?? []).flatMap((cpu) =>
    [1, 2, 3].map(() => spawn('setsid', ['taskset', '-c', String(cpu), process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' })),
  );
}

interface Subject {
  runner: () => LanguageRunner;
  program: Program;
  workload: WorkloadSource;
}

const dirs: string[] = [];
function moduleWorkload(name: string, source: string): WorkloadSource {
  const dir = mkdtempSync(path.join(tmpdir(), 'perfloop-size-'));
  dirs.push(dir);
  const file = path.join(dir, name);
  writeFileSync(file, source);
  return { kind: 'module', origin: 'user', path: file };
}

const SUBJECTS: Record<string, () => Subject> = {
  Python: () => ({
    runner: () => new PythonRunner(),
    // About 1 µs per element: n settles near 2^14, well inside the grid (a cheaper function reaches its 2^20 cap).
    program: { id: 'original', functionName: 'f', source: 'def f(xs):\n    total = 0\n    for x in xs:\n        for k in range(40):\n            total += (x + k) * x % 7\n    return total\n' },
    workload: moduleWorkload(
      'inputs.perfloop.py',
      'def correctness_inputs():\n    return [[[1, 2, 3]], [[]]]\n\ndef sized_input(n):\n    return [[(i * 7919) % 1009 for i in range(n)]]\n',
    ),
  }),
  JavaScript: () => ({
    runner: () => new JavaScriptRunner(),
    program: {
      id: 'original',
      functionName: 'f',
      source: `function f(xs) { let t = 0; for (const x of xs) for (let k = 0; k < 40; k++) t += Math.sqrt(x + k) % 7; return t; }\nexport { f as ${TARGET_EXPORT} };\n`,
    },
    workload: moduleWorkload(
      'inputs.perfloop.mjs',
      'export function correctnessInputs() { return [[[1, 2, 3]], [[]]]; }\nexport function sizedInput(n) { return [Array.from({ length: n }, (_, i) => (i * 7919) % 1009)]; }\n',
    ),
  }),
};

describe('the timed size @slow', function () {
  this.timeout(300_000);
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  for (const [language, make] of Object.entries(SUBJECTS)) {
    it(`${language}: is the same n on a quiet and on a loaded machine, and is reported`, async () => {
      const subject = make();
      const quiet = await subject.runner().checkWorkload(subject.program, subject.workload, OPTS);
      assert.ok(quiet.timedSizedN && quiet.timedSizedN >= 1024 && quiet.timedSizedN <= 2 ** 18, `n = ${quiet.timedSizedN}`);
      assert.equal(quiet.performanceCount, 1);
      const load = hogs();
      let loaded;
      try {
        loaded = await subject.runner().checkWorkload(subject.program, subject.workload, OPTS);
      } finally {
        for (const hog of load) hog.kill('SIGKILL');
      }
      // A doubling grid: the same n, or (when the cost lies right at the target) the grid point next to it. Sized by wall
      // time, as before, this load made n a quarter of the quiet one (Python: 16384 quiet, 4096 loaded, three runs each).
      const steps = Math.abs(Math.log2((loaded.timedSizedN ?? 1) / quiet.timedSizedN));
      assert.ok(steps <= 1, `n = ${quiet.timedSizedN} quiet, ${loaded.timedSizedN} loaded`);
    });
  }
});
