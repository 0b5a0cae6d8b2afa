/**
 * Candidates that behave correctly except while their instructions are counted. They share the process with the
 * harness, so they can tell: the harness's count function on the call stack, valgrind's preload library in LD_PRELOAD.
 * When the verdict rests on instruction counts (`counters: 'instructions'`), such a candidate must not be called faster;
 * an honest faster candidate still must be, with its instruction figure. Real runners, real sandbox, real counter,
 * through `perfloop compare`'s engine.
 * @slow
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compareCandidate } from '../../optimizer/compare.js';
import type { CandidateResult } from '../../optimizer/types.js';
import { detectInstructionCounter } from '../../profilers/counters/instructions.js';
import { JavaScriptRunner } from '../../profilers/javascript/javascriptRunner.js';
import { NativeRunner } from '../../profilers/native/nativeRunner.js';
import { PythonRunner } from '../../profilers/python/pythonRunner.js';
import type { LanguageRunner, WorkloadSource } from '../../profilers/runner.js';

const SETTINGS = { timingSamples: 10, sampleSeconds: 0.01, timeoutMs: 60_000, counters: 'instructions' as const };

/** Ranks by counting smaller elements: quadratic, so an honest sort-based candidate needs far fewer instructions. */
function workload(length: number): WorkloadSource {
  return {
    kind: 'json',
    origin: 'user',
    correctness: [[[3, 1, 2]], [[]], [[5, 5, 4]], [[9, 8, 7, 6]]],
    performance: [[Array.from({ length }, (_, i) => (i * 7919) % 1009)]],
  };
}

