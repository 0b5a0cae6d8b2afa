/**
 * Makes sure code-server (the real VS Code workbench and Node extension host, served to a browser) is installed in a cache
 * outside the repository, and says where its executable is. VS Code itself cannot be downloaded on these machines; the
 * code-server npm package can, but its postinstall builds native modules (node-pty, spdlog, kerberos, watcher), which
 * takes one to five minutes on two cores plus ~280 MB of downloads, so the result is kept and reused.
 * See /work/shared/docs/real-vscode.md.
 *
 * Idempotent and crash-safe: the marker file is written only after the install succeeded and the artefacts VS Code needs
 * exist; a directory without it is a half-finished install and is wiped and redone. A lock directory keeps two runners
 * from building into the same place at once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CommandError, runCommand, tail } from './processes.js';

export const CODE_SERVER_VERSION = '4.100.3';

/**
 * Packages whose install scripts must run. npm ≥ 11.19 skips dependency install scripts unless allowed, and refuses
 * `--allow-scripts` (flag or env) in project installs, so the list goes into a user-level npmrc of our own; its path
 * (npm_config_userconfig) is inherited by the nested `npm install`s of code-server's postinstall (lib/vscode,
 * lib/vscode/extensions), so one list covers all three levels. Taken from the `hasInstallScript` entries of code-server
 * 4.100.3's shrinkwraps; older npm ignores the setting and runs every script anyway.
 */
const PACKAGES_WITH_INSTALL_SCRIPTS = [
  'code-server',
  'argon2',
  '@parcel/watcher',
  '@vscode/deviceid',
  '@vscode/ripgrep',
  '@vscode/spdlog',
  '@vscode/windows-process-tree',
  '@vscode/windows-registry',
  'kerberos',
  'native-watchdog',
  'node-pty',
  'esbuild',
];

/** What the workbench cannot run without; checked before the install counts as done. */
const REQUIRED_ARTEFACTS = [
  'node_modules/code-server/out/node/entry.js',
  'node_modules/code-server/lib/vscode/out/server-main.js',
  'node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node',
  'node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node',
  'node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg',
  'node_modules/code-server/lib/vscode/node_modules.asar',
];

const MARKER = '.perfloop-install-complete';
const INSTALL_TIMEOUT_MS = 40 * 60_000;

export interface CodeServerInstall {
  /** The directory npm installed into (keyed by code-server version and Node ABI). */
  dir: string;
  /** Run with Node: `node <entry> --version`. */
  entry: string;
  /** Seconds the install took in this run; 0 when the cached one was reused. */
  installSeconds: number;
}

export function codeServerCacheRoot(): string {
  if (process.env.PERFLOOP_CACHE_DIR) return resolve(process.env.PERFLOOP_CACHE_DIR);
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'perfloop');
}

/** Native modules are built for one Node ABI, so a different Node gets its own install. */
export function codeServerDir(root = codeServerCacheRoot()): string {
  return join(root, `code-server-${CODE_SERVER_VERSION}-node-abi${process.versions.modules}`);
}

export async function ensureCodeServer(log: (line: string) => void = console.log): Promise<CodeServerInstall> {
  const dir = codeServerDir();
  const entry = join(dir, 'node_modules/code-server/out/node/entry.js');
  if (isComplete(dir)) return { dir, entry, installSeconds: 0 };

  mkdirSync(dirname(dir), { recursive: true });
  const release = await acquireLock(`${dir}.lock`, log);
  try {
    // Another runner may have finished it while we waited for the lock.
    if (isComplete(dir)) return { dir, entry, installSeconds: 0 };
    const started = performance.now();
    await install(dir, log);
    return { dir, entry, installSeconds: Math.round((performance.now() - started) / 1000) };
  } finally {
    release();
  }
}

function isComplete(dir: string): boolean {
  if (!existsSync(join(dir, MARKER))) return false;
  return REQUIRED_ARTEFACTS.every((artefact) => existsSync(join(dir, artefact)));
}

