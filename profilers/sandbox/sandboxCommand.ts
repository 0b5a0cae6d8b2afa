/**
 * Builds the command line that runs a request under one sandbox kind: the isolation wrapper (bwrap, unshare or nothing),
 * then a POSIX shell that applies the resource limits and runs the requested argv. The same shell prefix is used in every
 * kind, so limits behave identically whatever isolates the run.
 */
import { bwrapArgs } from './bwrapArgs.js';
import { namespaceSetupPrefix } from './namespaceSetup.js';
import { noForkSeccompFilter, sandboxSeccompFilter, seccompFilterSupportsHost } from './seccompFilter.js';
import { seccompInstallerPrefix } from './seccompInstaller.js';
import { sandboxView, type MountOp } from './sandboxView.js';
import type { ResourceLimits, SandboxKind, SandboxRequest } from './types.js';

export const DEFAULT_LIMITS: ResourceLimits = {
  cpuSeconds: 60,
  addressSpaceBytes: 4 * 1024 ** 3,
  fileSizeBytes: 256 * 1024 ** 2,
  openFiles: 256,
  scratchBytes: 512 * 1024 ** 2,
};

/** Printed by the limits prefix when the shell cannot apply a limit; the run is then reported as a sandbox failure. */
export const LIMIT_FAILURE_MARKER = 'perfloop-sandbox: cannot set resource limit';
export const LIMIT_FAILURE_EXIT = 125;

export interface SandboxCommand {
  file: string;
  args: string[];
  /** Environment of the wrapper process itself (already scrubbed: the wrapper passes it on in the unshare/none kinds). */
  env: Record<string, string>;
  /** The seccomp program to supply on fd SECCOMP_FD (bwrap), if any. */
  seccompFilter?: Buffer;
  /** Host files to supply, in order, on the fds after SECCOMP_FD (bwrap's `--file`). */
  fileFds?: string[];
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

/** tmpfs mounts live in RAM; without a size a candidate could fill memory through /dev/shm. */
const DEV_SHM_BYTES = 16 * 1024 ** 2;

/** What this machine offers beyond the kind itself (probed once by the caller). */
export interface HostSandboxSupport {
  /** bubblewrap ≥ 0.8: `--disable-userns` and `--size` (older versions refuse both flags). */
  modernBwrap: boolean;
  /** The host's Python for the in-sandbox seccomp installer and the unshare view; undefined when it cannot do that. */
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
  if (kind !== 'none') {
    throw new Error('Cannot block process creation after a launcher (e.g. perf) without a Python 3 interpreter to install the filter.');
  }
  return 'none';
}

/** Without it a run outlives a crashed extension host until its own limits stop it. */
function withParentDeathKill(host: HostSandboxSupport, file: string, args: string[]): { file: string; args: string[] } {
  return host.setprivPdeathsig ? { file: 'setpriv', args: ['--pdeathsig', 'KILL', '--', file, ...args] } : { file, args };
}

/** The programs whose installations the view shows (the interpreter, the launcher, the seccomp installer). */
function viewPrograms(req: SandboxRequest, host: HostSandboxSupport): string[] {
  return [req.argv[0], req.launcher?.[0], host.installerPython].filter((p): p is string => !!p);
}

export function buildSandboxCommand(kind: SandboxKind, req: SandboxRequest, host: HostSandboxSupport): SandboxCommand {
  const limits = resolveLimits(req.limits);
  const forkBlocking = forkBlockingFor(kind, req, host);
  const seccomp = seccompFilterSupportsHost();
  // Under bwrap the whole tree gets the Unix-socket filter (plus the no-fork rules unless a launcher must fork); under
  // unshare the installer puts the same filter in front of the program.
  const bwrapFilter = kind === 'bwrap' && seccomp ? sandboxSeccompFilter({ blockProcesses: forkBlocking === 'bwrap-seccomp' }) : undefined;
  const installerFilter = forkBlocking === 'installer'
    ? noForkSeccompFilter()
    : kind === 'unshare' && seccomp ? sandboxSeccompFilter({ blockProcesses: false }) : undefined;
  if (installerFilter && !host.installerPython) throw new Error('The unshare sandbox needs a Python 3 interpreter to install its seccomp filter.');
  const program = [
    ...(req.launcher ?? []),
    ...(installerFilter && host.installerPython ? seccompInstallerPrefix(host.installerPython, installerFilter) : []),
    ...req.argv,
  ];
  const view = (): MountOp[] => sandboxView(req, { scratchBytes: limits.scratchBytes, programs: viewPrograms(req, host) });
  const base = { forkBlocking, ...(bwrapFilter ? { seccompFilter: bwrapFilter } : {}) };
  switch (kind) {
    case 'bwrap': {
      const env = sandboxEnvironment(req, '/tmp');
      const options = { modernBwrap: host.modernBwrap, devShmBytes: DEV_SHM_BYTES, workDir: req.workDir, env, seccomp: !!bwrapFilter };
      const { args, fileFds } = bwrapArgs(view(), options);
      return {
        ...base,
        file: 'bwrap',
        args: [...args, '--', ...shellPrefix(limits, true), ...program],
        fileFds,
        // bwrap itself needs nothing from the environment; --clearenv/--setenv define the program's.
        env: { PATH: env.PATH ?? '' },
        signalAsExitStatus: true,
      };
    }
    case 'unshare': {
      if (!host.installerPython) throw new Error('The unshare sandbox needs a Python 3 interpreter to build its view.');
      return {
        ...base,
        ...withParentDeathKill(host, 'unshare', [
          '--user', '--map-root-user', '--mount', '--net', '--pid', '--fork', '--kill-child', '--ipc', '--uts', '--',
          ...namespaceSetupPrefix(host.installerPython, view(), req.workDir, DEV_SHM_BYTES),
          ...shellPrefix(limits, false), ...program,
        ]),
        env: sandboxEnvironment(req, '/tmp'),
        signalAsExitStatus: true,
      };
    }
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
