/**
 * The engine end to end: real Python in the real sandbox, the real `openai` client against a local scripted
 * OpenAI-compatible server. @slow
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { compareCandidate } from '../../optimizer/compare.js';
import { OpenAICompatibleProvider } from '../../optimizer/llm/openaiProvider.js';
import { optimize } from '../../optimizer/optimize.js';
import { renderMarkdownReport } from '../../optimizer/report/markdown.js';
import { renderResultsTable } from '../../optimizer/report/table.js';
import type { RunEvent } from '../../optimizer/types.js';
import { readWorkloadFile } from '../../optimizer/workloadFile.js';
import { runnerForFile } from '../../profilers/registry.js';
import type { LanguageRunner } from '../../profilers/runner.js';
import { fakeReplies, startFakeLlmServer, type FakeLlmServer } from '../support/fakeLlmServer.js';
import {
  candidateReply,
  FAST_DUPLICATES,
  projectWithDuplicates,
  SLOW_DUPLICATES,
  SLOWER_DUPLICATES,
  WRONG_ORDER_DUPLICATES,
} from '../support/pythonFixtures.js';

const FAST_SETTINGS = { timingSamples: 16, sampleSeconds: 0.01, timeoutMs: 20_000 };

interface RunnerCall {
  method: string;
  start: number;
  end: number;
  /** The id of the program a call measures against the original (measureTime's candidate). */
  program?: string;
}

/** The runner with every call's start and end recorded (the engine cannot tell). */
function recordingRunner(runner: LanguageRunner, calls: RunnerCall[]): LanguageRunner {
  return new Proxy(runner, {
    get: (target, property, receiver) => {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        const program = property === 'measureTime' ? (args[1] as { id?: string } | undefined)?.id : undefined;
        const call: RunnerCall = { method: property, start: performance.now(), end: Infinity, ...(program ? { program } : {}) };
        calls.push(call);
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) call.end = call.start; // originalProgram and the like are synchronous
        return result instanceof Promise ? result.finally(() => (call.end = performance.now())) : result;
      };
    },
  });
}

const overlaps = (a: RunnerCall, b: RunnerCall) => a !== b && a.start < b.end && b.start < a.end;

