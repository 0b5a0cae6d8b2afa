/**
 * The one door through which LLM-written code runs. Picks the strongest isolation that works on this machine (or the one
 * asked for, failing loudly when it is missing), applies resource limits, scrubs the environment, blocks process creation
 * with seccomp under bwrap, and kills the whole process tree on timeout, abort or runaway output.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import path from 'node:path';
import { runProcessGroup } from './processGroup.js';
import { buildSandboxCommand, LIMIT_FAILURE_EXIT, LIMIT_FAILURE_MARKER, type HostSandboxSupport } from './sandboxCommand.js';
import { SETUP_FAILURE_EXIT, SETUP_FAILURE_MARKER } from './namespaceSetup.js';
import { noSandboxHere, requestedSandboxBroken, sandboxNeedsLinux, SandboxUnavailableError } from './sandboxErrors.js';
import { seccompFilterSupportsHost } from './seccompFilter.js';
import {
  forgetInstallerPython,
  INSTALLER_FAILURE_EXIT,
  INSTALLER_FAILURE_MARKER,
  resolveInstallerPython,
} from './seccompInstaller.js';
import type { SandboxKind, SandboxMode, SandboxRequest, SandboxResult } from './types.js';

const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
const PROBE_TIMEOUT_MS = 10_000;

interface KindProbe {
  works: boolean;
  /** Why it does not work (stderr of the failed attempt), for error messages. */
  reason: string;
  modernBwrap: boolean;
}

const probes = new Map<Exclude<SandboxKind, 'none'>, Promise<KindProbe>>();
let setprivProbe: Promise<boolean> | undefined;

function probeSetpriv(): Promise<boolean> {
  setprivProbe ??= new Promise((resolve) => {
    execFile('setpriv', ['--pdeathsig', 'KILL', '--', '/bin/true'], { timeout: PROBE_TIMEOUT_MS }, (error) => resolve(!error));
  });
  return setprivProbe;
}

