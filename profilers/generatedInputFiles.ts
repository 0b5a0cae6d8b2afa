/**
 * Inputs an LLM-written generator makes apart from the code under test, for every runner that can pass inputs as data:
 * one `inputs` harness run per seed, with the original loaded (never a candidate), writes them as a file; every side's
 * process of that seed reads the file instead of running the generator (Python: harness/generated.py; JavaScript:
 * harness/inputsData.mjs). Files live in one directory of the runner's: a timing seed's file goes when its pair of
 * workers ended (a seed is used once), the rest when the runner is disposed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunnerError, type Program, type RunOptions, type WorkloadSource } from './runner.js';
import { generatedApart, type GeneratedInputs, type SizedWorkloads } from './sizedWorkloads.js';

/** Runs the `inputs` mode for one seed with `original`, writing the file at `keepAt`; what it reported. */
export type MakeInputs = (
  original: Program,
  workload: WorkloadSource,
  seed: number,
  keepAt: string,
  opts: RunOptions,
) => Promise<{ written: unknown } | { besideCode: string }>;

export class GeneratedInputFiles {
  private directory: string | undefined;
  private files = 0;
  /** What each workload's check found: why its inputs cannot be data (they are made beside the code), or null. */
  private readonly checked = new WeakMap<WorkloadSource, string | null>();
  /** The original each workload was checked with: count and memory runs make their inputs with it. */
  private readonly originals = new WeakMap<WorkloadSource, Program>();
  /** Seeds with inputs made, to forget when the runner is disposed. */
  private readonly made = new Set<{ workload: WorkloadSource; seed: number }>();
  /** Per timing seed, how many of its pair's workers have ended. */
  private readonly ended = new Map<number, number>();

  constructor(
    private readonly workloads: SizedWorkloads,
    /** The runner's file names: a temporary folder's prefix and the files' extension. */
    private readonly naming: { folderPrefix: string; extension: string },
    private readonly make: MakeInputs,
  ) {}

  /** What the workload check found (WorkloadSummary.generatorBesideCode) and with which original. */
  remember(workload: WorkloadSource, original: Program, besideCode: string | undefined): void {
    if (!generatedApart(workload)) return;
    this.checked.set(workload, besideCode ?? null);
    this.originals.set(workload, original);
  }

  /** Whether the workload's check found its inputs can be data: its sides' processes then read them from files. */
  madeApart(workload: WorkloadSource): boolean {
    return this.checked.get(workload) === null;
  }

  /**
   * The inputs file for a process with this seed, or undefined when the process makes its inputs itself: a user's
   * workload (their own code), or a generator whose inputs are not data (the check said so, and the report warns).
   */
  async fileFor(workload: WorkloadSource, seed: number, opts: RunOptions, original = this.originals.get(workload)): Promise<string | undefined> {
    if (!generatedApart(workload) || typeof this.checked.get(workload) === 'string' || !original) return undefined;
    const inputs = this.workloads.generatedInputs(workload, seed, () => this.makeFile(original, workload, seed, opts));
    if (!inputs) return undefined;
    this.made.add({ workload, seed });
    const made = await inputs;
    if ('file' in made) return made.file;
    if (this.checked.get(workload) === null) {
      // The check passed its inputs as data: a generator whose inputs stop being data for another seed is refused, not
      // let back beside the code under test without the report's warning.
      throw new RunnerError(`The generated inputs could be passed as data when checked but not for seed ${seed}: ${made.besideCode}`);
    }
    return undefined; // never checked: as before, beside the code
  }

  /** Removes a timing seed's file once both workers of its pair have ended: the seed is never used again. */
  releaseWhenEnded(workload: WorkloadSource, seed: number, ended: Promise<unknown>): void {
    const release = (): void => {
      const count = (this.ended.get(seed) ?? 0) + 1;
      if (count < 2) {
        this.ended.set(seed, count);
        return;
      }
      this.ended.delete(seed);
      this.forget(workload, seed);
    };
    void ended.then(release, release);
  }

  /** Removes every file and forgets them all. */
  dispose(): void {
    for (const { workload, seed } of this.made) this.workloads.forgetGeneratedInputs(workload, seed)?.catch(() => undefined);
    this.made.clear();
    this.ended.clear();
    if (this.directory) rmSync(this.directory, { recursive: true, force: true });
    this.directory = undefined;
  }

  private forget(workload: WorkloadSource, seed: number): void {
    for (const entry of this.made) if (entry.workload === workload && entry.seed === seed) this.made.delete(entry);
    void this.workloads.forgetGeneratedInputs(workload, seed)?.then(
      (made) => 'file' in made && rmSync(made.file, { force: true }),
      () => undefined,
    );
  }

  private async makeFile(original: Program, workload: WorkloadSource, seed: number, opts: RunOptions): Promise<GeneratedInputs> {
    this.directory ??= mkdtempSync(path.join(tmpdir(), this.naming.folderPrefix));
    const file = path.join(this.directory, `inputs-${++this.files}-${seed}${this.naming.extension}`);
    const data = await this.make(original, workload, seed, file, opts);
    if ('written' in data) return { file };
    rmSync(file, { force: true });
    return { besideCode: data.besideCode };
  }
}
