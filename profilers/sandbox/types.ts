/** The one door through which LLM-written code (candidates, input generators) is executed. */

export type SandboxMode = 'auto' | 'bwrap' | 'unshare' | 'none';
/** What actually isolated a run: reported to the user, never silently downgraded. */
export type SandboxKind = 'bwrap' | 'unshare' | 'none';

export interface ResourceLimits {
  /** RLIMIT_CPU, seconds of CPU time. */
  cpuSeconds: number;
  /** RLIMIT_AS, bytes of address space; Infinity for none. */
  addressSpaceBytes: number;
  /** RLIMIT_FSIZE, largest file the process may write, bytes. */
  fileSizeBytes: number;
  /** RLIMIT_NOFILE. */
  openFiles: number;
  /** Size of each private writable area (the work directory and /tmp), bytes: what a run can fill in total. */
  scratchBytes: number;
}

export interface SandboxRequest {
  /** argv[0] must be an absolute path or resolvable on the scrubbed PATH. */
  argv: readonly string[];
  /** Requested isolation; `auto` picks the strongest that works on this machine. */
  mode: SandboxMode;
  /**
   * The working directory (created by the caller). Under bwrap and unshare the code sees a private, size-limited copy
   * of it (limits.scratchBytes): the host's files in it read-only, and only `outputFiles` written back to the disk.
   */
  workDir: string;
  /** Files directly in workDir the run may write (result and progress files); created empty before the run. */
  outputFiles?: readonly string[];
  /**
   * The work directory itself is writable and kept, without a size limit beyond the file-size one: for trusted tools
   * whose outputs are not known up front (the compiler and linker, the user's own build in whole-program mode).
   */
  persistentWorkDir?: boolean;
  /** Wall-clock limit; the whole process group (or namespace) is killed when it expires. */
  timeoutMs: number;
  limits?: Partial<ResourceLimits>;
  /**
   * False (the default for candidate code): fork/vfork and non-thread clone are refused, so nothing can spawn processes.
   * True for whole-program mode, where the user's own benchmark command has to start processes.
   */
  allowSubprocesses?: boolean;
  /**
   * Trusted command that starts `argv` by forking (e.g. `perf stat … --`). It runs inside the isolation but outside the
   * no-subprocess filter, which is applied to `argv` alone. Omitted by most callers.
   */
  launcher?: readonly string[];
  /** Extra environment variables; the rest of the environment is scrubbed (no API keys, tokens or secrets reach the code). */
  env?: Readonly<Record<string, string>>;
  /**
   * Absolute paths of the user's that must be visible read-only (the project's sources). Secret-shaped files (.env*,
   * keys, .git, .npmrc, …) and sockets in them stay hidden; a path that is or contains the home directory or /tmp shows
   * only its top-level plain files. The system directories and the program's own installation are always visible.
   */
  readOnlyPaths?: readonly string[];
  /** Installations the code runs on (an interpreter's prefix, a virtualenv): visible read-only, not scanned for secrets. */
  toolchainPaths?: readonly string[];
  /** Extra writable paths (whole-program mode: the temp copy of the project). */
  writablePaths?: readonly string[];
  /** The home directory kept out of sight (default os.homedir()); tests pass a fake one. */
  hostHome?: string;
  stdin?: string;
  /**
   * Called once the process has started, with a duplex stream that is fd 4 of the program (fd 3 is the seccomp program's)
   * and the wrapper's pid: how a coordinator drives a worker that stays up between requests.
   */
  onChannel?: (channel: ChannelStream, pid: number) => void;
  signal?: AbortSignal;
  /** Stop collecting output beyond this many bytes per stream (the process is killed). Default 16 MiB. */
  maxOutputBytes?: number;
}

export interface SandboxResult {
  stdout: string;
  stderr: string;
  /** Null when the process was killed by a signal. */
  exitCode: number | null;
  /** e.g. 'SIGKILL', 'SIGXCPU', 'SIGSEGV'. */
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  /** True when output exceeded maxOutputBytes and the process was killed for it. */
  outputTruncated: boolean;
  durationMs: number;
  sandbox: SandboxKind;
}

/**
 * What a worker's channel offers (a Node duplex stream), declared here without Node's types: the webview compiles this
 * file through the report types.
 */
export interface ChannelStream {
  write(chunk: string): boolean;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  destroy(): void;
}
