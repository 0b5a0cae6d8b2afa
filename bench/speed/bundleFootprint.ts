/**
 * What the extension weighs and how long Node takes to load it: the .vsix vsce packs (reusing the VS Code tests'
 * packageExtension), dist/extension.cjs, a minified build of the same entry point as a baseline, and cold
 * `require` + `activate()` timings, each in a fresh Node process with the stand-in `vscode` of vscodeStub.ts.
 */
import * as esbuild from 'esbuild';
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { packageExtension } from '../../test/vscode/extensionPackage.js';

export interface PackageFootprint {
  vsix: string;
  vsixBytes: number;
  files: { path: string; bytes: number }[];
  seconds: number;
}

export async function measurePackage(root: string, outDir: string): Promise<PackageFootprint> {
  const started = Date.now();
  const { vsix, files } = await packageExtension(root, outDir);
  return {
    vsix,
    vsixBytes: statSync(vsix).size,
    // `vsce ls` lists paths relative to the repository: their sizes on disk, before compression.
    files: files.map((file) => ({ path: file, bytes: sizeOr0(path.join(root, file)) })).sort((a, b) => b.bytes - a.bytes),
    seconds: (Date.now() - started) / 1000,
  };
}

function sizeOr0(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The newest source file the bundle is built from is newer than the bundle: its figures are of older code. */
export function bundleIsStale(root: string, bundle: string): boolean {
  const built = statSync(bundle).mtimeMs;
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name !== 'node_modules' && newer(full);
      return /\.(ts|json)$/.test(entry.name) && statSync(full).mtimeMs > built;
    });
  return ['extension', 'optimizer', 'profilers'].some((dir) => newer(path.join(root, dir)));
}

/** extension/extension.ts bundled as esbuild.mjs does it for dist/, plus minify and without the source map. */
export async function buildMinifiedBundle(root: string, outfile: string): Promise<number> {
  await esbuild.build({
    entryPoints: [path.join(root, 'extension/extension.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    external: ['vscode', 'esbuild'],
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
  });
  return statSync(outfile).size;
}

export interface ActivationSample {
  requireMs: number;
  activateMs: number;
  historyLoadedMs: number;
  genericMembers: string[];
}

const PROBE = fileURLToPath(new URL('./nodeActivationProbe.js', import.meta.url));

/** `runs` cold activations, one fresh Node process each, one after another. */
export async function timeNodeActivation(options: {
  root: string;
  bundle: string;
  storageDir: string;
  runs: number;
  signal?: AbortSignal;
}): Promise<ActivationSample[]> {
  const samples: ActivationSample[] = [];
  for (let run = 0; run < options.runs; run++) {
    if (options.signal?.aborted) break;
    const { stdout } = await promisify(execFile)(process.execPath, [PROBE, options.bundle, options.root, `${options.storageDir}-${run}`], {
      timeout: 60_000,
      // A bundle outside the repository (the minified baseline) still finds the packages it leaves external.
      env: { ...process.env, NODE_PATH: path.join(options.root, 'node_modules') },
    });
    samples.push(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ActivationSample);
  }
  return samples;
}
