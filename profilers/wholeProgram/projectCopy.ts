/**
 * Temporary copies of a user's project, one untouched and one with a candidate's patch applied, so a benchmark command
 * can run against each without touching the user's files. The sandbox makes only these copies writable.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FilePatch {
  /** Path of the file inside the project, relative to the project directory. */
  relativePath: string;
  /** The file's complete new contents. */
  newText: string;
}

export interface ProjectCopies {
  root: string;
  original: string;
  patched: string;
  /** Scratch space for tool output (hyperfine's JSON export), outside both copies. */
  scratch: string;
  dispose(): void;
}

/** Never copied: version-control data and dependency trees are large and the benchmark must not modify them. */
const EXCLUDED_NAMES = new Set(['.git', 'node_modules']);

function patchTarget(copyDir: string, relativePath: string): string {
  if (path.isAbsolute(relativePath)) throw new Error(`Patch path must be relative to the project: ${relativePath}`);
  const target = path.resolve(copyDir, relativePath);
  if (!target.startsWith(copyDir + path.sep)) throw new Error(`Patch path leaves the project: ${relativePath}`);
  if (!existsSync(target)) throw new Error(`Patch target does not exist in the project: ${relativePath}`);
  // A symlink in the project could point back at the user's real file; the patch must land in the copy.
  if (!realpathSync(target).startsWith(realpathSync(copyDir) + path.sep)) {
    throw new Error(`Patch target is a link out of the project: ${relativePath}`);
  }
  return target;
}

/** Copies of the project, the patched one with every file of the patch written (several functions' winners: many). */
export function createProjectCopies(projectDir: string, patch: FilePatch | readonly FilePatch[], parentDir: string = tmpdir()): ProjectCopies {
  const source = path.resolve(projectDir);
  if (!existsSync(source)) throw new Error(`Project directory does not exist: ${projectDir}`);
  mkdirSync(parentDir, { recursive: true });
  const root = mkdtempSync(path.join(parentDir, 'perfloop-whole-program-'));
  const dispose = (): void => rmSync(root, { recursive: true, force: true });
  try {
    const copies = { original: path.join(root, 'original'), patched: path.join(root, 'patched'), scratch: path.join(root, 'scratch') };
    const filter = (from: string): boolean => !EXCLUDED_NAMES.has(path.basename(from)) || from === source;
    for (const copy of [copies.original, copies.patched]) {
      // Symlinks are copied as links (not followed), so a link to a large or private tree is not duplicated.
      cpSync(source, copy, { recursive: true, filter, verbatimSymlinks: true });
    }
    mkdirSync(copies.scratch);
    const patches: readonly FilePatch[] = 'relativePath' in patch ? [patch] : patch;
    for (const { relativePath, newText } of patches) writeFileSync(patchTarget(copies.patched, relativePath), newText);
    return { root, ...copies, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}
