/** A C/C++ target as the native tests use it: its runner, the extracted target, the original, and candidates built from code. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NativeRunner } from '../../profilers/native/nativeRunner.js';
import type { ExtractedTarget, Program } from '../../profilers/runner.js';

export interface NativeSubject {
  runner: NativeRunner;
  target: ExtractedTarget;
  original: Program;
  candidate(code: string, id?: string): Promise<Program>;
}

/** One runner per file: its build cache makes later questions about the same original cheap. */
export async function nativeSubject(file: string, functionName: string, runner = new NativeRunner({ dialect: file.endsWith('.c') ? 'c' : 'cpp' })): Promise<NativeSubject> {
  const target = await runner.extractTarget(readFileSync(file, 'utf8'), file, { functionName });
  return {
    runner,
    target,
    original: runner.originalProgram(target),
    async candidate(code: string, id = 'candidate') {
      const build = await runner.buildCandidate(target, code, id);
      assert.ok(build.ok, build.ok ? '' : build.reason);
      return build.program;
    },
  };
}
