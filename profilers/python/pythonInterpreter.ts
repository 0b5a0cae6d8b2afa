/**
 * Which Python runs the user's code. `python3` is often a shim (pyenv, asdf) that is a shell script and forks, which the
 * sandbox forbids; so the shim is asked once, outside the sandbox (the user's own interpreter is trusted), for the real
 * executable, and every sandboxed run uses that path. A virtualenv's interpreter keeps its site-packages this way.
 */
import { execa } from 'execa';
import { z } from 'zod';
import { RunnerError } from '../runner.js';

export interface PythonInterpreter {
  /** Absolute path of the real interpreter binary (sys.executable). */
  executable: string;
  /** e.g. "3.11.7". */
  version: string;
  /** e.g. "CPython". */
  implementation: string;
}

/** tracemalloc.reset_peak (memory profiles) appeared in 3.9. */
const MINIMUM_VERSION: readonly [number, number] = [3, 9];
const PROBE_TIMEOUT_MS = 20_000;
const DEFAULT_COMMANDS = ['python3', 'python'];

const PROBE = [
  'import json, platform, sys',
  'print(json.dumps({"executable": sys.executable, "version": platform.python_version(),',
  ' "implementation": platform.python_implementation(), "major": sys.version_info[0], "minor": sys.version_info[1]}))',
].join('\n');

const probeReply = z.object({
  executable: z.string(),
  version: z.string(),
  implementation: z.string(),
  major: z.number().int(),
  minor: z.number().int(),
});

const cache = new Map<string, Promise<PythonInterpreter>>();

async function probe(command: string): Promise<PythonInterpreter | { failure: string }> {
  const run = await execa(command, ['-c', PROBE], { timeout: PROBE_TIMEOUT_MS, reject: false, stdin: 'ignore' });
  if (run.failed || run.exitCode !== 0) {
    const why = run.stderr.trim().split('\n').pop() || run.shortMessage || `exit status ${run.exitCode}`;
    return { failure: `${command}: ${why}` };
  }
  const lastLine = run.stdout.trim().split('\n').pop() ?? '';
  let reply: z.infer<typeof probeReply>;
  try {
    reply = probeReply.parse(JSON.parse(lastLine));
  } catch {
    return { failure: `${command}: unexpected answer ${JSON.stringify(lastLine.slice(0, 200))}` };
  }
  if (reply.major < MINIMUM_VERSION[0] || (reply.major === MINIMUM_VERSION[0] && reply.minor < MINIMUM_VERSION[1])) {
    return { failure: `${command} is Python ${reply.version}; Perfloop needs ${MINIMUM_VERSION.join('.')} or newer` };
  }
  if (!reply.executable) return { failure: `${command} does not report its executable path (sys.executable is empty)` };
  return { executable: reply.executable, version: reply.version, implementation: reply.implementation };
}

async function resolveUncached(explicitPath: string | undefined): Promise<PythonInterpreter> {
  const commands = explicitPath ? [explicitPath] : DEFAULT_COMMANDS;
  const failures: string[] = [];
  for (const command of commands) {
    const found = await probe(command);
    if (!('failure' in found)) return found;
    failures.push(found.failure);
  }
  const hint = explicitPath
    ? 'Check the configured Python interpreter path.'
    : 'Install Python 3 or configure the interpreter path.';
  throw new RunnerError(`No usable Python interpreter: ${failures.join('; ')}. ${hint}`);
}

/** The real interpreter behind `explicitPath` (or python3/python on PATH), resolved once per process. */
export function resolvePythonInterpreter(explicitPath?: string): Promise<PythonInterpreter> {
  const key = explicitPath ?? '';
  let resolved = cache.get(key);
  if (!resolved) {
    resolved = resolveUncached(explicitPath);
    // A failure is not cached: the user may install Python or fix the setting and try again.
    resolved.catch(() => cache.delete(key));
    cache.set(key, resolved);
  }
  return resolved;
}
