/**
 * Where a Python file sits in its project, so that it runs as the project imports it: as a member of its package
 * (relative imports resolve), with the directory above its top package and the project root on sys.path (absolute
 * imports of the project's own packages resolve), and the project root as the working directory (data files the code
 * opens by a relative path are found, as when the project's tests or scripts run from there).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { isSecretName } from '../sandbox/sandboxView.js';

/** A file in one of these marks the root of a Python project, the nearest one winning. */
const PROJECT_MARKERS = ['pyproject.toml', 'setup.cfg', 'setup.py'];
/** Without a marker, the root of the version-controlled tree the file is in. */
const VCS_MARKERS = ['.git', '.hg', '.svn'];

export interface PythonModulePlace {
  /** The project root: the working directory of the run, visible read-only in the sandbox. */
  projectRoot: string;
  /** e.g. `inventory.pricing`; the file's stem for a module outside any package. */
  moduleName: string;
  /** `__package__` of the module: `inventory` for `inventory/pricing.py`, '' outside any package. */
  packageName: string;
  /** sys.path entries, first first: the directory the module's top package is imported from, then the project root. */
  importRoots: string[];
}

function nearestAncestorWith(start: string, names: readonly string[]): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (names.some((name) => existsSync(path.join(dir, name)))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The project root of `filePath`: `projectDir` when given, else the nearest packaging marker, else the VCS root, else the file's folder. */
export function findProjectRoot(filePath: string, projectDir?: string): string {
  if (projectDir) {
    const root = path.resolve(projectDir);
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`The project directory ${projectDir} is not a directory.`);
    return root;
  }
  const folder = path.dirname(path.resolve(filePath));
  return nearestAncestorWith(folder, PROJECT_MARKERS) ?? nearestAncestorWith(folder, VCS_MARKERS) ?? folder;
}

const isPackageDir = (dir: string): boolean => existsSync(path.join(dir, '__init__.py'));

/** How Python would name `filePath` when the project imports it: its chain of enclosing `__init__.py` packages. */
export function pythonModulePlace(filePath: string, projectDir?: string): PythonModulePlace {
  const file = path.resolve(filePath);
  const projectRoot = findProjectRoot(file, projectDir);
  const stem = path.basename(file).replace(/\.pyw?$/, '');
  const packages: string[] = [];
  let dir = path.dirname(file);
  while (isPackageDir(dir) && path.dirname(dir) !== dir) {
    packages.unshift(path.basename(dir));
    dir = path.dirname(dir);
  }
  const isInit = stem === '__init__' && packages.length > 0;
  const moduleParts = isInit ? packages : [...packages, stem];
  return {
    projectRoot,
    moduleName: moduleParts.join('.'),
    packageName: packages.join('.'),
    // A module outside any package runs as a script does: its own folder first (not so for a package's module, whose
    // folder on sys.path would let its siblings shadow the standard library under their bare names).
    importRoots: [...new Set([dir, projectRoot])],
  };
}

/**
 * Why the code could not read files the host does have (the sandbox hides them), and what to do; undefined when every
 * file it missed is missing on the host too (then the code's own error says enough).
 */
export function describeHiddenFiles(missingFiles: readonly string[], projectRoot: string): string | undefined {
  const hidden = missingFiles.filter((file) => existsSync(file));
  if (hidden.length === 0) return undefined;
  const secret = hidden.filter((file) => file.split(path.sep).some(isSecretName));
  const named = (files: string[]): string => files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
  if (secret.length > 0) {
    return `the code read ${named(secret)}, which the sandbox hides because its name marks it as holding secrets ` +
      '(.env files, keys, credentials, .git). Let the function take what it needs as an argument instead.';
  }
  return `the code read ${named(hidden)}, which exists on this machine but is outside what the sandbox shows: the ` +
    `project at ${projectRoot} (its working directory), the interpreter's environment and PYTHONPATH. Put the file ` +
    'in the project, name a project root that holds it with --project-dir, or add its folder to PYTHONPATH.';
}
