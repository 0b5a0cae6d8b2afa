/**
 * Applies the no-fork seccomp filter from inside the sandbox, right before the program is executed. Needed where bwrap's
 * `--seccomp` cannot be used: under unshare or no isolation, and after a trusted launcher that itself must fork
 * (`perf stat`). Installing a filter needs no privilege once no_new_privs is set, so this works in containers too.
 *
 * The installer is a few lines of Python (ctypes → prctl) run by the host's real interpreter, resolved once outside the
 * sandbox: Python is the one runtime every Perfloop target already needs, and it avoids shipping a compiled helper.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { forgetHostPython, resolveHostPython } from './hostPython.js';
import { noForkSeccompFilter, seccompFilterSupportsHost } from './seccompFilter.js';

const execFileAsync = promisify(execFile);

/** Printed by the installer when the kernel refuses the filter: the run is then a sandbox failure, not a result. */
export const INSTALLER_FAILURE_MARKER = 'perfloop-sandbox: cannot install seccomp filter';
export const INSTALLER_FAILURE_EXIT = 126;

/** argv[1]: the filter as hex; argv[2:]: the program. Exits 126 without running the program if the filter fails. */
const INSTALLER_SCRIPT = `
import ctypes, os, sys
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
program = bytes.fromhex(sys.argv[1])
buffer = ctypes.create_string_buffer(program, len(program))
fprog = SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
libc = ctypes.CDLL(None, use_errno=True)
ulong = ctypes.c_ulong
if libc.prctl(PR_SET_NO_NEW_PRIVS, ulong(1), ulong(0), ulong(0), ulong(0)) != 0 or \\
        libc.prctl(PR_SET_SECCOMP, ulong(SECCOMP_MODE_FILTER), ctypes.byref(fprog), ulong(0), ulong(0)) != 0:
    sys.stderr.write("${INSTALLER_FAILURE_MARKER}: %s\\n" % os.strerror(ctypes.get_errno()))
    sys.exit(${INSTALLER_FAILURE_EXIT})
try:
    os.execvp(sys.argv[2], sys.argv[2:])
except OSError as error:
    sys.stderr.write("perfloop-sandbox: cannot execute %s: %s\\n" % (sys.argv[2], error))
    sys.exit(127)
`;

let installerPython: Promise<string | undefined> | undefined;

/**
 * The real Python interpreter for the installer (not a shim: pyenv shims are shell scripts that fork), or undefined when
 * there is none or the filter cannot be installed here. Probed once by installing the filter and running /bin/true.
 */
export function resolveInstallerPython(): Promise<string | undefined> {
  installerPython ??= (async () => {
    if (process.platform !== 'linux' || !seccompFilterSupportsHost()) return undefined;
    const python = await resolveHostPython();
    if (!python) return undefined;
    try {
      await execFileAsync(python, seccompInstallerPrefix(python).slice(1).concat('/bin/true'), { timeout: 10_000 });
      return python;
    } catch {
      return undefined;
    }
  })();
  return installerPython;
}

/** Put in front of the program's argv: `python -I -S -c SCRIPT FILTER_HEX program args…`. */
export function seccompInstallerPrefix(python: string, filter: Buffer = noForkSeccompFilter()): string[] {
  // -I ignores PYTHON* variables and user site-packages, -S skips site: nothing the sandboxed code wrote can hook in.
  return [python, '-I', '-S', '-c', INSTALLER_SCRIPT, filter.toString('hex')];
}

/** Tests only: forget the probed interpreter. */
export function forgetInstallerPython(): void {
  installerPython = undefined;
  forgetHostPython();
}
