/**
 * Builds the command line that runs a request under one sandbox kind: the isolation wrapper (bwrap, unshare or nothing),
 * then a POSIX shell that applies the resource limits and runs the requested argv. The same shell prefix is used in every
 * kind, so limits behave identically whatever isolates the run.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { seccompFilterSupportsHost } from './seccompFilter.js';
import { seccompInstallerPrefix } from './seccompInstaller.js';
import type { ResourceLimits, SandboxKind, SandboxRequest } from './types.js';

export const DEFAULT_LIMITS: ResourceLimits = {
  cpuSeconds: 60,
  addressSpaceBytes: 4 * 1024 ** 3,
  fileSizeBytes: 256 * 1024 ** 2,
  openFiles: 256,
};

/** The file descriptor on which bwrap reads the seccomp program (stdin, stdout, stderr come first). */
export const SECCOMP_FD = 3;

/** Printed by the limits prefix when the shell cannot apply a limit; the run is then reported as a sandbox failure. */
export const LIMIT_FAILURE_MARKER = 'perfloop-sandbox: cannot set resource limit';
export const LIMIT_FAILURE_EXIT = 125;

export interface SandboxCommand {
  file: string;
  args: string[];
  /** Environment of the wrapper process itself (already scrubbed: the wrapper passes it on in the unshare/none kinds). */
  env: Record<string, string>;
  /** True when the seccomp program must be supplied on fd SECCOMP_FD. */
  needsSeccompFd: boolean;
  forkBlocking: ForkBlocking;
  /** True when the wrapper reports a signal death of the program as exit status 128+n (bwrap and a non-exec shell do). */
  signalAsExitStatus: boolean;
}

export function resolveLimits(overrides: Partial<ResourceLimits> | undefined): ResourceLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}

/**
 * The only variables the code sees. Values from the host are limited to PATH (needed to find interpreters); everything
 * else is fixed so runs are reproducible and nothing secret (API keys, tokens, SSH agent sockets) can leak in.
 */
export function sandboxEnvironment(req: SandboxRequest, tmpDir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    HOME: req.workDir,
    TMPDIR: tmpDir,
    PYTHONHASHSEED: '0',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONIOENCODING: 'utf-8',
    ...req.env,
  };
}

/**
 * `ulimit` values in POSIX units: -v in KiB, -f in 512-byte blocks (POSIX; dash and bash-as-sh agree). Without -S/-H a
 * limit is set soft and hard, so the code cannot raise it back. The CPU limit keeps one second between soft and hard so
 * the kernel sends SIGXCPU (a readable cause) before SIGKILL. Core dumps are off: no core files, no system crash handler.
 */
function limitsScript(limits: ResourceLimits, execProgram: boolean): string {
  const cpuSeconds = Math.max(1, Math.ceil(limits.cpuSeconds));
  const settings: [string, number | string][] = [
    ['-c', 0],
    // Soft first: a hard limit below the current soft one is refused.
    ['-S -t', cpuSeconds],
    ['-H -t', cpuSeconds + 1],
    // macOS refuses to lower RLIMIT_AS (EINVAL), so the address-space limit exists on Linux only.
    // Infinity: no address-space limit (AddressSanitizer reserves terabytes of shadow memory it never touches).
    ...(process.platform === 'darwin'
      ? []
      : [['-v', Number.isFinite(limits.addressSpaceBytes) ? Math.max(1, Math.ceil(limits.addressSpaceBytes / 1024)) : 'unlimited'] as [string, number | string]]),
    ['-f', Math.max(1, Math.ceil(limits.fileSizeBytes / 512))],
    ['-n', Math.max(8, Math.floor(limits.openFiles))],
  ];
  const apply = settings
    .map(([flag, value]) => `ulimit ${flag} ${value} || { echo "${LIMIT_FAILURE_MARKER} ${flag} ${value}" >&2; exit ${LIMIT_FAILURE_EXIT}; }`)
    .join('; ');
  // Exec keeps the program's own signal death visible. Without exec the shell stays as the parent: used where the
  // program would otherwise be pid 1 of a pid namespace, which ignores default-action signals and reaps no orphans.
  return execProgram ? `${apply}; exec "$@"` : `${apply}; "$@"; exit $?`;
}

function shellPrefix(limits: ResourceLimits, execProgram: boolean): string[] {
  return ['/bin/sh', '-c', limitsScript(limits, execProgram), 'perfloop-sandbox'];
}

/**
 * Credential stores commonly kept in the home directory. Hidden under bwrap as defence in depth: the network is already
 * off, but a candidate's output can travel back to an LLM.
 */
const CREDENTIAL_DIRS = [
  '.ssh', '.gnupg', '.aws', '.azure', '.kube', '.docker', '.config/gcloud', '.config/gh', '.password-store',
];
const CREDENTIAL_FILES = ['.netrc', '.npmrc', '.pypirc', '.git-credentials'];

/**
 * tmpfs mounts live in RAM; without a size a candidate could fill memory through them (RLIMIT_FSIZE bounds one file, not
 * how many). Sizes need bubblewrap ≥ 0.8; older versions get unbounded tmpfs and rely on the timeout.
 */
const TMP_BYTES = 512 * 1024 ** 2;
const SMALL_TMPFS_BYTES = 16 * 1024 ** 2;

