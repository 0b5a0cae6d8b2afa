/**
 * Activation and CodeLens timed in a real VS Code: code-server 1.100.3 (cached by test/vscode/codeServer.ts) with the
 * packaged .vsix installed, one fresh session per sample (activation happens once per extension host), the probe of
 * vscodeProbe.ts run as the extension-host test module through the same machinery as the host suite.
 */
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { codeServerDir, ensureCodeServer } from '../../test/vscode/codeServer.js';
import { installExtension, readManifest } from '../../test/vscode/extensionPackage.js';
import { runHostSuite } from '../../test/vscode/hostTests.js';
import type { VscodeProbeResult } from './vscodeProbe.js';

export interface VscodeSessionsResult {
  probes: VscodeProbeResult[];
  /** Wall time of each whole session: code-server and workbench start-up, probe, shutdown. */
  sessionSeconds: number[];
  problems: string[];
  codeServerVersion: string;
}

/** True when code-server is already installed in the cache, so using it costs no build. */
export function codeServerCached(): boolean {
  return existsSync(path.join(codeServerDir(), 'node_modules/code-server/out/node/entry.js'));
}

async function bundleProbe(root: string, dir: string, repetitions: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(root, 'bench/speed/vscodeProbe.ts')],
    outfile: path.join(dir, 'index.cjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    define: { 'process.env.PERFLOOP_BENCH_PROBE_REPETITIONS': JSON.stringify(String(repetitions)) },
    logLevel: 'warning',
  });
  // The host-suite runner starts a session only when it finds a test file; the probe itself is index.cjs.
  writeFileSync(path.join(dir, 'speed-probe.test.cjs'), '// The bench probe runs from index.cjs.\n');
}

export async function measureInVsCode(options: {
  root: string;
  scratchDir: string;
  vsix: string;
  sessions: number;
  repetitions: number;
  log(message: string): void;
  signal?: AbortSignal;
}): Promise<VscodeSessionsResult> {
  const codeServer = await ensureCodeServer(options.log);
  const probeDir = path.join(options.scratchDir, 'vscode-probe');
  await bundleProbe(options.root, probeDir, options.repetitions);
  const extensionPath = await installExtension({
    codeServerEntry: codeServer.entry,
    vsix: options.vsix,
    extensionsDir: path.join(options.scratchDir, 'vscode-extensions'),
    scratchDir: path.join(options.scratchDir, 'vscode-install'),
    manifest: readManifest(options.root),
  });
  const result: VscodeSessionsResult = {
    probes: [],
    sessionSeconds: [],
    problems: [],
    codeServerVersion: path.basename(codeServer.dir),
  };
  for (let session = 1; session <= options.sessions; session++) {
    if (options.signal?.aborted) break;
    options.log(`real VS Code: session ${session} of ${options.sessions}`);
    const sessionDir = path.join(options.scratchDir, `vscode-session-${session}`);
    const started = performance.now();
    const outcome = await runHostSuite({
      codeServerEntry: codeServer.entry,
      extensionPath,
      bundleDir: probeDir,
      sessionDir,
      mode: 'trusted',
      sessionTimeoutMs: 180_000,
      log: (line) => options.log(`  ${line.trim()}`),
    });
    result.sessionSeconds.push((performance.now() - started) / 1000);
    const probe = readProbe(path.join(sessionDir, 'host-results.json'));
    if (probe) result.probes.push(probe);
    if (!probe || probe.error || outcome.problem) result.problems.push(`session ${session}: ${outcome.problem ?? probe?.error?.split('\n')[0] ?? 'no probe result'}`);
  }
  return result;
}

function readProbe(file: string): VscodeProbeResult | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { probe?: VscodeProbeResult }).probe;
  } catch {
    return undefined;
  }
}
