/** The CLI's PERFLOOP_* environment variables: a wrong value is named, with what it should be, before any work. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/main.js';

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
  return { code, stdout, stderr };
}

describe('perfloop CLI: PERFLOOP_* environment values', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'perfloop-env-'));
    file = join(dir, 'f.py');
    writeFileSync(file, 'def f(xs):\n    return sorted(xs)\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const invalid: [name: string, value: string, says: RegExp][] = [
    ['PERFLOOP_ROUNDS', 'abc', /^error: PERFLOOP_ROUNDS=abc is not an integer from 1 to 10/m],
    ['PERFLOOP_CANDIDATES', '0', /PERFLOOP_CANDIDATES=0 is not an integer from 1 to 10/],
    ['PERFLOOP_JOBS', '-2', /PERFLOOP_JOBS=-2 is not an integer from 0 to 16/],
    ['PERFLOOP_SAMPLES', '1.5', /PERFLOOP_SAMPLES=1\.5 is not an integer from 5 to 500/],
    ['PERFLOOP_NOISE_THRESHOLD', '5', /PERFLOOP_NOISE_THRESHOLD=5 is not a number from 0 to 0\.5/],
    ['PERFLOOP_SANDBOX', 'docker', /PERFLOOP_SANDBOX=docker is not one of auto, bwrap, unshare, none/],
    ['PERFLOOP_COUNTERS', 'cycles', /PERFLOOP_COUNTERS=cycles is not one of auto, time, instructions/],
    ['PERFLOOP_TIMEOUT', 'soon', /PERFLOOP_TIMEOUT=soon is not an integer from 1 to 3600/],
    ['PERFLOOP_REQUEST_TIMEOUT', '0', /PERFLOOP_REQUEST_TIMEOUT=0 is not an integer from 5 to 3600/],
    ['PERFLOOP_SANITIZERS', 'maybe', /PERFLOOP_SANITIZERS=maybe is not one of 0, 1/],
    ['PERFLOOP_BASE_URL', 'localhost:11434/v1', /PERFLOOP_BASE_URL=localhost:11434\/v1 is not an http\(s\) URL/],
    ['PERFLOOP_TEMPERATURE', '3', /PERFLOOP_TEMPERATURE=3 is not a number from 0 to 2/],
    ['PERFLOOP_BENCH_RUNS', '2', /PERFLOOP_BENCH_RUNS=2 is not an integer from 5 to 1000/],
  ];
  for (const [name, value, says] of invalid) {
    it(`${name}=${value}: exits 2 and says what is wrong`, async () => {
      const run = await cli(['optimize', file, '--function', 'f', '--inputs', join(dir, 'none.json')], { [name]: value });
      assert.equal(run.code, 2);
      assert.match(run.stderr, says);
      assert.equal(run.stdout, '', 'nothing ran');
    });
  }

  it('compare reads the same variables and rejects the same values', async () => {
    const run = await cli(['compare', `${file}:f`, file], { PERFLOOP_ROUNDS: 'abc' });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /PERFLOOP_ROUNDS=abc is not an integer from 1 to 10/);
  });

  it('a flag overrides an invalid variable, so the variable is not even read', async () => {
    const run = await cli(['optimize', file, '--function', 'f', '--rounds', '1', '--inputs', join(dir, 'none.json')], { PERFLOOP_ROUNDS: 'abc' });
    assert.doesNotMatch(run.stderr, /PERFLOOP_ROUNDS/);
  });
});