describe('optimize (engine, end to end) @slow', function () {
  this.timeout(300_000);
  let llm: FakeLlmServer | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await llm?.close();
    llm = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('verifies and measures every candidate, feeds results back, and keeps the best verified one', async () => {
    const project = projectWithDuplicates();
    dirs.push(project.dir);
    llm = await startFakeLlmServer([
      fakeReplies.text(
        candidateReply([
          { rationale: 'sets for membership', code: FAST_DUPLICATES },
          { rationale: 'sorted set', code: WRONG_ORDER_DUPLICATES },
          { rationale: 'twice the work', code: SLOWER_DUPLICATES },
          { rationale: 'broken', code: 'def find_duplicates(emails):\n    return [e for e in emails if\n' },
          { rationale: 'raises', code: 'def find_duplicates(emails):\n    return [emails[len(emails)]]' },
          { rationale: 'segfaults', code: 'import ctypes\n\ndef find_duplicates(emails):\n    return ctypes.string_at(0)' },
        ]),
      ),
      fakeReplies.text('I could not improve it further, sorry.'),
    ]);
    const events: RunEvent[] = [];
    const calls: RunnerCall[] = [];
    const report = await optimize(
      {
        filePath: project.file,
        fileText: SLOW_DUPLICATES,
        target: { functionName: 'find_duplicates' },
        workload: readWorkloadFile(project.inputs),
        settings: { ...FAST_SETTINGS, rounds: 3, candidatesPerRound: 6, parallelCandidates: 2 },
      },
      {
        provider: new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'fake-model', maxRetries: 0 }),
        runner: recordingRunner(runnerForFile(project.file), calls),
      },
      { onEvent: (e) => events.push(e) },
    );

    assert.equal(report.outcome, 'improved', report.error);
    const byRationale = new Map(report.candidates.map((c) => [c.rationale, c]));
    const fast = byRationale.get('sets for membership');
    assert.equal(fast?.verdict, 'faster');
    assert.ok(fast.speedup && fast.speedup.low > 1.05, 'the interval clears the noise threshold');
    assert.equal(report.best?.candidateId, fast.id);
    assert.match(report.best?.diff ?? '', /\+\s+seen = set\(\)/);
    assert.match(report.best?.patchedFileText ?? '', /def normalise/);

    const wrong = byRationale.get('sorted set');
    assert.equal(wrong?.verdict, 'incorrect');
    assert.equal(wrong.counterexample?.kind, 'return');
    assert.match(wrong.counterexample?.input ?? '', /\[/);

    assert.equal(byRationale.get('twice the work')?.verdict, 'slower');
    const broken = report.candidates.find((c) => c.code.includes('if\n'));
    assert.equal(broken?.verdict, 'error');
    assert.match(broken.reason ?? '', /parse|syntax/i);
    const raises = byRationale.get('raises');
    assert.equal(raises?.verdict, 'incorrect');
    assert.equal(raises.counterexample?.kind, 'exception');
    assert.match(raises.counterexample?.actual ?? '', /IndexError/);
    const segfaults = byRationale.get('segfaults');
    assert.equal(segfaults?.verdict, 'error');
    assert.match(segfaults.reason ?? '', /SIGSEGV|segmentation/i);
    const prose = report.candidates.find((c) => c.round === 2);
    assert.equal(prose?.verdict, 'error');
    assert.match(prose.reason ?? '', /no code/i);

    // Round 2 carried round 1's measurements and failures; its empty reply ended the run early (no round 3).
    assert.equal(llm.chatRequests.length, 2);
    const round2 = JSON.stringify(llm.chatRequests[1]?.body?.messages);
    assert.match(round2, new RegExp(fast.id));
    assert.match(round2, /incorrect/);
    assert.match(round2, /syntax|parse/i);
    assert.ok(report.tokenUsage.requests === 2 && report.tokenUsage.totalTokens > 0);

    assert.ok(report.baseline && report.baseline.secondsPerCall > 0);
    assert.ok(report.baseline.lineProfile && report.baseline.lineProfile.entries.length > 0);
    assert.ok(report.baseline.peakMemoryBytes !== undefined);
    // Two candidates at a time: their checks overlapped, but no timing run shared the machine with another runner call.
    assert.equal(report.settings.parallelCandidates, 2);
    const candidatePhase = calls.filter((c) => c.start >= (calls.find((k) => k.method === 'buildCandidate')?.start ?? Infinity));
    assert.ok(
      candidatePhase.some((a) => a.method === 'checkEquivalence' && candidatePhase.some((b) => b.method === 'checkEquivalence' && overlaps(a, b))),
      'two candidates were checked at the same time',
    );
    const timings = candidatePhase.filter((c) => c.method === 'measureTime');
    assert.ok(timings.length >= 2, 'the faster and the slower candidate were timed');
    for (const timing of timings) {
      // The process pairs of one verdict start together and take turns at being timed (profilers/judge/timingTurns.ts).
      const ownPair = (c: RunnerCall) => c.method === 'measureTime' && c.program === timing.program;
      const beside = candidatePhase.filter((c) => overlaps(timing, c) && !ownPair(c)).map((c) => c.method);
      assert.deepEqual(beside, [], 'nothing runs while a candidate is timed');
    }
    const started = events.filter((e) => e.type === 'candidate-start').map((e) => e.id);
    assert.deepEqual(started.slice(0, 6), ['r1c1', 'r1c2', 'r1c3', 'r1c4', 'r1c5', 'r1c6'], 'candidates start in the reply order');

    const kinds = new Set(events.map((e) => e.type));
    for (const kind of ['target', 'workload', 'baseline', 'round-start', 'llm-reply', 'candidate', 'round-end']) {
      assert.ok(kinds.has(kind as RunEvent['type']), `emits ${kind}`);
    }
  });

  it('asks the LLM for an input generator when the user gave no inputs, and repairs a broken one', async () => {
    const project = projectWithDuplicates(false);
    dirs.push(project.dir);
    const brokenGenerator = '```python\ndef correctness_inputs():\n    return [[undefined_name]]\n\ndef sized_input(n):\n    return [[]]\n```';
    const generator = [
      '```python',
      'import random',
      'def correctness_inputs():',
      '    return [[[]], [["a"]], [["a", "A "]], [["b", "a", "b", "a"]]]',
      '',
      'def sized_input(n):',
      '    rng = random.Random(n)',
      '    return [[f"u{rng.randrange(n)}@x" for _ in range(n)]]',
      '```',
    ].join('\n');
    llm = await startFakeLlmServer([
      fakeReplies.text(brokenGenerator),
      fakeReplies.text(generator),
      fakeReplies.text(candidateReply([{ rationale: 'sets', code: FAST_DUPLICATES }])),
      fakeReplies.text(candidateReply([{ rationale: 'same again', code: FAST_DUPLICATES }])),
    ]);
    const report = await optimize(
      {
        filePath: project.file,
        fileText: SLOW_DUPLICATES,
        target: { functionName: 'find_duplicates' },
        settings: { ...FAST_SETTINGS, rounds: 2, candidatesPerRound: 1 },
      },
      { provider: new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'fake-model', maxRetries: 0 }) },
    );
    assert.equal(report.workload?.origin, 'llm-generator');
    assert.match(report.workload?.generatorSource ?? '', /sized_input/);
    assert.match(JSON.stringify(llm.chatRequests[1]?.body?.messages), /undefined_name/, 'the repair prompt shows the error');
    assert.ok(report.baseline?.complexity && report.baseline.complexity.points.length >= 3, 'complexity measured with sized_input');
    assert.equal(report.outcome, 'improved', report.error);
  });

  it('does not call a candidate that caches results across calls faster', async () => {
    const project = projectWithDuplicates();
    dirs.push(project.dir);
    const memoizing = SLOW_DUPLICATES.replace(
      'def find_duplicates(emails):\n',
      '_memo = {}\n\n\ndef find_duplicates(emails):\n    memo_key = tuple(emails)\n    if memo_key in _memo:\n        return list(_memo[memo_key])\n',
    ).replace('    return duplicates\n', '    _memo[memo_key] = list(duplicates)\n    return duplicates\n');
    const report = await compareCandidate({
      filePath: project.file,
      fileText: SLOW_DUPLICATES,
      target: { functionName: 'find_duplicates' },
      candidatePath: join(project.dir, 'memo.py'),
      candidateText: memoizing,
      workload: readWorkloadFile(project.inputs),
      settings: FAST_SETTINGS,
    });
    const c = report.candidates[0];
    assert.equal(c?.verdict, 'error', JSON.stringify(c?.speedup));
    assert.match(c.reason ?? '', /keeps state across calls \(`_memo` grew from 0 to \d+ entries/);
  });

  it('reports a misconfigured endpoint beside the profiling of the original, not after it: nothing listening, a rejected key, an unknown model', async () => {
    const project = projectWithDuplicates();
    dirs.push(project.dir);
    const request = {
      filePath: project.file,
      fileText: SLOW_DUPLICATES,
      target: { functionName: 'find_duplicates' },
      workload: readWorkloadFile(project.inputs),
      settings: { ...FAST_SETTINGS, rounds: 1 },
    };
    const failFast = async (provider: OpenAICompatibleProvider) => {
      const events: RunEvent[] = [];
      const started = Date.now();
      const report = await optimize(request, { provider }, { onEvent: (e) => events.push(e) });
      return { report, seconds: (Date.now() - started) / 1000, profiled: events.some((e) => e.type === 'baseline') };
    };

    const nobody = await failFast(new OpenAICompatibleProvider({ baseURL: `http://127.0.0.1:${await closedPort()}/v1`, model: 'fake-model', maxRetries: 0 }));
    assert.equal(nobody.report.outcome, 'failed');
    assert.match(nobody.report.error ?? '', /nothing is listening/);
    assert.equal(nobody.profiled, false, `reported after profiling (${nobody.seconds} s)`);

    llm = await startFakeLlmServer([], { apiKeys: ['sk-right'] });
    const rejected = await failFast(new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'fake-model', apiKey: 'sk-wrong', maxRetries: 0 }));
    assert.equal(rejected.report.outcome, 'failed');
    assert.match(rejected.report.error ?? '', /rejected the API key \(401/);
    assert.equal(rejected.profiled, false, `reported after profiling (${rejected.seconds} s)`);
    assert.doesNotMatch(JSON.stringify(rejected.report), /sk-wrong/);
    await llm.close();

    // The endpoint lists other models; one tiny request confirms that this one is unknown.
    llm = await startFakeLlmServer([fakeReplies.modelNotFound('gpt-9')], { models: ['fake-model'] });
    const unknown = await failFast(new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'gpt-9', maxRetries: 0 }));
    assert.equal(unknown.report.outcome, 'failed');
    assert.match(unknown.report.error ?? '', /no model "gpt-9"/);
    assert.equal(unknown.profiled, false, `reported after profiling (${unknown.seconds} s)`);
    assert.equal(llm.chatRequests.length, 1);
    console.log(`      misconfigured endpoint reported after ${[nobody, rejected, unknown].map((r) => `${r.seconds.toFixed(1)} s`).join(', ')}`);
  });

  it('asks once more when the model stops at its output limit before any usable candidate', async () => {
    const project = projectWithDuplicates();
    dirs.push(project.dir);
    const cut = fakeReplies.text('### Candidate 1: sets for membership\n```python\ndef find_duplicates(emails):\n    seen = set()\n', { finishReason: 'length' });
    llm = await startFakeLlmServer([cut, fakeReplies.text(candidateReply([{ rationale: 'sets for membership', code: FAST_DUPLICATES }])), cut, cut]);
    const request = {
      filePath: project.file,
      fileText: SLOW_DUPLICATES,
      target: { functionName: 'find_duplicates' },
      workload: readWorkloadFile(project.inputs),
      settings: { ...FAST_SETTINGS, rounds: 1, candidatesPerRound: 1 },
    };
    const provider = new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'fake-model', maxRetries: 0 });
    const recovered = await optimize(request, { provider });
    assert.equal(llm.chatRequests.length, 2);
    assert.equal(recovered.outcome, 'improved', recovered.error);
    assert.equal(recovered.tokenUsage.requests, 2);

    const twice = await optimize(request, { provider });
    assert.equal(llm.chatRequests.length, 4);
    assert.equal(twice.outcome, 'failed');
    assert.match(twice.error ?? '', /output token limit.*2 attempts/);
    assert.match(twice.error ?? '', /fewer candidates/);
  });

  it('keeps the secrets of a .env file a candidate returns out of the next prompt, and the report says what it redacted', async () => {
    const project = projectWithDuplicates();
    dirs.push(project.dir);
    const knownValue = 'plk-test-7f3a9c2e5b1d';
    // Short enough for the harness to show whole (it elides the middle of strings over 240 characters).
    const dotEnv = [
      'OPENAI_API_KEY=sk-proj-Zx8Qw2Er4Ty6Ui8Op0As2Df4Gh6Jk8L',
      'GITHUB_TOKEN=ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8',
      'AWS_ACCESS_KEY_ID=AKIAZ5EXAMPLE7QWERTY',
      'DB_PASSWORD=correct-horse',
      `SERVICE_ID=${knownValue}`,
      'DEBUG=true',
      '',
    ].join('\n');
    writeFileSync(join(project.dir, '.env'), dotEnv);
    // The file's text, hex-encoded so that only the candidate's answer, not its code, carries the secrets.
    const leaky = `def find_duplicates(emails):\n    return bytes.fromhex("${Buffer.from(readFileSync(join(project.dir, '.env'))).toString('hex')}").decode()`;
    llm = await startFakeLlmServer([
      fakeReplies.text(candidateReply([{ rationale: 'reads the config', code: leaky }])),
      fakeReplies.text('Nothing better, sorry.'),
    ]);
    const saved = process.env['PERFLOOP_API_KEY'];
    process.env['PERFLOOP_API_KEY'] = knownValue; // this process's own secret, which SERVICE_ID happens to repeat
    let report;
    try {
      report = await optimize(
        {
          filePath: project.file,
          fileText: SLOW_DUPLICATES,
          target: { functionName: 'find_duplicates' },
          workload: readWorkloadFile(project.inputs),
          settings: { ...FAST_SETTINGS, rounds: 2, candidatesPerRound: 1 },
        },
        { provider: new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'fake-model', maxRetries: 0 }) },
      );
    } finally {
      if (saved === undefined) delete process.env['PERFLOOP_API_KEY'];
      else process.env['PERFLOOP_API_KEY'] = saved;
    }
    assert.equal(report.candidates[0]?.verdict, 'incorrect');
    assert.match(report.candidates[0]?.counterexample?.actual ?? '', /correct-horse/, 'the local report keeps what happened');
    assert.equal(llm.chatRequests.length, 2);
    const repairPrompt = JSON.stringify(llm.chatRequests[1]?.body?.messages);
    for (const secret of ['sk-proj-Zx8Q', 'ghp_A1b2C3', 'AKIAZ5EXAMPLE', 'correct-horse', knownValue]) {
      assert.ok(!repairPrompt.includes(secret), `${secret} reached the LLM`);
    }
    assert.match(repairPrompt, /DB_PASSWORD=\[redacted: env secret\]/);
    assert.match(repairPrompt, /DEBUG=true/, 'what is not secret stays');
    assert.deepEqual(report.redactions, { count: 5, kinds: { 'environment value': 1, 'API key': 1, 'GitHub token': 1, 'AWS key': 1, 'env secret': 1 } });
    assert.match(renderResultsTable(report), /Redacted from prompts before they were sent to the LLM: 5 secrets \(/);
    assert.match(renderMarkdownReport(report), /- Redacted from prompts before they were sent to the LLM: 5 secrets/);
  });

  it('cancels promptly from an AbortSignal while the LLM request hangs', async () => {
    const project = projectWithDuplicates();
    dirs.push(project.dir);
    llm = await startFakeLlmServer([fakeReplies.hang()]);
    const controller = new AbortController();
    const events: RunEvent[] = [];
    const started = Date.now();
    const running = optimize(
      {
        filePath: project.file,
        fileText: SLOW_DUPLICATES,
        target: { functionName: 'find_duplicates' },
        workload: readWorkloadFile(project.inputs),
        settings: { ...FAST_SETTINGS, rounds: 1 },
      },
      { provider: new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'fake-model', maxRetries: 0 }) },
      {
        signal: controller.signal,
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'round-start') setTimeout(() => controller.abort(), 200);
        },
      },
    );
    const report = await running;
    assert.equal(report.outcome, 'cancelled');
    assert.ok(Date.now() - started < 120_000);
    await llm.chatRequests[0]?.settled;
    assert.equal(llm.chatRequests[0]?.closedByClient, true, 'the HTTP request was really cancelled');
  });
});

/** A port nothing listens on: bind one, then release it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}
