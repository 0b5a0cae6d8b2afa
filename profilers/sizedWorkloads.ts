/**
 * What a language runner remembers per workload between harness runs: the sized-input size chosen once by timing the
 * original (null: no sized performance input), so every later process, the deterministic instruction count included,
 * uses the same inputs; and whether the original mutates its arguments. Keyed by object: the optimizer passes the same
 * WorkloadSource to every call.
 */
import type { HarnessMode } from './harnessProtocol.js';
import type { ComplexityOptions, RunOptions, WorkloadSource } from './runner.js';

const DEFAULT_FLOAT_TOLERANCE = 1e-7;

export class SizedWorkloads {
  private readonly sizes = new WeakMap<WorkloadSource, number | null>();
  private readonly mutates = new WeakMap<WorkloadSource, boolean>();

  /** The job fields every run on this workload starts from. */
  baseJob(workload: WorkloadSource, opts: RunOptions): { floatTolerance: number; sizedN?: number } {
    const sizedN = this.sizes.get(workload) ?? workload.timedSizedN;
    return { floatTolerance: opts.floatTolerance ?? DEFAULT_FLOAT_TOLERANCE, ...(sizedN !== undefined ? { sizedN } : {}) };
  }

  /** Keeps the size the first successful run settled on. */
  remember(mode: HarnessMode, workload: WorkloadSource, result: { ok: true; sizedN: number | null } | { ok: false } | undefined): void {
    // Complexity runs choose their own sizes and equal runs make no inputs: neither says anything about the performance size.
    if (result?.ok && mode !== 'complexity' && mode !== 'equal' && !this.sizes.has(workload)) this.sizes.set(workload, result.sizedN);
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
