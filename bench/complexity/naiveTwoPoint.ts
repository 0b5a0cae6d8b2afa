/**
 * The baseline the fit is compared with: what someone without Perfloop would do — time one call at a small size and one
 * at a large size, and take the log–log slope between them. One fresh process per pair, no warm-up, no repeats, outside
 * the sandbox. The sizes are the smallest and largest the engine chose in the same repeat.
 */
import { execa } from 'execa';
import path from 'node:path';
import { z } from 'zod';
import { resolveToolchain } from '../../profilers/native/nativeBuild.js';
import { resolvePythonInterpreter } from '../../profilers/python/pythonInterpreter.js';
import type { KnownGrowthSubject } from './subjects.js';

export interface TwoSingleCalls {
  small: number;
  large: number;
}

/** Times one call at `smallSize` then one at `largeSize`, in a new process. */
export type NaiveTimer = (smallSize: number, largeSize: number, signal?: AbortSignal) => Promise<TwoSingleCalls>;

const reply = z.object({ small: z.number().positive(), large: z.number().positive() });
const RUN_TIMEOUT_MS = 120_000;

async function runCommand(file: string, args: readonly string[], signal?: AbortSignal): Promise<TwoSingleCalls> {
  const run = await execa(file, args, { timeout: RUN_TIMEOUT_MS, stdin: 'ignore', reject: false, ...(signal ? { cancelSignal: signal } : {}) });
  if (run.exitCode !== 0) throw new Error(`${path.basename(file)} ${args.join(' ')} failed (${run.exitCode}): ${String(run.stderr).slice(-600)}`);
  return reply.parse(JSON.parse(String(run.stdout).trim().split('\n').pop() ?? ''));
}

/**
 * A timer for one subject. C++ is compiled here, once, with the compiler and flags the engine's NativeRunner resolves
 * for the same file (the function and the driver in one translation unit: the naive way).
 */
export async function createNaiveTimer(subject: KnownGrowthSubject, root: string, buildDir: string, signal?: AbortSignal): Promise<NaiveTimer> {
  const codeFile = path.join(root, subject.codeFile);
  const workloadFile = path.join(root, subject.workloadFile);
  const naiveDir = path.join(root, 'bench/complexity/naive');
  switch (subject.language) {
    case 'python': {
      const python = await resolvePythonInterpreter(); // the interpreter `new PythonRunner()` uses
      const script = path.join(naiveDir, 'single_call.py');
      return (small, large, s) => runCommand(python.executable, [script, codeFile, subject.functionName, workloadFile, String(small), String(large)], s);
    }
    case 'javascript': {
      const script = path.join(naiveDir, 'singleCall.mjs');
      return (small, large, s) => runCommand(process.execPath, [script, codeFile, subject.functionName, workloadFile, String(small), String(large)], s);
    }
    case 'cpp': {
      const toolchain = resolveToolchain(codeFile, 'cpp');
      const binary = path.join(buildDir, `naive_${subject.functionName}`);
      const compile = await execa(
        toolchain.cxx,
        [
          ...toolchain.flags,
          '-std=c++17',
          `-DFUNCTION=${subject.functionName}`,
          `-DCODE_FILE="${codeFile}"`,
          `-DWORKLOAD_FILE="${workloadFile}"`,
          path.join(naiveDir, 'single_call.cpp'),
          '-o',
          binary,
        ],
        { reject: false, timeout: RUN_TIMEOUT_MS, ...(signal ? { cancelSignal: signal } : {}) },
      );
      if (compile.exitCode !== 0) throw new Error(`compiling the naive timer for ${subject.functionName} failed: ${String(compile.stderr).slice(-1500)}`);
      return (small, large, s) => runCommand(binary, [String(small), String(large)], s);
    }
  }
}