function bwrapArgs(req: SandboxRequest, host: HostSandboxSupport, env: Record<string, string>, bwrapSeccomp: boolean): string[] {
  const tmpfs = (target: string, bytes: number): string[] =>
    host.modernBwrap ? ['--size', String(bytes), '--tmpfs', target] : ['--tmpfs', target];
  const args = [
    '--unshare-all',
    '--unshare-user',
    ...(host.modernBwrap ? ['--disable-userns'] : []),
    '--cap-drop', 'ALL',
    '--die-with-parent',
    // A new session so the code cannot push keystrokes into the controlling terminal (TIOCSTI).
    '--new-session',
    '--ro-bind', '/', '/',
    // /dev is itself a writable tmpfs: keep the device nodes usable but the file system read-only, except /dev/shm.
    '--dev', '/dev',
    ...tmpfs('/dev/shm', SMALL_TMPFS_BYTES),
    '--remount-ro', '/dev',
    '--proc', '/proc',
    ...tmpfs('/tmp', TMP_BYTES),
    // Unix sockets stay connectable on read-only mounts; /run holds the dangerous ones (docker, dbus, user session).
    ...tmpfs('/run', SMALL_TMPFS_BYTES),
  ];
  // Binds after the tmpfs mounts, so a workDir inside /tmp is visible again.
  for (const readOnly of req.readOnlyPaths ?? []) args.push('--ro-bind', readOnly, readOnly);
  // Credentials are hidden after those binds: a readable directory that contains them (a user file directly in the home
  // directory) binds the host's tree again, which would otherwise uncover them.
  const home = homedir();
  for (const dir of CREDENTIAL_DIRS.map((relative) => path.join(home, relative)).filter((p) => existsSync(p))) {
    args.push(...tmpfs(dir, SMALL_TMPFS_BYTES));
  }
  for (const file of CREDENTIAL_FILES.map((relative) => path.join(home, relative)).filter((p) => existsSync(p))) {
    args.push('--ro-bind', '/dev/null', file);
  }
  for (const writable of [req.workDir, ...(req.writablePaths ?? [])]) args.push('--bind', writable, writable);
  args.push('--chdir', req.workDir, '--clearenv');
  for (const [name, value] of Object.entries(env)) args.push('--setenv', name, value);
  if (bwrapSeccomp) args.push('--seccomp', String(SECCOMP_FD));
  return args;
}

/** What this machine offers beyond the kind itself (probed once by the caller). */
export interface HostSandboxSupport {
  /** bubblewrap ≥ 0.8: `--disable-userns` and `--size` (older versions refuse both flags). */
  modernBwrap: boolean;
  /** Interpreter for the in-sandbox seccomp installer; undefined when the filter cannot be installed that way. */
  installerPython?: string;
  /** `setpriv --pdeathsig` works: outside bwrap (which has --die-with-parent) it kills the run if Perfloop dies. */
  setprivPdeathsig?: boolean;
}

/** How process creation is blocked for a request. */
export type ForkBlocking = 'bwrap-seccomp' | 'installer' | 'none';

export function forkBlockingFor(kind: SandboxKind, req: SandboxRequest, host: HostSandboxSupport): ForkBlocking {
  if (req.allowSubprocesses || !seccompFilterSupportsHost()) return 'none';
  // bwrap applies its filter to the first program, which would stop a launcher from starting the real one.
  if (kind === 'bwrap' && !req.launcher) return 'bwrap-seccomp';
  if (host.installerPython) return 'installer';
  if (kind === 'bwrap') {
    throw new Error('Cannot block process creation after a launcher (e.g. perf) without a Python 3 interpreter to install the filter.');
  }
  return 'none';
}

/** Without it a run outlives a crashed extension host until its own limits stop it. */
function withParentDeathKill(host: HostSandboxSupport, file: string, args: string[]): { file: string; args: string[] } {
  return host.setprivPdeathsig ? { file: 'setpriv', args: ['--pdeathsig', 'KILL', '--', file, ...args] } : { file, args };
}

export function buildSandboxCommand(kind: SandboxKind, req: SandboxRequest, host: HostSandboxSupport): SandboxCommand {
  const limits = resolveLimits(req.limits);
  const forkBlocking = forkBlockingFor(kind, req, host);
  const program = [
    ...(req.launcher ?? []),
    ...(forkBlocking === 'installer' && host.installerPython ? seccompInstallerPrefix(host.installerPython) : []),
    ...req.argv,
  ];
  const base = { forkBlocking, needsSeccompFd: forkBlocking === 'bwrap-seccomp' };
  switch (kind) {
    case 'bwrap': {
      const env = sandboxEnvironment(req, '/tmp');
      return {
        ...base,
        file: 'bwrap',
        args: [...bwrapArgs(req, host, env, base.needsSeccompFd), '--', ...shellPrefix(limits, true), ...program],
        // bwrap itself needs nothing from the environment; --clearenv/--setenv define the program's.
        env: { PATH: env.PATH ?? '' },
        signalAsExitStatus: true,
      };
    }
    case 'unshare':
      return {
        ...base,
        ...withParentDeathKill(host, 'unshare', [
          '--user', '--map-root-user', '--net', '--pid', '--fork', '--kill-child', '--mount-proc', '--ipc', '--uts',
          '--', ...shellPrefix(limits, false), ...program,
        ]),
        env: sandboxEnvironment(req, req.workDir),
        signalAsExitStatus: true,
      };
    case 'none': {
      const [shell, ...shellArgs] = shellPrefix(limits, true);
      return {
        ...base,
        ...withParentDeathKill(host, shell ?? '/bin/sh', [...shellArgs, ...program]),
        env: sandboxEnvironment(req, req.workDir),
        signalAsExitStatus: false,
      };
    }
  }
}
