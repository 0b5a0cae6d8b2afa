/**
 * The fallback when hyperfine is absent: a small Python timer run inside the sandbox, so the sandbox's own start-up is
 * not part of any sample. It alternates original and patched runs (O P P O …) so that drift (thermal, background load)
 * hits both sides alike, and reads each run's peak RSS from wait4.
 */
import { resolveHostPython } from '../sandbox/hostPython.js';
import { runSandboxed } from '../sandbox/sandbox.js';
import type { SandboxMode } from '../sandbox/types.js';
import { summarizeTimes, type CommandTimings } from './commandTimings.js';
import { z } from 'zod';

/** argv[1]: JSON {command, dirs: {original, patched}, runs, warmup}. Prints JSON samples per side. */
const TIMER_SCRIPT = `
import json, os, subprocess, sys, time
config = json.loads(sys.argv[1])
sides = ["original", "patched"]
samples = {side: {"times": [], "exitCodes": [], "maxRssBytes": 0} for side in sides}

def run_once(side):
    directory = config["dirs"][side]
    start = time.perf_counter()
    child = subprocess.Popen(["/bin/sh", "-c", config["command"]], cwd=directory, env=dict(os.environ, HOME=directory),
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    # Linux reports ru_maxrss in KiB.
    return elapsed, child.returncode, usage.ru_maxrss * 1024

for _ in range(config["warmup"]):
    for side in sides:
        run_once(side)
for index in range(config["runs"]):
    for side in (sides if index % 2 == 0 else sides[::-1]):
        elapsed, code, rss = run_once(side)
        samples[side]["times"].append(elapsed)
        samples[side]["exitCodes"].append(code)
        samples[side]["maxRssBytes"] = max(samples[side]["maxRssBytes"], rss)
print(json.dumps(samples))
`;

const sideSamplesSchema = z.object({
  times: z.array(z.number()).min(1),
  exitCodes: z.array(z.number().int()),
  maxRssBytes: z.number(),
});
const timerOutputSchema = z.object({ original: sideSamplesSchema, patched: sideSamplesSchema });

export interface BuiltinTimerRun {
  command: string;
  originalDir: string;
  patchedDir: string;
  runs: number;
  warmup: number;
  timeoutMs: number;
  sandbox: SandboxMode;
  signal?: AbortSignal;
  env?: Readonly<Record<string, string>>;
}

export async function timeWithBuiltinTimer(run: BuiltinTimerRun): Promise<{ original: CommandTimings; patched: CommandTimings }> {
  const python = await resolveHostPython();
  if (!python) throw new Error('The built-in timer needs python3 (or install hyperfine).');
  const config = { command: run.command, dirs: { original: run.originalDir, patched: run.patchedDir }, runs: run.runs, warmup: run.warmup };
  const result = await runSandboxed({
    argv: [python, '-I', '-S', '-c', TIMER_SCRIPT, JSON.stringify(config)],
    mode: run.sandbox,
    workDir: run.originalDir,
    writablePaths: [run.patchedDir],
    allowSubprocesses: true,
    persistentWorkDir: true,
    timeoutMs: run.timeoutMs * 2 * (run.runs + run.warmup) + 10_000,
    signal: run.signal,
    env: run.env,
  });
  if (result.aborted) throw new Error('Measurement aborted.');
  if (result.timedOut) throw new Error('The benchmark command timed out while being timed.');
  if (result.exitCode !== 0) {
    throw new Error(`The built-in timer failed (exit ${result.exitCode ?? result.signal}):\n${result.stderr.trim().split('\n').slice(-10).join('\n')}`);
  }
  const samples = timerOutputSchema.parse(JSON.parse(result.stdout));
  const timings = (side: z.infer<typeof sideSamplesSchema>): CommandTimings =>
    summarizeTimes(side.times, side.exitCodes, side.maxRssBytes > 0 ? side.maxRssBytes : undefined);
  return { original: timings(samples.original), patched: timings(samples.patched) };
}
