/**
 * What a sandboxed program sees of the host, as a list of mounts both isolating kinds (bwrap, unshare) build the same
 * way. Default deny: the root is an empty read-only tmpfs; only the system directories, the program's own installation
 * and the paths a request names are bound back read-only, minus secret-shaped files, sockets and, where a named path is
 * or contains the home directory or /tmp, everything but its top-level plain files. The work directory is a private,
 * size-limited tmpfs showing the host's inputs read-only; only the request's declared output files reach the disk.
 *
 * Every mount tolerates a source that vanished since it was listed (bwrap's -try forms, a skip in the unshare helper),
 * and no mount point is ever created inside a read-only bind: a directory that holds secrets is rebuilt on tmpfs and its
 * other entries bound one by one, so nothing fails when a folder appears or vanishes while the view is built.
 */
import { lstatSync, readdirSync, readlinkSync, realpathSync, type Dirent, type Stats } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import type { SandboxRequest } from './types.js';

export type MountOp =
  /** The host path at the same place; skipped when it has vanished. */
  | { op: 'ro' | 'rw'; path: string }
  /** An empty directory on tmpfs: a replica of a host directory whose secrets are left out. */
  | { op: 'dir'; path: string }
  | { op: 'symlink'; path: string; target: string }
  | { op: 'tmpfs'; path: string; bytes: number }
  /** A copy of a small host file, on the tmpfs where it is placed: the code may delete or change it (a harness deletes its job file). */
  | { op: 'copy'; path: string };

/** Work-directory files up to this size are copied into the private work directory; larger ones are bound read-only. */
const COPY_LIMIT_BYTES = 8 * 1024 ** 2;

/** The operating system: executables, libraries, configuration. Nothing here belongs to one user. */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/opt', '/nix', '/gnu'];

/** Directories of an installation prefix a program runs from (interpreters, compilers, their libraries). */
const PREFIX_PARTS = ['bin', 'sbin', 'lib', 'lib64', 'libexec', 'include'];

/** Names that carry credentials; such an entry is left out of the view wherever it is. */
const SECRET_NAMES = new Set([
  '.ssh', '.gnupg', '.aws', '.azure', '.kube', '.docker', '.password-store', '.git', '.netrc', '_netrc', '.npmrc',
  '.pypirc', '.git-credentials', '.vault-token', 'credentials', 'credentials.json', 'credentials.toml', '.config',
  'keyrings',
]);
const SECRET_PATTERNS = [/^\.env($|\.)/, /^id_/, /\.(pem|key|p12|pfx|jks|keystore)$/i];

export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(name) || SECRET_PATTERNS.some((pattern) => pattern.test(name));
}

/**
 * Trees whose contents are third-party code, not the user's: bound whole without scanning (a virtualenv's
 * site-packages alone can hold 50 000 files, and the scan runs before every sandboxed process).
 */
const UNSCANNED_DIRS = new Set(['node_modules', 'site-packages', 'dist-packages', '__pycache__']);
/**
 * Entries scanned per named path. A larger tree (a monorepo named whole) is shown as scanned so far plus the rest
 * unscanned: failing closed would break the user's imports, and the tree is the user's own choice, not the candidate's.
 */
const SCAN_BUDGET = 20_000;
const MAX_MOUNTS_PER_TREE = 1_000;

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

const within = (child: string, parent: string): boolean =>
  child === parent || child.startsWith(parent === '/' ? '/' : parent + path.sep);

/** Directories under `root` that contain a secret-shaped entry or a socket (those are rebuilt on tmpfs, not bound). */
function taintedDirs(root: string): Set<string> {
  const tainted = new Set<string>();
  let budget = SCAN_BUDGET;
  const scan = (dir: string): boolean => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    let dirty = false;
    for (const entry of entries) {
      if (--budget < 0) break;
      if (isSecretName(entry.name) || entry.isSocket()) dirty = true;
      else if (entry.isDirectory() && !UNSCANNED_DIRS.has(entry.name) && scan(path.join(dir, entry.name))) dirty = true;
    }
    if (dirty) tainted.add(dir);
    return dirty;
  };
  scan(root);
  return tainted;
}

/** Binds `target` (file or directory) with its secrets and sockets left out. */
function exposeTree(target: string, op: 'ro' | 'rw', ops: MountOp[]): void {
  const stat = lstatOrUndefined(target);
  if (!stat || isSecretName(path.basename(target)) || stat.isSocket()) return;
  if (!stat.isDirectory()) {
    ops.push({ op, path: target });
    return;
  }
  const tainted = taintedDirs(target);
  // bwrap takes at most 9000 arguments: a tree with secrets everywhere is shown up to this many mounts, the rest left out.
  let room = MAX_MOUNTS_PER_TREE;
  const walk = (dir: string): void => {
    if (--room < 0) return;
    if (!tainted.has(dir)) {
      ops.push({ op, path: dir });
      return;
    }
    ops.push({ op: 'dir', path: dir });
    for (const entry of safeReaddir(dir)) {
      if (isSecretName(entry.name) || entry.isSocket()) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (--room >= 0) ops.push({ op, path: full });
    }
  };
  walk(target);
}

function safeReaddir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** A named path that is or contains a private area: only its top-level plain, non-hidden, non-secret files. */
function exposeTopLevelFiles(dir: string, op: 'ro' | 'rw', ops: MountOp[]): void {
  for (const entry of safeReaddir(dir)) {
    if (entry.isFile() && !entry.name.startsWith('.') && !isSecretName(entry.name)) ops.push({ op, path: path.join(dir, entry.name) });
  }
}

