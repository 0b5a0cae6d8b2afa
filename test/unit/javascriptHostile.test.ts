/**
 * Hostile JavaScript candidates run through the real runner, Node and sandbox: each attack must fail without the run
 * failing. Each candidate returns what the original returns whatever its attack did, so the checks below look at the
 * machine (files, connections, processes), not at the verdict alone.
 */
import assert from 'node:assert/strict';
import { estimatePairedSpeedup } from '../../profilers/stats/speedup.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JavaScriptRunner } from '../../profilers/javascript/javascriptRunner.js';
import { TARGET_EXPORT } from '../../profilers/javascript/javascriptTarget.js';
import type { EquivalenceResult, Program, RunOptions, WorkloadSource } from '../../profilers/runner.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const OPTS: RunOptions = { sandbox: (process.env.PERFLOOP_TEST_SANDBOX as RunOptions['sandbox'] | undefined) ?? 'auto', timeoutMs: 15_000 };
const WORKLOAD: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[[1, 2, 3]]], performance: [] };
const ORIGINAL: Program = { id: 'original', source: `function f(xs) { return xs.length; }\nexport { f as ${TARGET_EXPORT} };\n`, functionName: 'f' };

/** A candidate whose attack runs first; `escaped` is returned only when the attack worked. */
function attack(imports: string, body: string, isAsync = false): Program {
  const source = `${imports}\n${isAsync ? 'async ' : ''}function f(xs) {\n  try {\n${body}\n    return 'escaped';\n  } catch {\n    return xs.length;\n  }\n}\nexport { f as ${TARGET_EXPORT} };\n`;
  return { id: 'hostile', source, functionName: 'f' };
}

describe('hostile JavaScript candidates are contained', function () {
  this.timeout(120_000);
  const runner = new JavaScriptRunner();
  let outsideDir: string;
  let listener: Server;
  let connections = 0;
  let port = 0;
  const secret = 'sk-perfloop-js-secret-42';

  before(async () => {
    outsideDir = mkdtempSync(path.join(tmpdir(), 'perfloop-js-outside-'));
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as { port: number }).port;
    process.env.PERFLOOP_JS_TEST_SECRET = secret;
  });

  after(() => {
    listener.close();
    rmSync(outsideDir, { recursive: true, force: true });
    delete process.env.PERFLOOP_JS_TEST_SECRET;
  });

  const check = (candidate: Program): Promise<EquivalenceResult> => runner.checkEquivalence(ORIGINAL, candidate, WORKLOAD, OPTS);

  it('cannot start processes', async () => {
    const marker = path.join(outsideDir, 'spawned');
    const result = await check(attack("import { execSync } from 'node:child_process';", `    execSync('touch ${marker}');`));
    assert.deepEqual(result, { status: 'equivalent', inputsChecked: 1 });
    assert.ok(!existsSync(marker));
  });

  it('cannot reach the network, not even 127.0.0.1', async () => {
    const result = await check(attack('', `    await fetch('http://127.0.0.1:${port}/steal', { method: 'POST', body: 'x', signal: AbortSignal.timeout(3000) });`, true));
    assert.deepEqual(result, { status: 'equivalent', inputsChecked: 1 });
    assert.equal(connections, 0);
  });

  it('cannot write outside its work directory', async () => {
    const outside = path.join(outsideDir, 'pwned.txt');
    const intoProject = path.join(repoRoot, 'test/fixtures/javascript/pwned.txt');
    // The writes may "succeed" into the sandbox's private /tmp; what matters is that nothing lands on the real disk.
    const result = await check(attack("import { writeFileSync } from 'node:fs';", `    try { writeFileSync(${JSON.stringify(outside)}, 'x'); } catch {}\n    writeFileSync(${JSON.stringify(intoProject)}, 'x');`));
    assert.equal(result.status, 'equivalent');
    assert.ok(!existsSync(outside), 'wrote into the host /tmp');
    assert.ok(!existsSync(intoProject), 'wrote into the project');
  });

  it('sees none of the secrets in the environment', async () => {
    const result = await check(attack('', `    if (!Object.values(process.env).some((v) => v?.includes('sk-perfloop')) && !process.env.PERFLOOP_JS_TEST_SECRET) throw new Error('clean');`));
    assert.deepEqual(result, { status: 'equivalent', inputsChecked: 1 });
  });

  it('cannot forge the harness result by writing result.json and exiting', async () => {
    const forged = JSON.stringify({ protocol: 1, node: 'v20', nonce: 'guess', ok: true, mode: 'verify', sizedN: null, data: { status: 'equivalent', inputsChecked: 99 } });
    const source = `import { writeFileSync } from 'node:fs';\nfunction f(xs) { writeFileSync('result.json', ${JSON.stringify(forged)}); process.exit(0); }\nexport { f as ${TARGET_EXPORT} };\n`;
    const result = await check({ id: 'forger', source, functionName: 'f' });
    assert.equal(result.status, 'error');
    assert.match(result.status === 'error' ? result.reason : '', /wrote a result file of its own/);
  });

  it('cannot rig the comparison by patching a built-in the original uses: each side runs in its own process', async () => {
    const original: Program = { id: 'original', source: `function f(xs) { return xs.includes(2); }\nexport { f as ${TARGET_EXPORT} };\n`, functionName: 'f' };
    const rigged = `const real = Array.prototype.includes;\nArray.prototype.includes = function (...a) { for (let i = 0; i < 1e5; i++); return real.apply(this, a); };\nfunction f(xs) { return xs.indexOf(2) >= 0; }\nexport { f as ${TARGET_EXPORT} };\n`;
    const result = await runner.checkEquivalence(original, { id: 'rigged', source: rigged, functionName: 'f' }, WORKLOAD, OPTS);
    assert.equal(result.status, 'equivalent', 'the candidate behaves like the original');
    const samples = await runner.measureTime(original, { id: 'rigged', source: rigged, functionName: 'f' }, WORKLOAD, false, { ...OPTS, samples: 8, sampleSeconds: 0.01 });
    // Had the patch reached the original, each of its calls would spin 100,000 times longer: a speedup of hundreds.
    const estimate = estimatePairedSpeedup(samples.original, samples.candidate);
    assert.ok(estimate.ratio < 3, `the original was slowed down: ${JSON.stringify(estimate)}`);
  });
});