async function compared(runner: LanguageRunner, fileName: string, original: string, candidate: string, functionName: string, inputs: WorkloadSource): Promise<CandidateResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'perfloop-count-attack-'));
  try {
    const filePath = path.join(dir, fileName);
    const candidatePath = path.join(dir, `candidate${path.extname(fileName)}`);
    writeFileSync(filePath, original);
    writeFileSync(candidatePath, candidate);
    const report = await compareCandidate(
      { filePath, fileText: original, target: { functionName }, candidatePath, candidateText: candidate, workload: inputs, settings: SETTINGS },
      { runner },
    );
    assert.equal(report.error, undefined, report.error);
    const result = report.candidates[0];
    assert.ok(result, 'the candidate was judged');
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function assertCaught(result: CandidateResult): void {
  assert.notEqual(result.verdict, 'faster', JSON.stringify({ verdict: result.verdict, reason: result.reason, instructions: result.instructions }));
  assert.equal(result.verdict, 'incorrect', JSON.stringify({ verdict: result.verdict, reason: result.reason }));
  assert.match(result.reason ?? '', /when its instructions were counted, its result on performance input 0 differs from the original's .*under the instruction counter/);
}

function assertHonestFaster(result: CandidateResult): void {
  assert.equal(result.verdict, 'faster', JSON.stringify({ verdict: result.verdict, reason: result.reason, instructions: result.instructions }));
  assert.ok(result.instructions && result.instructions.count > 0 && result.instructions.ratio < 0.5, JSON.stringify(result.instructions));
}

describe('candidates that cheat only while counted get no instruction verdict @slow', function () {
  this.timeout(900_000);

  before(async function () {
    if (!(await detectInstructionCounter())) this.skip();
  });

  describe('Python', () => {
    const original = 'def ranks(xs):\n    return [sum(1 for y in xs if y < x) for x in xs]\n';
    const inputs = workload(400);

    it('a candidate that finds the harness count function on its call stack and skips its work is rejected', async () => {
      const cheat = [
        'import sys',
        '',
        '',
        'def ranks(xs):',
        '    frame = sys._getframe(1)',
        '    while frame is not None:',
        '        if frame.f_code.co_name == "run_for_count":',
        '            return [0] * len(xs)',
        '        frame = frame.f_back',
        '    return [sum(1 for y in xs if y < x) for x in xs]',
        '',
      ].join('\n');
      assertCaught(await compared(new PythonRunner(), 'ranks.py', original, cheat, 'ranks', inputs));
    });

    it('an honest candidate whose floats differ within the tolerance keeps its instruction figure', async () => {
      const sumOriginal = 'def total(xs):\n    t = 0.0\n    for x in xs:\n        t += x / 7\n    return t\n';
      const dividedOnce = 'def total(xs):\n    return sum(xs) / 7\n';
      const floats: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[[0.1, 0.2, 0.3]], [[]]], performance: [[Array.from({ length: 5000 }, (_, i) => i * 0.37)]] };
      const result = await compared(new PythonRunner(), 'total.py', sumOriginal, dividedOnce, 'total', floats);
      assert.notEqual(result.verdict, 'incorrect', result.reason);
      assert.ok(result.instructions && result.instructions.count > 0, JSON.stringify(result));
    });

    it('an honest faster candidate is still faster by its instructions', async () => {
      const honest = 'import bisect\n\n\ndef ranks(xs):\n    ordered = sorted(xs)\n    return [bisect.bisect_left(ordered, x) for x in xs]\n';
      assertHonestFaster(await compared(new PythonRunner(), 'ranks.py', original, honest, 'ranks', inputs));
    });
  });

  describe('JavaScript', () => {
    const original = 'export function ranks(xs) {\n  return xs.map((x) => xs.filter((y) => y < x).length);\n}\n';
    const inputs = workload(1500);

    it('a candidate that finds valgrind in LD_PRELOAD and returns a cheap wrong answer is rejected', async () => {
      const cheat = [
        'export function ranks(xs) {',
        "  if ((process.env.LD_PRELOAD ?? '').includes('vgpreload')) return xs.map(() => 0);",
        '  return xs.map((x) => xs.filter((y) => y < x).length);',
        '}',
        '',
      ].join('\n');
      assertCaught(await compared(new JavaScriptRunner(), 'ranks.mjs', original, cheat, 'ranks', inputs));
    });

    it('an honest faster candidate is still faster by its instructions', async () => {
      const honest = [
        'export function ranks(xs) {',
        '  const ordered = [...xs].sort((a, b) => a - b);',
        '  return xs.map((x) => {',
        '    let lo = 0;',
        '    let hi = ordered.length;',
        '    while (lo < hi) {',
        '      const mid = (lo + hi) >> 1;',
        '      if (ordered[mid] < x) lo = mid + 1;',
        '      else hi = mid;',
        '    }',
        '    return lo;',
        '  });',
        '}',
        '',
      ].join('\n');
      assertHonestFaster(await compared(new JavaScriptRunner(), 'ranks.mjs', original, honest, 'ranks', inputs));
    });
  });

  describe('C++', () => {
    const original = [
      '#include <vector>',
      '',
      'std::vector<int> ranks(const std::vector<int>& xs) {',
      '  std::vector<int> out;',
      '  for (int x : xs) {',
      '    int smaller = 0;',
      '    for (int y : xs) if (y < x) smaller++;',
      '    out.push_back(smaller);',
      '  }',
      '  return out;',
      '}',
      '',
    ].join('\n');
    const inputs = workload(3000);

    it('a candidate that finds valgrind in LD_PRELOAD and returns a cheap wrong answer is rejected', async () => {
      const cheat = original
        .replace('#include <vector>', '#include <cstdlib>\n#include <cstring>\n#include <vector>')
        .replace(
          '  std::vector<int> out;',
          '  const char* preload = std::getenv("LD_PRELOAD");\n  if (preload && std::strstr(preload, "vgpreload")) return std::vector<int>(xs.size(), 0);\n  std::vector<int> out;',
        );
      assertCaught(await compared(new NativeRunner({ dialect: 'cpp' }), 'ranks.cpp', original, cheat, 'ranks', inputs));
    });

    it('an honest faster candidate is still faster by its instructions', async () => {
      const honest = [
        '#include <algorithm>',
        '#include <vector>',
        '',
        'std::vector<int> ranks(const std::vector<int>& xs) {',
        '  std::vector<int> ordered(xs);',
        '  std::sort(ordered.begin(), ordered.end());',
        '  std::vector<int> out;',
        '  out.reserve(xs.size());',
        '  for (int x : xs) out.push_back(static_cast<int>(std::lower_bound(ordered.begin(), ordered.end(), x) - ordered.begin()));',
        '  return out;',
        '}',
        '',
      ].join('\n');
      assertHonestFaster(await compared(new NativeRunner({ dialect: 'cpp' }), 'ranks.cpp', original, honest, 'ranks', inputs));
    });
  });
});