/** Runs `/bin/true` exactly as a real request would be run, so a positive probe means real runs work too. */
async function tryKind(kind: Exclude<SandboxKind, 'none'>, modernBwrap: boolean): Promise<KindProbe> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'perfloop-probe-'));
  try {
    const request: SandboxRequest = { argv: ['/bin/true'], mode: kind, workDir, timeoutMs: PROBE_TIMEOUT_MS };
    const result = await runCommand(kind, request, await hostSupport(kind, modernBwrap));
    const works = result.exitCode === 0 && !result.timedOut;
    const reason = works ? '' : (result.stderr.trim() || `exit status ${result.exitCode ?? result.signal}`);
    return { works, reason, modernBwrap };
  } catch (error) {
    return { works: false, reason: error instanceof Error ? error.message : String(error), modernBwrap };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function probeKind(kind: Exclude<SandboxKind, 'none'>): Promise<KindProbe> {
  let probe = probes.get(kind);
  if (!probe) {
    probe = kind === 'bwrap'
      // bubblewrap before 0.8 lacks --disable-userns and --size; still a good sandbox without them.
      ? tryKind('bwrap', true).then((first) => first.works ? first : tryKind('bwrap', false))
      : tryKind('unshare', false);
    probes.set(kind, probe);
  }
  return probe;
}

/** Whether the probed bubblewrap sizes its tmpfs mounts (≥ 0.8); unknown (no) before bwrap is probed. */
let bwrapIsModern = false;

/**
 * The isolation a request in this mode gets here. A specific mode that does not work is an error, never a downgrade;
 * `auto` takes bubblewrap ≥ 0.8, else unshare, else an older bubblewrap, and never no sandbox at all: that takes an
 * explicit `none`.
 */
export async function resolveSandboxKind(mode: SandboxMode, platform: NodeJS.Platform = process.platform): Promise<SandboxKind> {
  // Learnt up front so that sandboxWarning can say whether process creation is blocked outside bwrap.
  installerAvailable = (await resolveInstallerPython()) !== undefined;
  if (mode === 'none') return 'none';
  if (platform !== 'linux') throw mode === 'auto' ? noSandboxHere(platform, {}) : sandboxNeedsLinux(mode, platform);
  if (mode === 'auto') {
    const bwrap = await probeKind('bwrap');
    bwrapIsModern = bwrap.works && bwrap.modernBwrap;
    if (bwrapIsModern) return 'bwrap';
    const unshare = await probeKind('unshare');
    if (unshare.works) return 'unshare';
    if (bwrap.works) return 'bwrap';
    throw noSandboxHere(platform, { bubblewrap: bwrap.reason, unshare: unshare.reason });
  }
  const probe = await probeKind(mode);
  if (!probe.works) throw requestedSandboxBroken(mode, probe.reason);
  if (mode === 'bwrap') bwrapIsModern = probe.modernBwrap;
  return mode;
}

/** Whether the in-sandbox seccomp installer works here; unknown (treated as no) before the first resolveSandboxKind. */
let installerAvailable: boolean | undefined;

/** Text to show the user when runs are less isolated than Perfloop's full sandbox; undefined when fully isolated. */
export function sandboxWarning(kind: SandboxKind): string | undefined {
  if (kind === 'none') {
    return 'No sandbox (chosen explicitly): generated code runs with your full access to files and network' +
      `${installerAvailable ? ' (process creation is blocked)' : ' and can start processes'}; only resource limits and ` +
      'a timeout apply. Install bubblewrap (bwrap) on Linux for isolation.';
  }
  if (!seccompFilterSupportsHost()) {
    return `Sandbox (${kind}) cannot install its seccomp filter on ${process.arch}: generated code can start processes ` +
      '(a fork bomb is only stopped by the timeout) and reach Unix sockets in the directories it sees.';
  }
  if (kind === 'bwrap' && !bwrapIsModern) {
    return 'Sandbox (bubblewrap older than 0.8): the private /tmp and work directory have no size limit, so generated ' +
      'code can fill memory through them until the timeout. Install bubblewrap ≥ 0.8 for the full sandbox.';
  }
  return undefined;
}

function signalName(signalNumber: number): NodeJS.Signals | undefined {
  const entry = Object.entries(osConstants.signals).find(([, value]) => value === signalNumber);
  return entry?.[0] as NodeJS.Signals | undefined;
}

/** A file bwrap copies into the work directory; one that vanished since the view was planned arrives empty. */
function readCopiedFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}

async function runCommand(kind: SandboxKind, req: SandboxRequest, host: HostSandboxSupport): Promise<SandboxResult> {
  const command = buildSandboxCommand(kind, req, host);
  const run = await runProcessGroup({
    file: command.file,
    args: command.args,
    env: command.env,
    cwd: req.workDir,
    stdin: req.stdin,
    // fd 3: bwrap's seccomp program; fd 4: a worker's channel (CHANNEL_FD); then the files bwrap copies in.
    extraFds: [command.seccompFilter, req.onChannel ? 'channel' : undefined, ...(command.fileFds ?? []).map(readCopiedFile)],
    ...(req.onChannel ? { onChannel: req.onChannel } : {}),
    timeoutMs: req.timeoutMs,
    signal: req.signal,
    maxOutputBytes: req.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
  });
  // The markers come with the helper's own exit status, so code that merely prints them cannot fake a sandbox failure.
  if (run.exitCode === LIMIT_FAILURE_EXIT && run.stderr.includes(LIMIT_FAILURE_MARKER)) {
    throw new Error(`Sandbox could not apply resource limits: ${run.stderr.trim()}`);
  }
  if (run.exitCode === INSTALLER_FAILURE_EXIT && run.stderr.includes(INSTALLER_FAILURE_MARKER)) {
    throw new SandboxUnavailableError(`Sandbox could not install its seccomp filter: ${run.stderr.trim()}`);
  }
  if (run.exitCode === SETUP_FAILURE_EXIT && run.stderr.includes(SETUP_FAILURE_MARKER)) {
    throw new SandboxUnavailableError(`Sandbox (unshare) could not build its view: ${run.stderr.trim()}`);
  }
  let exitCode = run.exitCode;
  let signal: string | null = run.signal;
  // bwrap and the waiting shell under unshare report a signal death of the program as 128+n.
  if (command.signalAsExitStatus && signal === null && exitCode !== null && exitCode > 128) {
    const name = signalName(exitCode - 128);
    if (name) {
      signal = name;
      exitCode = null;
    }
  }
  return {
    stdout: run.stdout,
    stderr: run.stderr,
    exitCode,
    signal,
    timedOut: run.timedOut,
    aborted: run.aborted,
    outputTruncated: run.outputTruncated,
    durationMs: run.durationMs,
    sandbox: kind,
  };
}

