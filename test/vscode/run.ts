/**
 * One command for Perfloop's tests in a real VS Code (code-server 1.100 + Chromium):
 *
 *   node out/test/vscode/run.js [--suite all|host|ui] [--grep PATTERN] [--keep]
 *
 * ensure code-server (cached) → esbuild → vsce package → install the .vsix → extension-host suite (trusted, then
 * restricted) → Playwright UI tests → summary. Exits non-zero on any failure. A watchdog ends everything after
 * PERFLOOP_VSCODE_TIMEOUT_MIN minutes (default 15, not counting a first code-server build), and every process it
 * started is killed by process group on the way out, whatever the way out is.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Mocha from 'mocha';
import { REPO_ROOT, SCREENSHOT_DIR } from './browser.js';
import { ensureCodeServer } from './codeServer.js';
import { buildExtension, installExtension, packageExtension, readManifest } from './extensionPackage.js';
import { runHostSuite, type HostSuiteResult, type TrustMode } from './hostTests.js';
import { killAllGroups, runCommand } from './processes.js';

const LOG_DIR = join(REPO_ROOT, 'test-results/vscode-logs');

/** Cleanup for exits that do not unwind the stack (watchdog, signals); runs after every process group is killed. */
let beforeHardExit: (() => void) | undefined;

function hardExit(code: number): never {
  killAllGroups();
  try {
    beforeHardExit?.();
  } catch {
    // Exiting anyway; a failed log copy must not keep the process alive.
  }
  process.exit(code);
}

interface Phase {
  name: string;
  seconds: number;
  outcome: string;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      suite: { type: 'string', default: 'all' },
      grep: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const suite = values.suite ?? 'all';
  if (!['all', 'host', 'ui'].includes(suite)) throw new Error(`--suite must be all, host or ui (got ${suite})`);

  const phases: Phase[] = [];
  const timed = async <T>(name: string, work: () => Promise<T>, outcome: (value: T) => string = () => 'ok'): Promise<T> => {
    console.log(`\n▶ ${name}`);
    const started = performance.now();
    try {
      const value = await work();
      phases.push({ name, seconds: (performance.now() - started) / 1000, outcome: outcome(value) });
      return value;
    } catch (error) {
      phases.push({ name, seconds: (performance.now() - started) / 1000, outcome: 'FAILED' });
      printSummary(phases, []);
      throw error;
    }
  };

  const codeServer = await timed('code-server', () => ensureCodeServer(), (install) =>
    install.installSeconds > 0 ? `installed in ${install.installSeconds} s` : 'cached',
  );
  // The build and tests get their own deadline, so a first-time code-server build does not eat into it.
  armWatchdog(Number(process.env.PERFLOOP_VSCODE_TIMEOUT_MIN ?? 15));

