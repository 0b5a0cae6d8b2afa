/** Which files are the user's project: under its root, and not in a folder that holds other people's code. */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Folder names whose files are never ranked (libraries, environments, Perfloop's own files). One table for every language. */
export const FOREIGN_FOLDERS: readonly string[] = [
  'site-packages', 'dist-packages', '__pypackages__', '.venv', 'venv', '.tox', '.nox', 'node_modules', '.git', '.perfloop',
];

export function isProjectFile(file: string, projectRoot: string): boolean {
  const relative = path.relative(projectRoot, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return false;
  return !relative.split(path.sep).some((part) => FOREIGN_FOLDERS.includes(part)) && existsSync(file);
}
