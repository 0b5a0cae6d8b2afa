/**
 * The C++ harness on its own: profilers/native/harness/selftest/run.sh builds hand-laid-out translation units (as the
 * runner lays them out), runs every harness mode on them and checks each result against the runner's schemas and the
 * expected verdicts (faster, off-by-one, mutation, stdout, exception, C renaming, exact cachegrind counts, memory,
 * complexity, ASan). It prints every result; the test shows its tail when something fails.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('C++ harness self-test @slow', function () {
  this.timeout(600_000);

  it('passes every mode and verdict check of selftest/run.sh', () => {
    const run = spawnSync('bash', [path.join(repoRoot, 'profilers/native/harness/selftest/run.sh')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const output = `${run.stdout}\n${run.stderr}`;
    const failures = output.split('\n').filter((line) => /FAIL/.test(line));
    assert.equal(run.status, 0, `${failures.join('\n')}\n...\n${output.slice(-3000)}`);
    assert.deepEqual(failures, []);
  });
});