  const runDir = mkdtempSync(join(tmpdir(), 'perfloop-vscode-'));
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  rmSync(LOG_DIR, { recursive: true, force: true });
  const finish = (): void => {
    collectLogs(runDir);
    if (values.keep) console.log(`\nKept ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  };
  // The watchdog and Ctrl-C exit without unwinding; they still leave the logs behind and the temp dir cleaned up.
  beforeHardExit = finish;
  const failures: string[] = [];
  try {
    await timed('build (esbuild.mjs)', () => buildExtension(REPO_ROOT));
    const packaged = () => packageExtension(REPO_ROOT, join(runDir, 'package'));
    const { vsix, files } = await timed('package (vsce)', packaged, (p) => `${p.files.length} files`);
    console.log(`  ${vsix}\n${files.map((f) => `    ${f}`).join('\n')}`);
    const extensionsDir = join(runDir, 'extensions');
    const extensionPath = await timed('install the .vsix', () =>
      installExtension({
        codeServerEntry: codeServer.entry,
        vsix,
        extensionsDir,
        scratchDir: join(runDir, 'install'),
        manifest: readManifest(REPO_ROOT),
      }),
    );

    if (suite !== 'ui') {
      const bundleDir = join(REPO_ROOT, 'out/vscode-host');
      await timed('bundle the host suite', () => runCommand(process.execPath, ['test/vscode/build.mjs'], { cwd: REPO_ROOT, timeoutMs: 120_000 }));
      for (const mode of ['trusted', 'restricted'] as TrustMode[]) {
        const result = await timed(`extension-host suite (${mode})`, () =>
          runHostSuite({
            codeServerEntry: codeServer.entry,
            extensionPath,
            bundleDir,
            sessionDir: join(runDir, `host-${mode}`),
            mode,
            ...(values.grep ? { grep: values.grep } : {}),
          }), describeHost);
        failures.push(...hostFailures(result));
      }
    }

    if (suite !== 'host') {
      process.env.PERFLOOP_CODE_SERVER_ENTRY = codeServer.entry;
      process.env.PERFLOOP_VSCODE_EXTENSIONS_DIR = extensionsDir;
      process.env.PERFLOOP_VSCODE_RUN_DIR = runDir;
      const ui = await timed('UI tests (Playwright)', () => runUiTests(values.grep), (r) => `${r.passed} passed, ${r.failed.length} failed`);
      failures.push(...ui.failed.map((title) => `UI: ${title}`));
    }
  } finally {
    beforeHardExit = undefined;
    finish();
  }

  printSummary(phases, failures);
  return failures.length === 0 ? 0 : 1;
}

function describeHost(result: HostSuiteResult): string {
  const count = (state: string) => result.results.filter((r) => r.state === state).length;
  const base = `${count('passed')} passed, ${count('failed')} failed${count('pending') ? `, ${count('pending')} pending` : ''}`;
  return result.problem ? `${base}; ${result.problem}` : base;
}

function hostFailures(result: HostSuiteResult): string[] {
  const failed = result.results.filter((r) => r.state === 'failed').map((r) => `host (${result.mode}): ${r.title}`);
  if (result.problem) failed.push(`host (${result.mode}): ${result.problem}`);
  return failed;
}

async function runUiTests(grep: string | undefined): Promise<{ passed: number; failed: string[] }> {
  const dir = join(REPO_ROOT, 'out/test/vscode/ui');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort() : [];
  if (files.length === 0) throw new Error(`no compiled UI tests in ${dir}: run \`tsc -p .\` first`);
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 180_000, slow: 30_000 });
  if (grep) mocha.grep(grep);
  for (const file of files) mocha.addFile(join(dir, file));
  await mocha.loadFilesAsync();
  const failed: string[] = [];
  let passed = 0;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => passed++);
    runner.on('fail', (test) => failed.push(test.fullTitle()));
  });
  return { passed, failed };
}

/** Server, extension-host and Perfloop output-channel logs of every session, kept as test artefacts. */
function collectLogs(runDir: string): void {
  if (!existsSync(runDir)) return;
  for (const session of readdirSync(runDir)) {
    const sessionDir = join(runDir, session);
    const target = join(LOG_DIR, session);
    for (const [from, to] of [
      ['code-server.log', 'code-server.log'],
      ['host-results.json', 'host-results.json'],
      ['user-data/logs', 'vscode'],
    ] as const) {
      if (!existsSync(join(sessionDir, from))) continue;
      mkdirSync(target, { recursive: true });
      cpSync(join(sessionDir, from), join(target, to), { recursive: true });
    }
  }
}

function printSummary(phases: Phase[], failures: string[]): void {
  console.log('\n── VS Code tests ─────────────────────────────────────────────');
  for (const phase of phases) console.log(`  ${phase.name.padEnd(34)} ${phase.seconds.toFixed(1).padStart(6)} s  ${phase.outcome}`);
  const total = phases.reduce((sum, p) => sum + p.seconds, 0);
  console.log(`  ${'total'.padEnd(34)} ${total.toFixed(1).padStart(6)} s`);
  if (failures.length > 0) {
    console.log(`\n  ${failures.length} failure(s):`);
    for (const failure of failures) console.log(`    ✗ ${failure}`);
  }
  console.log(`\n  screenshots: ${SCREENSHOT_DIR}\n  logs:        ${LOG_DIR}`);
}

function armWatchdog(minutes: number): void {
  const timer = setTimeout(() => {
    console.error(`\n✗ VS Code tests: still running after ${minutes} min (PERFLOOP_VSCODE_TIMEOUT_MIN); killing everything.`);
    hardExit(1);
  }, minutes * 60_000);
  timer.unref();
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping code-server and the browser.`);
    hardExit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`\n✗ ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
