/**
 * Every optimization run, kept in one JSON file (`history.json`, `{ version: 1, entries }`, newest first) in the
 * directory the host gives it (the workspace's storage, else the global one). Pure Node: no `vscode`.
 *
 * - Writes are atomic (temp file, fsync, rename) and serialised through one queue, so two quick updates never interleave
 *   and neither is lost. A mutation reaches memory (and listeners) only once it is on disk: if the write fails the
 *   promise rejects and the store is as it was.
 * - Reading never fails the host: a corrupt, unreadable or newer-format file is moved aside (`history.corrupt-<time>.json`,
 *   `history.v<N>-<time>.json`), reported once through `onProblem`, and the store starts empty. Invalid entries in an
 *   otherwise good file are left out, reported, and the original is kept as a copy beside it.
 * - Size is capped as described in capHistory.ts.
 *
 * One process only: two VS Code windows writing the same file (no workspace, so both use the global storage) do not lose
 * a write mid-way, but the last one to write wins.
 */
import { copyFile, mkdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { capHistory, DEFAULT_HISTORY_LIMITS, type HistoryLimits } from './capHistory.js';
import { ChangeEmitter } from './changeEmitter.js';
import { fromHistoryJson, toHistoryJson } from './historyJson.js';
import { renderHistoryMarkdown, type HistoryMarkdownOptions } from './historyMarkdown.js';
import { HISTORY_FILE_VERSION, parseHistoryFile, validateHistoryEntry, type HistoryFile } from './historySchema.js';
import type { HistoryEntry } from './historyTypes.js';
import { removeStaleTempFiles, writeFileAtomic } from './writeFileAtomic.js';

export interface HistoryStoreOptions extends Partial<HistoryLimits> {
  /** A problem the user should hear about once (the file was set aside, entries were dropped). Never throws at the host. */
  onProblem?: (message: string) => void;
  /** Clock for the names of set-aside files and for sweeping old temp files. */
  now?: () => Date;
}

/** A temp file younger than this may belong to a write in progress in another window. */
const STALE_TEMP_MS = 60_000;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Newest first by start time; `sort` is stable, so equal times keep their order (a just-added entry goes first). */
function newestFirst(entries: HistoryEntry[]): HistoryEntry[] {
  return entries.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

export class HistoryStore {
  static readonly FILE_NAME = 'history.json';

  readonly filePath: string;
  private readonly limits: HistoryLimits;
  private readonly onProblem: (message: string) => void;
  private readonly now: () => Date;
  private entries: HistoryEntry[] = [];
  private loaded = false;
  /** Every read and write runs in this chain, one after another. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly changed = new ChangeEmitter<void>();
  /** Fires after the entries changed (loaded, added, updated, removed, cleared). Read them with `list()`. */
  readonly onDidChange = this.changed.event;

  constructor(readonly directory: string, options: HistoryStoreOptions = {}) {
    this.filePath = join(directory, HistoryStore.FILE_NAME);
    this.limits = {
      maxEntries: options.maxEntries ?? DEFAULT_HISTORY_LIMITS.maxEntries,
      maxBytes: options.maxBytes ?? DEFAULT_HISTORY_LIMITS.maxBytes,
    };
    const onProblem = options.onProblem ?? (() => undefined);
    this.onProblem = (message) => {
      try {
        onProblem(message);
      } catch {
        // A reporting hook that throws must not turn a recoverable problem into a fatal one.
      }
    };
    this.now = options.now ?? (() => new Date());
  }

  /** (Re)reads the file. Never rejects for a bad file; see the module comment. Mutations load first if needed. */
  load(): Promise<void> {
    return this.enqueue(async () => {
      await this.readFromDisk();
      this.fireChanged();
    });
  }

  /** Newest first. A snapshot: entries are replaced, never mutated, by the store. */
  list(): readonly HistoryEntry[] {
    return [...this.entries];
  }

  get(id: string): HistoryEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  /** Adds a run, or replaces the one with the same id. Rejects, writing nothing, if the entry is invalid. */
  async add(entry: HistoryEntry): Promise<void> {
    const valid = validateHistoryEntry(entry);
    await this.enqueue(async () => {
      await this.ensureLoaded();
      await this.commit([valid, ...this.entries.filter((e) => e.id !== valid.id)]);
    });
  }

  /**
   * Replaces an entry with `change(copy)`; the copy may be mutated and returned. Resolves to the stored entry, or
   * `undefined` (nothing written) when the id is unknown. The id cannot be changed.
   */
  update(id: string, change: (entry: HistoryEntry) => HistoryEntry): Promise<HistoryEntry | undefined> {
    return this.enqueue(async () => {
      await this.ensureLoaded();
      const current = this.get(id);
      if (!current) return undefined;
      const next = validateHistoryEntry({ ...change(structuredClone(current)), id });
      await this.commit(this.entries.map((e) => (e.id === id ? next : e)));
      return this.get(id);
    });
  }

  /** Resolves to whether there was such an entry. */
  remove(id: string): Promise<boolean> {
    return this.enqueue(async () => {
      await this.ensureLoaded();
      if (!this.get(id)) return false;
      await this.commit(this.entries.filter((e) => e.id !== id));
      return true;
    });
  }

  clear(): Promise<void> {
    return this.enqueue(async () => {
      await this.ensureLoaded();
      if (this.entries.length > 0) await this.commit([]);
    });
  }

  /** The same format as the file (see historyJson.ts), pretty-printed: a readable archive the store could read back. */
  exportJson(): string {
    const file: HistoryFile = { version: HISTORY_FILE_VERSION, entries: this.entries };
    return `${toHistoryJson(file, 2)}\n`;
  }

  exportMarkdown(options?: HistoryMarkdownOptions): string {
    return renderHistoryMarkdown(this.entries, options);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async ensureLoaded(): Promise<void> {
    if (!this.loaded) await this.readFromDisk();
  }

  /** Caps, writes, and only then makes `next` the state and tells listeners. Call from inside the queue. */
  private async commit(next: HistoryEntry[]): Promise<void> {
    const { entries } = capHistory(newestFirst(next), this.limits);
    await this.write(entries);
    this.entries = entries;
    this.fireChanged();
  }

  private async write(entries: HistoryEntry[]): Promise<void> {
    const file: HistoryFile = { version: HISTORY_FILE_VERSION, entries };
    const text = toHistoryJson(file);
    await mkdir(this.directory, { recursive: true });
    await writeFileAtomic(this.filePath, text);
  }

  private fireChanged(): void {
    // A listener's bug must not undo a write that succeeded, nor stay invisible.
    this.changed.fire(undefined, (error) => this.onProblem(`A history view listener failed: ${errorMessage(error)}`));
  }

  private async readFromDisk(): Promise<void> {
    this.loaded = true;
    this.entries = [];
    await removeStaleTempFiles(this.filePath, STALE_TEMP_MS, this.now().getTime());

    let text: string;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      await this.setAside('corrupt', `could not be read (${errorMessage(error)})`);
      return;
    }
    let data: unknown;
    try {
      data = fromHistoryJson(text);
    } catch (error) {
      await this.setAside('corrupt', `is not valid JSON (${errorMessage(error)})`);
      return;
    }
    const parsed = parseHistoryFile(data);
    if (parsed.kind === 'newer') {
      await this.setAside(`v${parsed.version}`, `was written by a newer version of Perfloop (format ${parsed.version})`);
      return;
    }
    if (parsed.kind === 'invalid') {
      await this.setAside('corrupt', `is not a Perfloop history (${parsed.reason})`);
      return;
    }
    this.entries = newestFirst(parsed.entries);
    if (parsed.dropped.length === 0) return;

    // Keep the original before rewriting without the bad entries, so nothing is lost for good.
    const first = parsed.dropped[0];
    const what = parsed.dropped.length === 1 ? '1 entry' : `${parsed.dropped.length} entries`;
    const why = first ? ` (${first.id ? `entry ${first.id}: ` : ''}${first.reason})` : '';
    let kept = '';
    try {
      const copy = await this.freeSetAsidePath('corrupt');
      await copyFile(this.filePath, copy);
      kept = ` The original file was kept as ${copy}.`;
      await this.write(this.entries);
    } catch (error) {
      kept = ` (The file could not be copied or rewritten: ${errorMessage(error)}.)`;
    }
    this.onProblem(`${what} of the Perfloop history could not be read and ${parsed.dropped.length === 1 ? 'was' : 'were'} left out${why}.${kept}`);
  }

  /** Moves the history file aside so the next write starts a fresh one, and says where it went. */
  private async setAside(label: string, problem: string): Promise<void> {
    try {
      const target = await this.freeSetAsidePath(label);
      await rename(this.filePath, target);
      this.onProblem(`The Perfloop history ${problem}. It was moved to ${target} and a new history was started.`);
    } catch (error) {
      this.onProblem(
        `The Perfloop history ${problem}, and it could not be moved aside (${errorMessage(error)}). ` +
          `A new history was started; the next run will overwrite ${this.filePath}.`,
      );
    }
  }

  /** `history.<label>-<time>.json`, with a counter if a file by that name exists already. */
  private async freeSetAsidePath(label: string): Promise<string> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    for (let n = 0; ; n++) {
      const candidate = join(this.directory, `history.${label}-${stamp}${n > 0 ? `-${n}` : ''}.json`);
      try {
        await stat(candidate);
      } catch {
        return candidate;
      }
    }
  }
}
