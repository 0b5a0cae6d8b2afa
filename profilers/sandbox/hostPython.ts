/**
 * The host's real Python 3 interpreter, for the small trusted helpers Perfloop runs inside the sandbox (seccomp
 * installer, built-in command timer). `python3` on PATH may be a shim (pyenv, asdf) that is a shell script and forks,
 * which the sandbox forbids and which would add noise to measurements, so the interpreter's own path is resolved once.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

let hostPython: Promise<string | undefined> | undefined;

export function resolveHostPython(): Promise<string | undefined> {
  hostPython ??= execFileAsync('python3', ['-c', 'import sys; print(sys.executable)'], { timeout: 10_000 })
    .then(({ stdout }) => stdout.trim() || undefined)
    .catch(() => undefined);
  return hostPython;
}

/** Tests only. */
export function forgetHostPython(): void {
  hostPython = undefined;
}
