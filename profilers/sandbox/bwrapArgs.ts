/** The bubblewrap command line for a view (sandboxView.ts): the same mounts the unshare kind builds itself. */
import type { MountOp } from './sandboxView.js';

/** The file descriptor on which bwrap reads the seccomp program (stdin, stdout, stderr come first). */
export const SECCOMP_FD = 3;

export interface BwrapOptions {
  /** bubblewrap ≥ 0.8: `--disable-userns` and `--size` (older versions refuse both flags). */
  modernBwrap: boolean;
  devShmBytes: number;
  workDir: string;
  env: Record<string, string>;
  seccomp: boolean;
}

/** The channel of a worker that stays up between requests (SandboxRequest.onChannel): the harnesses read it there. */
export const CHANNEL_FD = SECCOMP_FD + 1;
/** bwrap reads each copied file from its own pipe, numbered from here (SECCOMP_FD and CHANNEL_FD come first). */
const FIRST_FILE_FD = CHANNEL_FD + 1;

function mountArgs(op: MountOp, modernBwrap: boolean, fileFds: string[] = []): string[] {
  switch (op.op) {
    case 'copy':
      fileFds.push(op.path);
      return ['--file', String(FIRST_FILE_FD + fileFds.length - 1), op.path];
    // The -try forms skip a source that vanished after the view was planned instead of failing the run.
    case 'ro':
      return ['--ro-bind-try', op.path, op.path];
    case 'rw':
      return ['--bind-try', op.path, op.path];
    case 'dir':
      return ['--dir', op.path];
    case 'symlink':
      return ['--symlink', op.target, op.path];
    case 'tmpfs':
      // Older bubblewrap cannot size a tmpfs; sandboxWarning says so (the space is then bounded by memory only).
      return modernBwrap ? ['--size', String(op.bytes), '--tmpfs', op.path] : ['--tmpfs', op.path];
  }
}

/**
 * The arguments, and the host files to feed to bwrap on fds FIRST_FILE_FD, FIRST_FILE_FD + 1, … (`--file` copies them
 * into the private work directory).
 */
export function bwrapArgs(ops: readonly MountOp[], options: BwrapOptions): { args: string[]; fileFds: string[] } {
  const fileFds: string[] = [];
  const args = [
    '--unshare-all',
    '--unshare-user',
    ...(options.modernBwrap ? ['--disable-userns'] : []),
    '--cap-drop', 'ALL',
    '--die-with-parent',
    // A new session so the code cannot push keystrokes into the controlling terminal (TIOCSTI).
    '--new-session',
    // Without a bind of /, bwrap's root is an empty tmpfs: only what the view binds exists.
    '--dev', '/dev',
    ...mountArgs({ op: 'tmpfs', path: '/dev/shm', bytes: options.devShmBytes }, options.modernBwrap),
    // /dev is itself a writable tmpfs: keep the device nodes usable but the file system read-only, except /dev/shm.
    '--remount-ro', '/dev',
    '--proc', '/proc',
  ];
  for (const op of ops) args.push(...mountArgs(op, options.modernBwrap, fileFds));
  // The root tmpfs would otherwise take writes anywhere mount points were made (RAM, without a size).
  args.push('--remount-ro', '/', '--chdir', options.workDir, '--clearenv');
  for (const [name, value] of Object.entries(options.env)) args.push('--setenv', name, value);
  if (options.seccomp) args.push('--seccomp', String(SECCOMP_FD));
  return { args, fileFds };
}
