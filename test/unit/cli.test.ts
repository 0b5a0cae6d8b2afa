/** The CLI as a user runs it: flags, exit codes, the results table, the JSON report, --apply. @slow */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { applyPatch } from 'diff';
import { runCli } from '../../cli/main.js';
import { detectInstructionCounter } from '../../profilers/counters/instructions.js';
import type { OptimizationReport } from '../../optimizer/types.js';
import { decodeSource } from '../../profilers/sourceFile.js';
import { fakeReplies, startFakeLlmServer } from '../support/fakeLlmServer.js';
import { candidateReply, FAST_DUPLICATES, projectWithDuplicates, SLOW_DUPLICATES, WRONG_ORDER_DUPLICATES } from '../support/pythonFixtures.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI remembers timed sizes in the user's cache folder: the tests keep theirs apart. */
const cacheHome = mkdtempSync(join(tmpdir(), 'perfloop-cli-cache-'));
after(() => rmSync(cacheHome, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { PERFLOOP_SAMPLES: '12', XDG_CACHE_HOME: cacheHome, ...env },
  });
  return { code, stdout, stderr };
}

describe('perfloop CLI @slow', function () {
  this.timeout(300_000);
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('compare: verifies and measures a hand-written candidate, prints a table and writes the JSON report', async () => {
    const project = projectWithDuplicates();
    dirs.push(project.dir);
    const candidate = join(project.dir, 'fast.py');
    writeFileSync(candidate, `def normalise(email):\n    return email.strip().lower()\n\n\n${FAST_DUPLICATES.replace('def find_duplicates', 'def find_duplicates_fast')}\n`);
    const json = join(project.dir, 'report.json');
    const run = await cli(['compare', `${project.file}:find_duplicates`, `${candidate}:find_duplicates_fast`, '--inputs', project.inputs, '--json', json]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /candidate\s+faster\s+\d+\.\d+×? \[/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as OptimizationReport;
    const c = report.candidates[0];
    assert.equal(c?.verdict, 'faster');
    assert.ok(c.speedup && c.speedup.low > 1.05 && c.speedup.low <= c.speedup.ratio && c.speedup.ratio <= c.speedup.high);
    assert.ok(c.memory && c.memory.peakBytes > 0);
    assert.match(report.best?.diff ?? '', /^\+.*seen = set\(\)/m);
    assert.ok(['perf', 'valgrind', 'none'].includes(report.environment.instructionCounter));
    if (report.environment.instructionCounter !== 'none') assert.ok(c.instructions && c.instructions.ratio < 1);
  });

  it('compare: an A/A comparison of a function with itself is no-difference, and a wrong rewrite is incorrect with its counterexample', async () => {
    const project = projectWithDuplicates();
    dirs.push(project.dir);
    const same = await cli(['compare', `${project.file}:find_duplicates`, project.file, '--inputs', project.inputs, '--counters', 'time']);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /candidate\s+no-difference/);

    const wrong = join(project.dir, 'wrong.py');
    writeFileSync(wrong, `def normalise(email):\n    return email.strip().lower()\n\n\n${WRONG_ORDER_DUPLICATES}\n`);
    const json = join(project.dir, 'wrong.json');
    const run = await cli(['compare', `${project.file}:find_duplicates`, wrong, '--inputs', project.inputs, '--json', json, '--counters', 'time']);
    assert.equal(run.code, 0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as OptimizationReport;
    assert.equal(report.candidates[0]?.verdict, 'incorrect');
    assert.ok(report.candidates[0]?.counterexample);
    assert.equal(report.best, undefined);
  });

  it('optimize: runs the loop against an OpenAI-compatible endpoint and --apply writes the best candidate', async () => {
    const project = projectWithDuplicates();
    dirs.push(project.dir);
    const llm = await startFakeLlmServer([
      fakeReplies.text(candidateReply([{ rationale: 'sets for membership', code: FAST_DUPLICATES }])),
      fakeReplies.text(candidateReply([{ rationale: 'sorted', code: WRONG_ORDER_DUPLICATES }])),
    ]);
    try {
      const md = join(project.dir, 'report.md');
      const run = await cli(
        ['optimize', project.file, '--function', 'find_duplicates', '--rounds', '2', '--candidates', '1', '--inputs', project.inputs, '--apply', '--markdown', md],
        { PERFLOOP_BASE_URL: llm.baseURL, PERFLOOP_MODEL: 'fake-model', PERFLOOP_API_KEY: 'sk-test' },
      );
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /Round 1\/2/);
      assert.match(run.stdout, /Best: r1c1/);
      assert.equal(llm.chatRequests[0]?.headers.authorization, 'Bearer sk-test');
      assert.equal(llm.chatRequests[0]?.body?.model, 'fake-model');
      const patched = readFileSync(project.file, 'utf8');
      assert.match(patched, /seen = set\(\)/);
      assert.match(patched, /def normalise/);
      assert.match(readFileSync(md, 'utf8'), /```diff/);
    } finally {
      await llm.close();
    }
  });

  it('optimize --apply: a whole-file reply on a latin-1 CRLF file writes exactly the report’s diff, every other byte untouched', async () => {
    const project = projectWithDuplicates();
    dirs.push(project.dir);
    const documented = SLOW_DUPLICATES.replace('def find_duplicates(emails):\n', 'def find_duplicates(emails):\n    """Addresses seen twice, once each, in order."""\n');
    const text = `# -*- coding: latin-1 -*-\n"""Duplicates, for the café."""\n\n\n${documented}\n\ndef greeting():\n    return "café"\n`.replace(/\n/g, '\r\n');
    const before = Buffer.from(text, 'latin1');
    writeFileSync(project.file, before);
    // What real models write: the whole module back, its docstring reworded, helpers repeated, a demo at the end.
    const wholeFile = `"""Faster duplicates."""\n\n\ndef normalise(email):\n    return email.strip().lower()\n\n\n${FAST_DUPLICATES}\n\n\ndef greeting():\n    return "café"\n\n\nif __name__ == "__main__":\n    print(find_duplicates(["a", "a"]))`;
    const llm = await startFakeLlmServer([fakeReplies.text(candidateReply([{ rationale: 'sets', code: wholeFile }]))]);
    try {
      const json = join(project.dir, 'report.json');
      const run = await cli(
        ['optimize', project.file, '--function', 'find_duplicates', '--rounds', '1', '--candidates', '1', '--inputs', project.inputs, '--apply', '--json', json, '--counters', 'time'],
        { PERFLOOP_BASE_URL: llm.baseURL, PERFLOOP_MODEL: 'fake-model', PERFLOOP_API_KEY: 'sk-test' },
      );
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(readFileSync(json, 'utf8')) as OptimizationReport;
      const after = readFileSync(project.file);
      const afterText = decodeSource(after, project.file).text;
      assert.equal(report.candidates[0]?.diff, report.best?.diff, 'the candidate’s diff is the best diff');
      assert.ok(run.stdout.includes(report.best?.diff ?? '?'), 'the diff printed is the report’s');
      assert.equal(applyPatch(text, report.best?.diff ?? ''), afterText, 'the file written is the original with the report’s diff applied');
      const start = before.indexOf('def find_duplicates');
      assert.deepEqual(after.subarray(0, start), before.subarray(0, start));
      const tail = Buffer.from('\r\n\r\n\r\ndef greeting');
      assert.deepEqual(after.subarray(after.indexOf(tail)), before.subarray(before.indexOf(tail)));
      assert.match(afterText, /def find_duplicates\(emails\):\r\n {4}"""Addresses seen twice, once each, in order\."""\r\n {4}seen = set\(\)\r\n/);
      assert.doesNotMatch(afterText, /Faster duplicates|__main__|(?<!\r)\n/);
    } finally {
      await llm.close();
    }
  });

  it("compare: the user's test command gates a candidate, and the benchmark command times the whole program", async () => {
    const project = projectWithDuplicates();
    dirs.push(project.dir);
    writeFileSync(join(project.dir, 'bench.py'), 'from duplicates import find_duplicates\nfind_duplicates([f"u{i % 1200}@x" for i in range(4000)])\n');
    // A three-address case the inputs file does not cover; only the user's own test sees the difference.
    writeFileSync(join(project.dir, 'test_three.py'), 'from duplicates import find_duplicates\nassert find_duplicates(["a", "b", "a"]) == ["a"], "three"\n');
    const sneaky = join(project.dir, 'sneaky.py');
    writeFileSync(
      sneaky,
      `def normalise(email):\n    return email.strip().lower()\n\n\n${FAST_DUPLICATES.replace('def find_duplicates(emails):\n', 'def find_duplicates(emails):\n    if len(emails) == 3:\n        return []\n')}\n`,
    );
    const fast = join(project.dir, 'fast.py');
    writeFileSync(fast, `def normalise(email):\n    return email.strip().lower()\n\n\n${FAST_DUPLICATES}\n`);
    const common = ['--inputs', project.inputs, '--counters', 'time', '--project-dir', project.dir, '--test-command', 'python3 test_three.py'];

    const gatedJson = join(project.dir, 'gated.json');
    const gated = await cli(['compare', `${project.file}:find_duplicates`, sneaky, ...common, '--json', gatedJson]);
    assert.equal(gated.code, 0, gated.stderr);
    const gatedReport = JSON.parse(readFileSync(gatedJson, 'utf8')) as OptimizationReport;
    assert.equal(gatedReport.candidates[0]?.verdict, 'incorrect');
    assert.match(gatedReport.candidates[0]?.reason ?? '', /python3 test_three\.py.*failed[\s\S]*AssertionError: three/);

    const benchJson = join(project.dir, 'bench.json');
    const timed = await cli(['compare', `${project.file}:find_duplicates`, fast, ...common, '--bench-command', 'python3 bench.py', '--bench-runs', '5', '--json', benchJson]);
    assert.equal(timed.code, 0, timed.stderr);
    const report = JSON.parse(readFileSync(benchJson, 'utf8')) as OptimizationReport;
    assert.equal(report.candidates[0]?.verdict, 'faster');
    const wp = report.wholeProgram;
    assert.ok(wp?.speedup && wp.original && wp.patched, wp?.error);
    assert.ok(wp.original.runs === 5 && wp.patched.runs === 5);
    // Which side is faster is a timing, not asserted here (it flipped once on a loaded 2-core machine); the shape is.
    assert.ok(wp.original.medianSeconds > 0 && wp.patched.medianSeconds > 0);
    assert.ok(wp.speedup.low <= wp.speedup.ratio && wp.speedup.ratio <= wp.speedup.high, 'the estimate lies in its interval');
    assert.match(timed.stdout, /Whole program \(`python3 bench\.py`, (hyperfine|builtin), 5 runs each\)/);
    assert.equal(readFileSync(project.file, 'utf8'), SLOW_DUPLICATES, 'the commands ran against copies');
  });

  it('optimize (Python method): the generator builds receivers with the predefined class, and --apply rewrites the method in its class', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perfloop-cli-method-'));
    dirs.push(dir);
    const file = join(dir, 'cart.py');
    copyFileSync(join(repoRoot, 'test/fixtures/python/methods/cart.py'), file);
    const generator = readFileSync(join(repoRoot, 'test/fixtures/python/methods/cart.perfloop.py'), 'utf8');
    const fast = [
      'class Cart:',
      '    def distinct_skus(self):',
      '        seen = dict.fromkeys(line.sku for line in self.lines)',
      '        self.scanned += len(self.lines)',
      '        return list(seen)',
      '',
    ].join('\n');
    const forgetful = fast.replace('        self.scanned += len(self.lines)\n', '');
    const llm = await startFakeLlmServer([
      fakeReplies.text(`\`\`\`python\n${generator}\`\`\`\n`),
      fakeReplies.text(candidateReply([{ rationale: 'dict keeps order', code: fast }, { rationale: 'forgets the count', code: forgetful }])),
    ]);
    try {
      const json = join(dir, 'report.json');
      const run = await cli(
        ['optimize', file, '--function', 'Cart.distinct_skus', '--rounds', '1', '--candidates', '2', '--counters', 'time', '--json', json, '--apply'],
        { PERFLOOP_BASE_URL: llm.baseURL, PERFLOOP_MODEL: 'fake-model', PERFLOOP_JOBS: '1' },
      );
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(readFileSync(json, 'utf8')) as OptimizationReport;
      assert.equal(report.settings.parallelCandidates, 1, 'PERFLOOP_JOBS reaches the engine');
      assert.equal(report.target.functionName, 'Cart.distinct_skus');
      assert.deepEqual(report.candidates.map((c) => c.verdict), ['faster', 'incorrect']);
      assert.equal(report.candidates[1]?.counterexample?.kind, 'mutation');
      const generatorPrompt = String(llm.chatRequests[0]?.body?.messages?.at(-1)?.content ?? '');
      assert.match(generatorPrompt, /method `Cart\.distinct_skus` \(parameters, in order: `self`; the first is the receiver, a `Cart` object\)/);
      const optimizePrompt = String(llm.chatRequests[1]?.body?.messages?.at(-1)?.content ?? '');
      assert.match(optimizePrompt, /Make the Python method `Cart\.distinct_skus` \(of class `Cart`\) faster/);
      assert.match(optimizePrompt, /# distinct_skus\(self\): the method being optimized/);
      const patched = readFileSync(file, 'utf8');
      assert.match(patched, /\n {4}def distinct_skus\(self\):\n {8}seen = dict\.fromkeys/);
      assert.equal(patched.replace(/ {4}def distinct_skus[\s\S]*?return list\(seen\)\n/, ''), readFileSync(join(repoRoot, 'test/fixtures/python/methods/cart.py'), 'utf8').replace(/ {4}def distinct_skus[\s\S]*?return seen\n/, ''));
    } finally {
      await llm.close();
    }
  });

  it('optimize (C): the LLM writes the C++ input generator, its candidates are compiled, checked and measured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perfloop-cli-c-'));
    dirs.push(dir);
    const file = join(dir, 'column_sums.c');
    copyFileSync(join(repoRoot, 'examples/c/column_sums.c'), file);
    const generator = readFileSync(join(repoRoot, 'examples/c/column_sums.perfloop.cpp'), 'utf8');
    const fast = readFileSync(join(repoRoot, 'examples/c/column_sums_fast.c'), 'utf8');
    const wrong = fast.replace('out[c] += row[c];', 'out[c] += row[c] + (r == 1);');
    const llm = await startFakeLlmServer([
      fakeReplies.text(`Here is the generator:\n\n\`\`\`cpp\n${generator}\`\`\`\n`),
      fakeReplies.text(`### Candidate 1: row order\n\`\`\`c\n${fast}\`\`\`\n\n### Candidate 2: off by one row\n\`\`\`c\n${wrong}\`\`\`\n`),
    ]);
    try {
      const json = join(dir, 'report.json');
      const run = await cli(
        // Both candidates built and checked side by side: the C/C++ runner's caches are shared between them.
        ['optimize', file, '--function', 'column_sums', '--rounds', '1', '--candidates', '2', '--jobs', '2', '--counters', 'time', '--json', json],
        { PERFLOOP_BASE_URL: llm.baseURL, PERFLOOP_MODEL: 'fake-model' },
      );
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(readFileSync(json, 'utf8')) as OptimizationReport;
      assert.equal(report.settings.parallelCandidates, 2);
      assert.equal(report.target.language, 'c');
      assert.deepEqual(report.candidates.map((c) => c.verdict), ['faster', 'incorrect']);
      assert.match(report.candidates[1]?.counterexample?.input ?? '', /\{/);
      const generatorPrompt = llm.chatRequests[0]?.body?.messages?.at(-1)?.content ?? '';
      assert.match(String(generatorPrompt), /Write a C\+\+ module that generates inputs for testing and timing the C function `column_sums`/);
      assert.match(String(generatorPrompt), /in\.add\(/);
      const optimizePrompt = String(llm.chatRequests[1]?.body?.messages?.at(-1)?.content ?? '');
      assert.match(optimizePrompt, /```c\n/);
      if (await detectInstructionCounter('valgrind')) {
        // Inclusive instructions per line (callgrind): the column walk is the hot line.
        assert.match(optimizePrompt, /Line profile \(instructions per line including what the line calls/);
        assert.match(optimizePrompt, /^>>.*sum \+= matrix\[r \* cols \+ c\];/m);
      }
    } finally {
      await llm.close();
    }
  });

  it('optimize (C++): a candidate that does not compile comes back with the compiler\'s error, and its repair is measured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perfloop-cli-cpp-'));
    dirs.push(dir);
    for (const name of ['join.cpp', 'join.perfloop.cpp']) copyFileSync(join(repoRoot, 'examples/cpp', name), join(dir, name));
    const fast = readFileSync(join(repoRoot, 'examples/cpp/join_fast.cpp'), 'utf8');
    const broken = fast.replace('result.reserve(total);', 'result.reserve(totl);');
    const llm = await startFakeLlmServer([
      fakeReplies.text(`### Candidate 1: reserve once\n\`\`\`cpp\n${broken}\`\`\`\n`),
      fakeReplies.text(`### Candidate 1: reserve once, typo fixed\n\`\`\`cpp\n${fast}\`\`\`\n`),
    ]);
    try {
      const json = join(dir, 'report.json');
      const run = await cli(
        ['optimize', join(dir, 'join.cpp'), '--function', 'join_words', '--rounds', '2', '--candidates', '1', '--counters', 'time', '--no-sanitizers', '--json', json],
        { PERFLOOP_BASE_URL: llm.baseURL, PERFLOOP_MODEL: 'fake-model' },
      );
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(readFileSync(json, 'utf8')) as OptimizationReport;
      const byId = new Map(report.candidates.map((c) => [c.id, c]));
      assert.equal(byId.get('r1c1')?.verdict, 'error');
      assert.equal(byId.get('r2c1')?.verdict, 'faster');
      assert.match(byId.get('r1c1')?.reason ?? '', /does not compile[\s\S]*totl/);
      const repairPrompt = String(llm.chatRequests[1]?.body?.messages?.at(-1)?.content ?? '');
      assert.match(repairPrompt, /Failed[\s\S]*r1c1[\s\S]*error: .totl. was not declared/);
      assert.match(run.stdout, /Best: r2c1/);
    } finally {
      await llm.close();
    }
  });

  it('compare (C++): whole-program mode builds each copy with --build-command and times the program, as for PIE pairs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perfloop-cli-pie-'));
    dirs.push(dir);
    for (const name of ['join.cpp', 'join_fast.cpp', 'join.perfloop.cpp']) copyFileSync(join(repoRoot, 'examples/cpp', name), join(dir, name));
    writeFileSync(
      join(dir, 'main.cpp'),
      '#include "join.cpp"\n#include <cstdio>\nint main() {\n    std::vector<std::string> words;\n    for (int i = 0; i < 30000; i++) words.push_back("word" + std::to_string(i % 97));\n    std::printf("%zu\\n", join_words(words, ", ").size());\n}\n',
    );
    const json = join(dir, 'report.json');
    const run = await cli(
      ['compare', `${join(dir, 'join.cpp')}:join_words`, join(dir, 'join_fast.cpp'), '--counters', 'time', '--project-dir', dir,
        '--build-command', 'g++ -O2 -o prog main.cpp', '--bench-command', './prog', '--bench-runs', '5', '--json', json],
    );
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(readFileSync(json, 'utf8')) as OptimizationReport;
    assert.equal(report.candidates[0]?.verdict, 'faster');
    const wp = report.wholeProgram;
    assert.ok(wp?.speedup && wp.original && wp.patched, wp?.error);
    assert.equal(wp.buildCommand, 'g++ -O2 -o prog main.cpp');
    assert.equal(wp.speedup.verdict, 'faster', JSON.stringify(wp.speedup));
    assert.match(run.stdout, /Whole program \(`\.\/prog` after `g\+\+ -O2 -o prog main\.cpp`/);
  });

  it('exits 2 with a clear message for bad usage and bad input', async () => {
    const project = projectWithDuplicates();
    dirs.push(project.dir);
    const noTarget = await cli(['optimize', project.file]);
    assert.equal(noTarget.code, 2);
    assert.match(noTarget.stderr, /--function NAME or --lines/);
    const missing = await cli(['optimize', project.file, '--function', 'nope', '--inputs', project.inputs]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /No function named `nope`/);
    writeFileSync(project.inputs, '{"correctness": 3}');
    const badInputs = await cli(['compare', `${project.file}:find_duplicates`, project.file, '--inputs', project.inputs]);
    assert.equal(badInputs.code, 2);
    assert.match(badInputs.stderr, /Inputs file .*"correctness": expected an array/);
    const badFlag = await cli(['optimize', project.file, '--function', 'f', '--rounds', 'zero']);
    assert.equal(badFlag.code, 2);
    const unreachable = await cli(['optimize', project.file, '--function', 'find_duplicates', '--base-url', 'http://127.0.0.1:9/v1', '--inputs', join(project.dir, 'none.json')]);
    assert.equal(unreachable.code, 2);
    assert.equal(readFileSync(project.file, 'utf8'), SLOW_DUPLICATES, 'nothing touched the file');
  });

  it('the bundled CLI starts and prints its help', async () => {
    const { stdout } = await promisify(execFile)('node', ['dist/cli.mjs', '--help']).catch((e: { stdout: string }) => e);
    assert.match(stdout, /optimize/);
    assert.match(stdout, /compare/);
  });
});
