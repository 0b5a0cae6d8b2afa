/**
 * What a language runner remembers per workload between harness runs: the sized-input size chosen once by timing the
 * original (null: no sized performance input), so every later process, the deterministic instruction count included,
 * uses the same inputs; and whether the original mutates its arguments. Keyed by object: the optimizer passes the same
 * WorkloadSource to every call.
 */
import type { HarnessMode } from './harnessProtocol.js';
import type { ComplexityOptions, RunOptions, WorkloadSource } from './runner.js';

const DEFAULT_FLOAT_TOLERANCE = 1e-7;

/**
 * Inputs an LLM-written generator made in a process of its own (with the original loaded, never a candidate), as a file
 * each side's process reads instead of running the generator; or why they cannot be data, and the generator must run in
 * each side's process as before (the report then warns: WorkloadSummary.generatorBesideCode).
 */
export type GeneratedInputs = { file: string } | { besideCode: string };

/** Whether a workload's inputs are made apart from the code under test: only an LLM-written generator's. */
export function generatedApart(workload: WorkloadSource): boolean {
  return workload.kind === 'generator' && workload.origin === 'llm';
}

export class SizedWorkloads {
  private readonly sizes = new WeakMap<WorkloadSource, number | null>();
  private readonly mutates = new WeakMap<WorkloadSource, boolean>();
  private readonly generated = new WeakMap<WorkloadSource, Map<number, Promise<GeneratedInputs>>>();

  /**
   * The generated inputs for one seed, made once by `make` (the runner's inputs process) and shared by every process that
   * uses that seed (both sides' outcomes, both timing workers of a pair). Undefined for workloads made in the sides' own
   * processes (the user's files and modules: their own code). A failure is not remembered.
   */
  generatedInputs(workload: WorkloadSource, seed: number, make: () => Promise<GeneratedInputs>): Promise<GeneratedInputs> | undefined {
    if (!generatedApart(workload)) return undefined;
    let bySeed = this.generated.get(workload);
    if (!bySeed) this.generated.set(workload, (bySeed = new Map()));
    let inputs = bySeed.get(seed);
    if (!inputs) {
      inputs = make();
      bySeed.set(seed, inputs);
      inputs.catch(() => bySeed?.delete(seed));
    }
    return inputs;
  }

  /** Drops one seed's generated inputs (a timing seed, used once), for the caller to remove its file. */
  forgetGeneratedInputs(workload: WorkloadSource, seed: number): Promise<GeneratedInputs> | undefined {
    const bySeed = this.generated.get(workload);
    const inputs = bySeed?.get(seed);
    bySeed?.delete(seed);
    return inputs;
  }

  /** The job fields every run on this workload starts from. */
  baseJob(workload: WorkloadSource, opts: RunOptions): { floatTolerance: number; sizedN?: number } {
    const sizedN = this.sizes.get(workload) ?? workload.timedSizedN;
    return { floatTolerance: opts.floatTolerance ?? DEFAULT_FLOAT_TOLERANCE, ...(sizedN !== undefined ? { sizedN } : {}) };
  }

  /** Keeps the size the first successful run settled on. */
  remember(mode: HarnessMode, workload: WorkloadSource, result: { ok: true; sizedN: number | null } | { ok: false } | undefined): void {
    // Complexity runs choose their own sizes, equal runs make no inputs and inputs runs never calibrate: none says anything
    // about the performance size.
    if (result?.ok && mode !== 'complexity' && mode !== 'equal' && mode !== 'inputs' && !this.sizes.has(workload)) this.sizes.set(workload, result.sizedN);
  }

  /** Whether the sized input is settled (counting must not calibrate: that is timing-dependent). */
  isSized(workload: WorkloadSource): boolean {
    return this.sizes.has(workload);
  }

  /**
   * Runs `check` (the runner's workload check) unless the sized input is settled: a process that must not calibrate
   * (a one-side process, an instruction count: calibration is timing-dependent) needs the size fixed first.
   */
  async settle(workload: WorkloadSource, check: () => Promise<unknown>): Promise<void> {
    if (workload.kind !== 'json' && !this.isSized(workload)) await check();
  }

  rememberMutation(workload: WorkloadSource, mutatesArguments: boolean): void {
    this.mutates.set(workload, mutatesArguments);
  }

  complexityJob(workload: WorkloadSource, opts: ComplexityOptions) {
    return {
      maxPoints: opts.maxPoints,
      maxSecondsPerCall: opts.maxSecondsPerCall,
      budgetSeconds: (opts.timeoutMs / 1000) * 0.6,
      // Unknown until the workload was checked: copying for every call is then the safe choice.
      mutatesArguments: this.mutates.get(workload) ?? true,
    };
  }
}
