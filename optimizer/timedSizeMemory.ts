/**
 * The timed size of `sized_input(n)` a run chose, remembered on this machine for the next run of the same function on
 * the same inputs. A run chooses n from the original's CPU time on a doubling grid; a function whose cost lies near a grid
 * point can land on either neighbour from one run to the next (4096 one day, 8192 the next), and its headline speedup
 * moves with n. Reusing the first choice makes two runs of the same pair state the same n and comparable speedups.
 *
 * The key is everything the choice depends on: the language and runtime, the function and the code around it, the
 * workload's content, and the machine. Editing any of them makes a new choice. The store is one small JSON file in the
 * user's cache directory (XDG_CACHE_HOME, else ~/.cache), shared by the CLI and the editor; deleting it forgets every
 * choice. A store that cannot be read or written costs the reuse, never the run.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExtractedTarget, WorkloadSource } from '../profilers/runner.js';

export interface RememberedSize {
  n: number;
  /** ISO date-time of the run that chose it. */
  chosenAt: string;
}

export interface TimedSizeMemory {
  /** The store's location, for the report ("delete … to choose again"). */
  readonly where: string;
  recall(key: string): RememberedSize | undefined;
  remember(key: string, n: number): void;
}

/** Entries kept: the most recently chosen ones. */
const MAX_ENTRIES = 1000;

/** What the choice of n depends on, hashed. `runtime` is the runner's description (interpreter or compiler and version). */
export function timedSizeKey(target: ExtractedTarget, workload: WorkloadSource, runtime: string): string {
  const hash = createHash('sha256');
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  for (const part of [target.language, runtime, os.hostname(), cpu, target.functionSource, target.contextSource, workloadContent(workload)]) {
    hash.update(part).update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

function workloadContent(workload: WorkloadSource): string {
  switch (workload.kind) {
    case 'json':
      return JSON.stringify([workload.correctness, workload.performance]);
    case 'module':
      try {
        return `${workload.path}\0${readFileSync(workload.path, 'utf8')}`;
      } catch {
        return workload.path;
      }
    case 'generator':
      return workload.source;
  }
}

/** Perfloop's folder in the user's cache directory: XDG_CACHE_HOME when it is an absolute path, else ~/.cache. */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'perfloop');
}

type Store = Record<string, RememberedSize>;

/** The store at `<dir>/timed-sizes.json`. */
export function fileTimedSizeMemory(dir: string): TimedSizeMemory {
  const file = path.join(dir, 'timed-sizes.json');
  const read = (): Store => {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
      const store: Store = {};
      for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
        const entry = value as Partial<RememberedSize> | null;
        if (entry && Number.isInteger(entry.n) && (entry.n as number) > 0 && typeof entry.chosenAt === 'string') store[key] = { n: entry.n as number, chosenAt: entry.chosenAt };
      }
      return store;
    } catch {
      return {}; // missing or unreadable: nothing remembered
    }
  };
  return {
    where: file,
    recall: (key) => read()[key],
    remember(key, n) {
      const store = read();
      store[key] = { n, chosenAt: new Date().toISOString() };
      const kept = Object.entries(store)
        .sort((a, b) => b[1].chosenAt.localeCompare(a[1].chosenAt))
        .slice(0, MAX_ENTRIES);
      try {
        mkdirSync(dir, { recursive: true });
        // Whole-file replace: a run beside this one reads the old store or the new one, never half of one.
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, `${JSON.stringify(Object.fromEntries(kept), null, 1)}\n`);
        renameSync(temporary, file);
      } catch {
        // A read-only home or a full disk: the next run chooses again.
      }
    },
  };
}
