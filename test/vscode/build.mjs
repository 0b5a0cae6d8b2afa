// Bundles the extension-host test suite for VS Code: test/vscode/suite/index.ts and every suite/**/*.test.ts become
// CommonJS files in out/vscode-host/. VS Code `require`s the tests module (ESM only when the module sits inside a
// `"type": "module"` extension and does not end in .cjs), mocha `require`s each test file, and `require('vscode')` is
// answered by the extension host, so: CJS, `.cjs`, `vscode` external. mocha stays external too and is resolved from the
// repository's node_modules, so the runner and the test files share one mocha instance (and its globals).
//
//   node test/vscode/build.mjs            # from the repository root
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const suiteDir = join(repo, 'test/vscode/suite');
const HOST_OUT_DIR = join(repo, 'out/vscode-host');

const entryPoints = { index: join(suiteDir, 'index.ts') };
for (const entry of readdirSync(suiteDir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.test.ts')) continue;
  const file = join(entry.parentPath ?? entry.path, entry.name);
  entryPoints[relative(suiteDir, file).replace(/\.ts$/, '')] = file;
}

// Stale bundles of deleted or renamed tests would otherwise still run.
rmSync(HOST_OUT_DIR, { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outdir: HOST_OUT_DIR,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode', 'mocha'],
  sourcemap: 'inline',
  logLevel: 'warning',
});
