// The extension-host suite on a desktop VS Code, for contributors who have one (or internet access to download one):
//
//   npx tsc -p . && node esbuild.mjs && node test/vscode/build.mjs
//   PERFLOOP_VSCODE_EXECUTABLE=/usr/share/code/code npx vscode-test     # or without the variable: downloads VS Code
//
// Same bundled test files as `node out/test/vscode/run.js` (which runs them in code-server on machines without VS Code),
// with two differences: the extension is loaded from this repository (dist/) rather than from the packaged .vsix, and
// only the trusted-mode files run, because @vscode/test-electron always passes --disable-workspace-trust.
import { defineConfig } from '@vscode/test-cli';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = dirname(fileURLToPath(import.meta.url));
const bundleDir = join(repo, 'out/vscode-host');
const compiledWorkspace = join(repo, 'out/test/vscode/workspace.js');
if (!existsSync(bundleDir) || !existsSync(compiledWorkspace)) {
  throw new Error('Build the suite first: npx tsc -p . && node esbuild.mjs && node test/vscode/build.mjs');
}

// Tests change files (Apply), so VS Code opens a fresh copy of the fixture workspace, as the code-server runner does.
const { prepareWorkspace } = await import(compiledWorkspace);
const workspaceFolder = prepareWorkspace(mkdtempSync(join(tmpdir(), 'perfloop-vscode-desktop-')));

const trustedFiles = readdirSync(bundleDir, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.test.cjs') && !name.endsWith('.restricted.test.cjs'))
  .sort()
  .map((name) => join(bundleDir, name));

const executable = process.env.PERFLOOP_VSCODE_EXECUTABLE;

export default defineConfig({
  tests: [
    {
      label: 'extension-host',
      files: trustedFiles,
      extensionDevelopmentPath: repo,
      workspaceFolder,
      version: '1.100.3',
      ...(executable ? { useInstallation: { fromPath: executable } } : {}),
      launchArgs: ['--disable-extensions'],
      mocha: { ui: 'bdd', timeout: 60_000, color: true },
    },
  ],
});
