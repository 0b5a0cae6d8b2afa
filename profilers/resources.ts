/**
 * Files Perfloop ships next to its code (the Python harness, ...), found from wherever the running module lives: the
 * compiled tree (out/profilers/), an ESM bundle (dist/*.mjs) or a CJS bundle (dist/*.cjs, where the bundler defines
 * `import.meta.url`). All of them sit somewhere below the package root, so we walk up to it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'perfloop';

let packageRoot: string | undefined;

function moduleDirectories(): string[] {
  const dirs: string[] = [];
  // In a CJS bundle without the define, import.meta is an empty object and `url` is undefined.
  const url = (import.meta as { url?: string } | undefined)?.url;
  if (url && url.startsWith('file:')) dirs.push(path.dirname(fileURLToPath(url)));
  if (typeof __filename === 'string') dirs.push(path.dirname(__filename));
  if (process.argv[1]) dirs.push(path.dirname(path.resolve(process.argv[1])));
  return dirs;
}

function isPerfloopRoot(dir: string): boolean {
  const manifest = path.join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

function findPackageRoot(): string {
  const starts = moduleDirectories();
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (isPerfloopRoot(dir)) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`Cannot find the Perfloop package root (a package.json named "${PACKAGE_NAME}") above ${starts.join(', ') || 'this module'}.`);
}

/** Absolute path of a file or directory shipped with Perfloop, e.g. `profilers/python/harness`. */
export function findResource(relativePath: string): string {
  packageRoot ??= findPackageRoot();
  const resolved = path.join(packageRoot, relativePath);
  if (!existsSync(resolved)) {
    throw new Error(`Perfloop resource ${relativePath} is missing from ${packageRoot}; the installation is incomplete.`);
  }
  return resolved;
}
