/**
 * Which Python runs the user's code. `python3` is often a shim (pyenv, asdf) that is a shell script and forks, which the
 * sandbox forbids; so the shim is asked once, outside the sandbox (the user's own interpreter is trusted), for the real
 * executable, and every sandboxed run uses that path. A virtualenv's interpreter keeps its site-packages this way.
 *
 * The same probe records sys.path as the user's environment makes it: PYTHONPATH (which the sandbox's scrubbed
 * environment drops) and the folders `.pth` files and editable installs point at (which Python skips inside the sandbox
 * when they are not visible there). The harness restores that sys.path, and the sandbox shows those folders read-only.
 */
import { execa } from 'execa';
import path from 'node:path';
import { z } from 'zod';
import { RunnerError } from '../runner.js';

export interface PythonInterpreter {
  /** Absolute path of the real interpreter binary (sys.executable). */
  executable: string;
  /** e.g. "3.11.7". */
  version: string;
  /** e.g. "CPython". */
  implementation: string;
  /** sys.path outside the sandbox (user site-packages off, as in the harness), in order; no entry for the cwd. */
  sysPath: string[];
  /**
   * Folders of the user's code the interpreter imports from that lie outside its installation: PYTHONPATH entries, `.pth`
   * lines, the package folders of setuptools' editable finders. Empty when everything lives in the installation.
   */
  userCodePaths: string[];
}

/** tracemalloc.reset_peak (memory profiles) appeared in 3.9. */
const MINIMUM_VERSION: readonly [number, number] = [3, 9];
const PROBE_TIMEOUT_MS = 20_000;
const DEFAULT_COMMANDS = ['python3', 'python'];

/**
 * Run with -s like the harness. setuptools' editable installs (PEP 660) map package names to folders in the MAPPING of a
 * finder module they put on sys.meta_path, not on sys.path.
 */
const PROBE = [
  'import json, os, platform, sys',
  'mapped = []',
  'for finder in sys.meta_path:',
  '    mapping = getattr(sys.modules.get(getattr(finder, "__module__", "")), "MAPPING", None)',
  '    if isinstance(mapping, dict):',
  '        mapped += [os.path.dirname(p) if os.path.isfile(p) else p for p in mapping.values() if isinstance(p, str)]',
  'print(json.dumps({"executable": sys.executable, "version": platform.python_version(),',
  ' "implementation": platform.python_implementation(), "major": sys.version_info[0], "minor": sys.version_info[1],',
  ' "sysPath": [p for p in sys.path if p and os.path.isabs(p)], "mapped": mapped,',
  ' "prefixes": sorted({sys.prefix, sys.base_prefix, sys.exec_prefix, getattr(sys, "base_exec_prefix", sys.prefix)})}))',
].join('\n');

const probeReply = z.object({
  executable: z.string(),
  version: z.string(),
  implementation: z.string(),
  major: z.number().int(),
  minor: z.number().int(),
  sysPath: z.array(z.string()),
  mapped: z.array(z.string()),
  prefixes: z.array(z.string()),
});

const inside = (child: string, parent: string): boolean =>
  child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);

/** The folders of user code among the interpreter's import paths: those outside its installation prefixes. */
function userCodePaths(reply: z.infer<typeof probeReply>): string[] {
  const prefixes = reply.prefixes.filter((p) => path.isAbsolute(p) && p !== path.sep).map((p) => path.resolve(p));
  const paths = [...reply.sysPath, ...reply.mapped].filter((p) => path.isAbsolute(p)).map((p) => path.resolve(p));
  return [...new Set(paths.filter((p) => !prefixes.some((prefix) => inside(p, prefix))))];
}

const cache = new Map<string, Promise<PythonInterpreter>>();

async function probe(command: string): Promise<PythonInterpreter | { failure: string }> {
  const run = await execa(command, ['-s', '-c', PROBE], { timeout: PROBE_TIMEOUT_MS, reject: false, stdin: 'ignore' });
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
  return {
    executable: reply.executable,
    version: reply.version,
    implementation: reply.implementation,
    sysPath: reply.sysPath,
    userCodePaths: userCodePaths(reply),
  };
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

/** The real interpreter behind `explicitPath` (or python3/python on PATH), resolved once per process and PYTHONPATH. */
export function resolvePythonInterpreter(explicitPath?: string): Promise<PythonInterpreter> {
  // PYTHONPATH is part of the answer (sys.path): a changed one is probed again.
  const key = `${explicitPath ?? ''}\0${process.env.PYTHONPATH ?? ''}`;
  let resolved = cache.get(key);
  if (!resolved) {
    resolved = resolveUncached(explicitPath);
    // A failure is not cached: the user may install Python or fix the setting and try again.
    resolved.catch(() => cache.delete(key));
    cache.set(key, resolved);
  }
  return resolved;
}
