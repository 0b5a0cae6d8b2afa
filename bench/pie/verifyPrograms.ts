/**
 * Checks a PIE pair here before it is timed: both programs (untrusted CodeNet submissions) run in the sandbox, process
 * creation refused, on every sample test, and their stdout must match the expected answer token-wise.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runSandboxed } from '../../profilers/sandbox/sandbox.js';
import { compareOutputs } from './outputMatch.js';
import type { PiePair } from './pieData.js';

export interface TestRunCheck {
  test: number;
  passed: boolean;
  /** Why it failed: wrong answer (first differing token), exit status, timeout. */
  reason?: string;
  /** Wall time of the sandboxed run, start-up of the sandbox included (for the log only, never compared). */
  seconds: number;
}

export interface PairVerification {
  passed: boolean;
  slow: TestRunCheck[];
  fast: TestRunCheck[];
  /** The first failure, as "slow, test 2: token 1: expected 4, got 5". */
  reason?: string;
}

export interface VerifyOptions {
  python: string;
  /** A directory of the section's scratch space; a subdirectory per pair is made in it. */
  workRoot: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

async function runTest(program: 'slow' | 'fast', dir: string, input: string, expected: string, index: number, options: VerifyOptions): Promise<TestRunCheck> {
  const result = await runSandboxed({
    argv: [options.python, `${program}.py`],
    mode: 'auto',
    workDir: dir,
    timeoutMs: options.timeoutMs,
    stdin: input,
    maxOutputBytes: 4 * 1024 * 1024,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const seconds = result.durationMs / 1000;
  if (result.aborted) throw new Error('Verification aborted.');
  if (result.timedOut) return { test: index, passed: false, reason: `timed out after ${options.timeoutMs} ms`, seconds };
  if (result.exitCode !== 0) {
    const last = result.stderr.trim().split('\n').slice(-1)[0] ?? '';
    return { test: index, passed: false, reason: `exit ${result.exitCode ?? result.signal}${last ? `: ${last.slice(0, 160)}` : ''}`, seconds };
  }
  if (result.outputTruncated) return { test: index, passed: false, reason: 'output too large', seconds };
  const match = compareOutputs(expected, result.stdout);
  return match.equal ? { test: index, passed: true, seconds } : { test: index, passed: false, reason: `wrong answer, ${match.reason}`, seconds };
}

export async function verifyPair(pair: PiePair, options: VerifyOptions): Promise<PairVerification> {
  const dir = path.join(options.workRoot, pair.id.replace(/[^\w.-]+/g, '_'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'slow.py'), pair.slowProgram);
  writeFileSync(path.join(dir, 'fast.py'), pair.fastProgram);
  const verification: PairVerification = { passed: true, slow: [], fast: [] };
  for (const [index, test] of pair.tests.entries()) {
    for (const program of ['slow', 'fast'] as const) {
      const check = await runTest(program, dir, test.input, test.expectedOutput, index + 1, options);
      verification[program].push(check);
      if (!check.passed) {
        // One failure excludes the pair; running on would only spend time (a hanging program, every test).
        return { ...verification, passed: false, reason: `${program}, test ${index + 1}: ${check.reason ?? 'failed'}` };
      }
    }
  }
  return verification;
}
