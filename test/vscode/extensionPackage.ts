/**
 * The extension as users get it: bundled by esbuild.mjs, packed into a .vsix by vsce (the .vscodeignore allowlist decides
 * what ships), installed by code-server's own `--install-extension`. Tests run against that installed copy, so a file
 * missing from the package fails them the way it would fail a user.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCommand } from './processes.js';

export interface ExtensionManifest {
  name: string;
  publisher: string;
  version: string;
  repository?: unknown;
}

export function readManifest(repo: string): ExtensionManifest {
  return JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as ExtensionManifest;
}

/** Runs the repository's esbuild.mjs (extension, CLI and webview bundles into dist/). */
export async function buildExtension(repo: string): Promise<void> {
  await runCommand(process.execPath, ['esbuild.mjs'], { cwd: repo, timeoutMs: 5 * 60_000 });
}

/** `vsce package` without dependencies (everything is bundled); returns the .vsix path and the files it holds. */
export async function packageExtension(repo: string, outDir: string): Promise<{ vsix: string; files: string[] }> {
  mkdirSync(outDir, { recursive: true });
  const manifest = readManifest(repo);
  const vsix = join(outDir, `${manifest.name}-${manifest.version}.vsix`);
  const vsce = join(repo, 'node_modules/.bin/vsce');
  if (!existsSync(vsce)) throw new Error(`${vsce} is missing: run npm ci (@vscode/vsce is a devDependency)`);
  const env = { ...process.env, VSCE_TELEMETRY: 'false' };
  // Without a `repository` field vsce cannot rewrite the README's relative links and refuses to package; the tests do not
  // read the README, so a reserved (.invalid) base URL stands in until package.json names the repository.
  const linkBase = manifest.repository ? [] : ['--baseContentUrl', 'https://perfloop.invalid/', '--baseImagesUrl', 'https://perfloop.invalid/'];
  await runCommand(vsce, ['package', '--no-dependencies', '--allow-missing-repository', ...linkBase, '--out', vsix], {
    cwd: repo,
    env,
    timeoutMs: 5 * 60_000,
  });
  const listing = await runCommand(vsce, ['ls', '--no-dependencies'], { cwd: repo, env, timeoutMs: 2 * 60_000 });
  const files = listing.stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  writeFileSync(join(outDir, 'vsix-files.txt'), files.join('\n') + '\n');
  const missing = runtimeFiles(repo).filter((file) => !files.includes(file));
  if (missing.length > 0) {
    throw new Error(`the .vsix lacks files the runners read at run time (add them to .vscodeignore's allowlist): ${missing.join(', ')}`);
  }
  return { vsix, files };
}

/** The harness files the language runners read from the extension's directory at run time (the C/C++ self-test aside). */
function runtimeFiles(repo: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'selftest' && entry.name !== '__pycache__') walk(full);
      } else found.push(relative(repo, full));
    }
  };
  for (const language of ['python', 'javascript', 'native']) walk(join(repo, 'profilers', language, 'harness'));
  return found;
}

/**
 * Installs the .vsix into `extensionsDir` with code-server's CLI and returns the installed extension's directory
 * (`<extensionsDir>/<publisher>.<name>-<version>`).
 */
export async function installExtension(options: {
  codeServerEntry: string;
  vsix: string;
  extensionsDir: string;
  /** Scratch space for the CLI's user data and XDG directories. */
  scratchDir: string;
  manifest: ExtensionManifest;
}): Promise<string> {
  const { scratchDir } = options;
  mkdirSync(scratchDir, { recursive: true });
  const configFile = join(scratchDir, 'code-server-config.yaml');
  writeFileSync(configFile, '');
  await runCommand(
    process.execPath,
    [
      options.codeServerEntry,
      '--config', configFile,
      '--user-data-dir', join(scratchDir, 'user-data'),
      '--extensions-dir', options.extensionsDir,
      '--install-extension', options.vsix,
      '--force',
    ],
    {
      cwd: scratchDir,
      env: {
        ...process.env,
        XDG_CONFIG_HOME: join(scratchDir, 'xdg-config'),
        XDG_DATA_HOME: join(scratchDir, 'xdg-data'),
        XDG_CACHE_HOME: join(scratchDir, 'xdg-cache'),
      },
      timeoutMs: 3 * 60_000,
    },
  );
  const { publisher, name, version } = options.manifest;
  const installed = join(options.extensionsDir, `${publisher}.${name}-${version}`);
  if (!existsSync(join(installed, 'package.json')) || !statSync(installed).isDirectory()) {
    throw new Error(`code-server reported success but ${installed}/package.json does not exist`);
  }
  return installed;
}
