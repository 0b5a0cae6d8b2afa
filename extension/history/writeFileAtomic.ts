/**
 * Atomic file replacement: write a temp file in the same directory, fsync it, rename it over the target. A reader (or a
 * crash) sees the old file or the new one, never half of one. Temp files of writes that died midway are swept on load.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TEMP_SUFFIX = '.tmp';
/** Windows refuses a rename while another process (indexer, antivirus) briefly holds the target open. */
const TRANSIENT_RENAME_ERRORS = new Set(['EPERM', 'EACCES', 'EBUSY']);

function tempPathFor(filePath: string): string {
  return join(dirname(filePath), `${basename(filePath)}.${process.pid}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}

function isTempOf(name: string, filePath: string): boolean {
  return name.startsWith(`${basename(filePath)}.`) && name.endsWith(TEMP_SUFFIX);
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (process.platform !== 'win32' || !TRANSIENT_RENAME_ERRORS.has(code) || attempt >= 4) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    }
  }
}

/** Replaces `filePath` with `data` atomically. On failure the temp file is removed, the target is untouched, and the error is rethrown. */
export async function writeFileAtomic(filePath: string, data: string): Promise<void> {
  const tempPath = tempPathFor(filePath);
  try {
    const handle = await open(tempPath, 'wx');
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(tempPath, filePath);
  } catch (error) {
    await rm(tempPath, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(filePath));
}

/** Makes the rename itself durable. Best effort: Windows cannot open a directory for fsync, and nothing is lost if it fails. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // See above: durability of the rename is a bonus, not a requirement.
  }
}

/**
 * Deletes temp files left by writes to `filePath` that died midway. Only those older than `olderThanMs`: another window
 * sharing the directory may be writing right now.
 */
export async function removeStaleTempFiles(filePath: string, olderThanMs: number, now = Date.now()): Promise<number> {
  const dir = dirname(filePath);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names.filter((n) => isTempOf(n, filePath))) {
    const path = join(dir, name);
    try {
      if (now - (await stat(path)).mtimeMs < olderThanMs) continue;
      await rm(path, { force: true });
      removed++;
    } catch {
      // Gone already or not ours to delete: either way nothing to do.
    }
  }
  return removed;
}