function validate(req: SandboxRequest): void {
  if (req.argv.length === 0) throw new Error('Sandbox request has an empty argv.');
  for (const output of req.outputFiles ?? []) {
    if (path.dirname(path.resolve(output)) !== path.resolve(req.workDir)) throw new Error(`Sandbox output files must be directly in workDir: ${output}`);
  }
  if (!(req.timeoutMs > 0)) throw new Error(`Sandbox request needs a positive timeoutMs (got ${req.timeoutMs}).`);
  for (const dir of [req.workDir, ...(req.writablePaths ?? []), ...(req.readOnlyPaths ?? [])]) {
    if (!path.isAbsolute(dir)) throw new Error(`Sandbox paths must be absolute: ${dir}`);
    if (!existsSync(dir)) throw new Error(`Sandbox path does not exist: ${dir}`);
  }
  if (!statSync(req.workDir).isDirectory()) throw new Error(`Sandbox workDir is not a directory: ${req.workDir}`);
}

/** What a trace log learns about each sandboxed run (the editor's log shows "commands run"). */
export interface SandboxRunRecord {
  argv: readonly string[];
  sandbox: SandboxKind;
  workDir: string;
  durationMs: number;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
}

const runListeners = new Set<(record: SandboxRunRecord) => void>();

/** Observes every sandboxed run from now on; call the returned function to stop. */
export function onSandboxRun(listener: (record: SandboxRunRecord) => void): () => void {
  runListeners.add(listener);
  return () => runListeners.delete(listener);
}

async function hostSupport(kind: SandboxKind, modernBwrap: boolean): Promise<HostSandboxSupport> {
  return {
    modernBwrap,
    installerPython: await resolveInstallerPython(),
    setprivPdeathsig: kind !== 'bwrap' && (await probeSetpriv()),
  };
}

export async function runSandboxed(req: SandboxRequest): Promise<SandboxResult> {
  validate(req);
  // Created before the run so that they can be bound writable into the private work directory.
  for (const output of req.outputFiles ?? []) {
    if (!existsSync(output)) writeFileSync(output, '');
  }
  const kind = await resolveSandboxKind(req.mode);
  const host = await hostSupport(kind, kind === 'bwrap' && (await probeKind('bwrap')).modernBwrap);
  const result = await runCommand(kind, req, host);
  if (runListeners.size > 0) {
    const record: SandboxRunRecord = {
      argv: [...(req.launcher ?? []), ...req.argv],
      sandbox: result.sandbox,
      workDir: req.workDir,
      durationMs: result.durationMs,
      exitCode: result.exitCode,
      signal: result.signal,
      timedOut: result.timedOut,
    };
    for (const listener of runListeners) {
      try {
        listener(record);
      } catch {
        // A tracing listener must never break a measurement.
      }
    }
  }
  return result;
}

/** Forgets the cached probes (tests, or after the user installs bubblewrap). */
export function forgetSandboxProbes(): void {
  probes.clear();
  setprivProbe = undefined;
  forgetInstallerPython();
  installerAvailable = undefined;
}