/** An executable's path: as given when absolute, else looked up on PATH. */
function locate(program: string): string | undefined {
  if (path.isAbsolute(program)) return program;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, program);
    if (lstatOrUndefined(candidate)) return candidate;
  }
  return undefined;
}

/** The installation a program runs from (…/bin/python → …/{bin,lib,…}), both where it is named and where it really is. */
export function installationPaths(program: string): string[] {
  const located = locate(program);
  if (!located) return [];
  let real = located;
  try {
    real = realpathSync(located);
  } catch {
    // Vanished: nothing to show.
  }
  const paths = new Set<string>();
  for (const file of [located, real]) {
    const dir = path.dirname(file);
    if (['bin', 'sbin'].includes(path.basename(dir))) {
      for (const part of PREFIX_PARTS) paths.add(path.join(path.dirname(dir), part));
    } else paths.add(dir);
  }
  return [...paths];
}

/**
 * The installations behind PATH (~/.pyenv for its shims, ~/.cargo for its bin): what the user's own shell commands
 * (whole-program mode) start by name. Shown like named paths, secrets left out, never a private area whole.
 */
function pathInstallations(privateAreas: readonly string[]): string[] {
  const paths: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d)).map((d) => path.resolve(d))) {
    const root = path.dirname(dir);
    if (!['bin', 'sbin', 'shims'].includes(path.basename(dir)) || privateAreas.some((area) => within(area, root))) {
      paths.push(dir);
      continue;
    }
    // The parts of an installation (pyenv's versions and libexec, a prefix's lib), not its checkout, caches or plugins' tests.
    for (const part of [...PREFIX_PARTS, 'shims', 'versions', 'version', 'plugins', 'toolchains']) paths.push(path.join(root, part));
  }
  return paths.filter((p) => !privateAreas.some((area) => within(area, p)) && lstatOrUndefined(p));
}

export interface ViewOptions {
  /** The private /tmp and work directory sizes. */
  scratchBytes: number;
  /** Installations bound without a secret scan (interpreters, launchers, the seccomp installer). */
  programs: readonly string[];
}

/** The mounts, in order, that make a request's view (the kind-specific /dev and /proc are added by each kind). */
export function sandboxView(req: SandboxRequest, options: ViewOptions): MountOp[] {
  const home = path.resolve(req.hostHome ?? homedir());
  // Private areas: shown only as far as a request names paths inside them, never whole.
  const privateAreas = [home, path.resolve(tmpdir()), '/tmp', '/'];
  const isSystem = (p: string): boolean => SYSTEM_DIRS.some((dir) => within(p, dir)) && !privateAreas.slice(0, -1).some((area) => within(area, p) || within(p, area));
  const ops: MountOp[] = [];
  for (const dir of SYSTEM_DIRS) {
    const stat = lstatOrUndefined(dir);
    if (stat?.isSymbolicLink()) ops.push({ op: 'symlink', path: dir, target: readlinkSync(dir) });
    else if (stat?.isDirectory()) ops.push({ op: 'ro', path: dir });
  }
  ops.push({ op: 'tmpfs', path: '/tmp', bytes: options.scratchBytes });

  const installations = [...new Set([
    ...options.programs.flatMap(installationPaths),
    ...(req.toolchainPaths ?? []),
    ...(req.allowSubprocesses ? pathInstallations(privateAreas) : []),
  ])];
  for (const dir of installations.map((p) => path.resolve(p))) {
    if (isSystem(dir) || privateAreas.some((area) => within(area, dir))) continue;
    if (lstatOrUndefined(dir)) ops.push({ op: 'ro', path: dir });
  }

  const workDir = path.resolve(req.workDir);
  const named = (paths: readonly string[] | undefined, op: 'ro' | 'rw'): void => {
    // Parents first, and a path inside another named one (or inside the work directory) is already covered.
    const sorted = [...new Set((paths ?? []).map((p) => path.resolve(p)))].sort((a, b) => a.length - b.length);
    const shown: string[] = [];
    for (const p of sorted) {
      if (within(p, workDir) || (op === 'ro' && isSystem(p))) continue;
      if (privateAreas.some((area) => within(area, p))) {
        exposeTopLevelFiles(p, op, ops);
        continue;
      }
      if (shown.some((parent) => within(p, parent))) continue;
      exposeTree(p, op, ops);
      shown.push(p);
    }
  };
  named(req.readOnlyPaths, 'ro');
  named(req.writablePaths, 'rw');

  if (req.persistentWorkDir) {
    ops.push({ op: 'rw', path: workDir });
  } else {
    // The host's work directory holds the inputs; a tmpfs bounds what the code can write in total, and only the declared
    // output files (each bounded by the file-size limit) are bound writable, so nothing else reaches the disk. Copying
    // the whole directory out afterwards would need a trusted process the code cannot reach, which neither kind has.
    ops.push({ op: 'tmpfs', path: workDir, bytes: options.scratchBytes });
    const outputs = new Set((req.outputFiles ?? []).map((f) => path.resolve(f)));
    for (const entry of safeReaddir(workDir)) {
      const full = path.join(workDir, entry.name);
      const small = entry.isFile() && (lstatOrUndefined(full)?.size ?? Infinity) <= COPY_LIMIT_BYTES;
      ops.push({ op: outputs.has(full) ? 'rw' : small ? 'copy' : 'ro', path: full });
    }
  }
  return ops;
}