async function install(dir: string, log: (line: string) => void): Promise<void> {
  if (existsSync(dir)) {
    log(`code-server: ${dir} is a half-finished install; starting over`);
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  seedRipgrepCache(log);

  const logFile = join(dir, 'install.log');
  log(`code-server ${CODE_SERVER_VERSION}: installing into ${dir} (native builds: 1–5 min on 2 cores; log: ${logFile})`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The machine's npmrc sets yes=false, which cancels node-pty's `npx node-gyp`.
    npm_config_yes: 'true',
    // postinstall.sh refuses to run as root without it.
    npm_config_unsafe_perm: 'true',
    npm_config_userconfig: writeUserConfig(dir),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...nodeHeadersEnv(),
  };
  // npm exports its config to lifecycle scripts, and a nested npm that finds allow-scripts in its environment refuses to
  // install (EALLOWSCRIPTS). So the top level is installed without scripts, and code-server's postinstall — which runs
  // `npm install` in lib/vscode and lib/vscode/extensions — is started by us, with the allowlist only in the npmrc.
  delete env.npm_config_allow_scripts;
  const codeServerPackage = join(dir, 'node_modules/code-server');
  const steps: [string, string[], string][] = [
    ['npm', ['install', '--ignore-scripts', '--no-save', '--prefix', dir, `code-server@${CODE_SERVER_VERSION}`], dir],
    // argon2 hashes passwords for --auth password; built anyway so the install is the one code-server's docs describe.
    ['npm', ['rebuild', '--prefix', dir, 'argon2'], dir],
    ['sh', ['./postinstall.sh'], codeServerPackage],
  ];
  const began = performance.now();
  const heartbeat = setInterval(() => log(`code-server: still installing (${Math.round((performance.now() - began) / 1000)} s)`), 60_000);
  let output = '';
  try {
    for (const [file, args, cwd] of steps) {
      output += `\n$ ${file} ${args.join(' ')}\n`;
      // postinstall.sh reads the Node major version from npm's user agent, which only npm itself would set.
      const userAgent = `npm/unknown node/${process.version} ${process.platform} ${process.arch}`;
      const stepEnv = file === 'sh' ? { ...env, npm_config_user_agent: userAgent } : env;
      const result = await runCommand(file, args, { cwd, env: stepEnv, timeoutMs: INSTALL_TIMEOUT_MS - (performance.now() - began) });
      output += result.stdout + result.stderr;
      // The top-level steps skip scripts on purpose; inside the postinstall a skipped script means a missing native module.
      const skipped = file === 'sh' && /install scripts not yet covered by allowScripts[\s\S]*/.exec(result.stdout + result.stderr);
      if (skipped) throw new Error(`npm skipped install scripts; add them to PACKAGES_WITH_INSTALL_SCRIPTS\n${skipped[0]}`);
    }
    writeFileSync(logFile, output);
  } catch (error) {
    if (error instanceof CommandError) output += error.result.stdout + error.result.stderr;
    writeFileSync(logFile, output);
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`code-server install failed (see ${logFile}); the next run starts over.\n${why}`);
  } finally {
    clearInterval(heartbeat);
  }

  const missing = REQUIRED_ARTEFACTS.filter((artefact) => !existsSync(join(dir, artefact)));
  if (missing.length > 0) {
    throw new Error(`code-server install finished but lacks ${missing.join(', ')}\n${tail(readFileSync(logFile, 'utf8'), 30)}`);
  }
  const version = await runCommand(process.execPath, [join(dir, 'node_modules/code-server/out/node/entry.js'), '--version'], {
    cwd: dir,
    // code-server writes a default config (with a password) into the user's config dir on any start; keep it in the cache.
    env: { ...process.env, XDG_CONFIG_HOME: join(dir, '.xdg-config'), XDG_DATA_HOME: join(dir, '.xdg-data') },
    timeoutMs: 60_000,
  });
  const versionLine = version.stdout.split('\n').find((line) => line.startsWith(CODE_SERVER_VERSION)) ?? version.stdout.trim();
  writeFileSync(join(dir, MARKER), JSON.stringify({ version: versionLine, node: process.version, date: new Date().toISOString() }) + '\n');
  log(`code-server: installed (${versionLine})`);
}

/** The user's own npmrc (registry, CA file, nodedir) plus the install-script allowlist. */
function writeUserConfig(dir: string): string {
  const own = process.env.npm_config_userconfig || join(homedir(), '.npmrc');
  const path = join(dir, 'npm-userconfig');
  writeFileSync(path, `${readFileOr(own, '')}\nallow-scripts=${PACKAGES_WITH_INSTALL_SCRIPTS.join(',')}\n`);
  return path;
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable here. It first looks in its cache in the
 * temp directory, so put Debian's rg there under the name it expects.
 */
function seedRipgrepCache(log: (line: string) => void): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') return;
  const cache = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const archive = join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (existsSync(archive)) return;
  const rg = which('rg');
  if (!rg) {
    log('code-server: no rg on PATH (apt-get install ripgrep); @vscode/ripgrep will try to download it from GitHub');
    return;
  }
  mkdirSync(cache, { recursive: true });
  execFileSync('tar', ['czf', archive, '-C', dirname(rg), 'rg']);
}

/**
 * node-gyp downloads Node's headers unless told where they are. A distribution Node (Debian's /usr/bin/node) ships them in
 * <prefix>/include/node; point node-gyp there unless the user configured something already.
 */
function nodeHeadersEnv(): NodeJS.ProcessEnv {
  if (process.env.npm_config_nodedir) return {};
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include/node/node.h')) ? { npm_config_nodedir: prefix } : {};
}

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/** mkdir is atomic, so the lock is a directory holding the owner's PID; a lock whose owner died is taken over. */
async function acquireLock(lockDir: string, log: (line: string) => void): Promise<() => void> {
  const deadline = Date.now() + INSTALL_TIMEOUT_MS;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(readFileOr(join(lockDir, 'pid'), ''), 10);
    if (!isAlive(owner)) {
      // A lock created a moment ago may not have its pid file yet; look again before declaring it stale.
      await sleep(1000);
      if (!isAlive(Number.parseInt(readFileOr(join(lockDir, 'pid'), ''), 10))) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
    }
    if (Date.now() > deadline) throw new Error(`code-server: gave up waiting for the install lock ${lockDir}`);
    if (!announced) log(`code-server: another process (pid ${owner}) is installing; waiting`);
    announced = true;
    await sleep(5000);
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readFileOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
