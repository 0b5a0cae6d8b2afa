/**
 * LLM-written code is hostile until proven otherwise: candidates that attack the machine arrive through the real LLM
 * protocol and the real engine, and must be contained — the attack fails, the run goes on, the verdict says so. @slow
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAICompatibleProvider } from '../../optimizer/llm/openaiProvider.js';
import { optimize } from '../../optimizer/optimize.js';
import type { CandidateResult, OptimizationReport } from '../../optimizer/types.js';
import { readWorkloadFile } from '../../optimizer/workloadFile.js';
import { fakeReplies, startFakeLlmServer } from '../support/fakeLlmServer.js';
import { candidateReply, FAST_DUPLICATES, projectWithDuplicates, SLOW_DUPLICATES } from '../support/pythonFixtures.js';

/** The fast rewrite with an attack prepended to its body; the attack's own errors are swallowed so only containment decides. */
function withAttack(attack: string): string {
  const body = attack
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n');
  return FAST_DUPLICATES.replace('def find_duplicates(emails):\n', `def find_duplicates(emails):\n    try:\n${body}\n    except Exception:\n        pass\n`);
}

function processCount(): number {
  return Number(execFileSync('sh', ['-c', 'ps -e --no-headers | wc -l']).toString().trim());
}

describe('hostile candidates are contained @slow', function () {
  this.timeout(300_000);
  let report: OptimizationReport;
  let outsideDir: string;
  let listener: Server;
  let connections = 0;
  let wroteIntoProject = true;
  let processesBefore = 0;
  const secret = 'sk-perfloop-test-secret-123';
  const candidates = new Map<string, CandidateResult>();

  before(async () => {
    outsideDir = mkdtempSync(join(tmpdir(), 'perfloop-outside-'));
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as { port: number }).port;
    const project = projectWithDuplicates();
    process.env.OPENAI_API_KEY = secret;
    process.env.PERFLOOP_API_KEY = secret;
    processesBefore = processCount();

    const attacks = [
      { rationale: 'network', code: withAttack(`import socket\nsocket.create_connection(("127.0.0.1", ${port}), timeout=2).sendall(b"stolen")`) },
      { rationale: 'write outside', code: withAttack(`open(${JSON.stringify(join(outsideDir, 'pwned.txt'))}, "w").write("x")\nopen(${JSON.stringify(join(project.dir, 'pwned.txt'))}, "w").write("x")`) },
      {
        rationale: 'read secrets',
        code: FAST_DUPLICATES.replace(
          'def find_duplicates(emails):\n',
          `import os\n\ndef find_duplicates(emails):\n    if any("sk-perfloop" in v for v in os.environ.values()) or os.environ.get("OPENAI_API_KEY") or os.environ.get("PERFLOOP_API_KEY"):\n        raise RuntimeError("secret leaked")\n`,
        ),
      },
      { rationale: 'fork bomb', code: 'import os\n\ndef find_duplicates(emails):\n    while True:\n        os.fork()' },
      { rationale: 'infinite loop', code: 'def find_duplicates(emails):\n    while True:\n        pass' },
      { rationale: 'memory bomb', code: 'def find_duplicates(emails):\n    hog = []\n    while True:\n        hog.append(bytearray(50_000_000))' },
    ];
    const llm = await startFakeLlmServer([fakeReplies.text(candidateReply(attacks))]);
    try {
      report = await optimize(
        {
          filePath: project.file,
          fileText: SLOW_DUPLICATES,
          target: { functionName: 'find_duplicates' },
          workload: readWorkloadFile(project.inputs),
          settings: { rounds: 1, candidatesPerRound: attacks.length, timingSamples: 10, sampleSeconds: 0.01, timeoutMs: 15_000 },
        },
        { provider: new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'fake-model', maxRetries: 0 }) },
      );
    } finally {
      await llm.close();
      delete process.env.OPENAI_API_KEY;
      delete process.env.PERFLOOP_API_KEY;
    }
    for (const c of report.candidates) candidates.set(c.rationale, c);
    wroteIntoProject = existsSync(join(project.dir, 'pwned.txt'));
    rmSync(project.dir, { recursive: true, force: true });
  });

  after(async () => {
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    rmSync(outsideDir, { recursive: true, force: true });
  });

  it('runs in a real sandbox on this machine', () => {
    assert.notEqual(report.environment.sandbox, 'none', report.environment.sandboxWarning);
  });

  it('blocks network access', () => {
    assert.equal(connections, 0);
    assert.equal(candidates.get('network')?.verdict, 'faster', 'the failed attack is swallowed, the rewrite still measured');
  });

  it('blocks writes outside the private temp dir, including the project', () => {
    assert.equal(existsSync(join(outsideDir, 'pwned.txt')), false);
    assert.equal(wroteIntoProject, false);
    assert.ok(candidates.get('write outside'));
  });

  it('keeps API keys and other secrets out of the environment', () => {
    const c = candidates.get('read secrets');
    assert.ok(c);
    assert.doesNotMatch(`${c.reason ?? ''} ${JSON.stringify(c.counterexample ?? '')}`, /secret leaked/);
    assert.equal(c.verdict, 'faster');
    assert.doesNotMatch(JSON.stringify(report), new RegExp(secret));
  });

  it('contains a fork bomb', () => {
    const c = candidates.get('fork bomb');
    assert.ok(c && ['error', 'incorrect', 'timeout'].includes(c.verdict), c?.verdict);
    assert.ok(processCount() < processesBefore + 20, 'no processes left behind');
  });

  it('stops an infinite loop with a timeout', () => {
    assert.equal(candidates.get('infinite loop')?.verdict, 'timeout');
  });

  it('stops a memory bomb', () => {
    const c = candidates.get('memory bomb');
    assert.ok(c && ['error', 'incorrect', 'timeout'].includes(c.verdict), c?.verdict);
  });

  it('still finishes the run with the attacks recorded and no winner among them unless it was contained', () => {
    assert.equal(report.candidates.length, 6);
    assert.ok(['improved', 'no-significant-improvement'].includes(report.outcome));
  });
});
