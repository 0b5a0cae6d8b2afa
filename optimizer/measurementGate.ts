/**
 * Who may run while a candidate is timed. Builds, equivalence checks, instruction counts and memory runs give the same
 * answer however busy the machine is (counts are deterministic; the rest compare outputs), so several candidates' may
 * run side by side — `shared` work, up to `concurrency` jobs at once. Wall-time sampling is disturbed by anything else
 * on the CPUs, so it is `exclusive`: it waits until every shared job has finished, and no shared job starts while it
 * runs. An exclusive job that is waiting also holds back new shared jobs, so a stream of counts cannot starve timing.
 *
 * Only jobs that go through the gate are ordered by it: a language runner's own background work (the C/C++ runner's
 * sanitizer prebuild) is kept out of timing by the runner itself.
 */

export interface GateStatistics {
  /** Most shared jobs that ran at once. */
  maxShared: number;
  /** Exclusive jobs run. */
  exclusiveRuns: number;
  /** Exclusive jobs that found another job running when they started: always 0 unless the gate is broken. */
  exclusiveOverlaps: number;
}

interface Waiter {
  kind: 'shared' | 'exclusive';
  start: () => void;
}

export class MeasurementGate {
  private shared = 0;
  private exclusive = false;
  private readonly queue: Waiter[] = [];
  private readonly stats: GateStatistics = { maxShared: 0, exclusiveRuns: 0, exclusiveOverlaps: 0 };

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }

  get statistics(): GateStatistics {
    return { ...this.stats };
  }

  /** Runs `task` beside at most `concurrency − 1` other shared jobs, never during an exclusive one. */
  runShared<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.run('shared', task, signal);
  }

  /** Runs `task` alone: after the running shared jobs end, before any queued one starts. */
  runExclusive<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.run('exclusive', task, signal);
  }

  private async run<T>(kind: Waiter['kind'], task: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    await this.acquire(kind, signal);
    try {
      return await task();
    } finally {
      this.release(kind);
    }
  }

  private acquire(kind: Waiter['kind'], signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    // Queued jobs go first (FIFO): a shared job may not overtake a waiting exclusive one.
    if (this.queue.length === 0 && this.canStart(kind)) {
      this.begin(kind);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        kind,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.begin(kind);
          resolve();
        },
      };
      const onAbort = (): void => {
        const at = this.queue.indexOf(waiter);
        if (at >= 0) this.queue.splice(at, 1);
        reject(abortReason(signal as AbortSignal));
        this.dispatch(); // the job it held back may now start
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private canStart(kind: Waiter['kind']): boolean {
    if (this.exclusive) return false;
    return kind === 'exclusive' ? this.shared === 0 : this.shared < this.concurrency;
  }

  private begin(kind: Waiter['kind']): void {
    if (kind === 'exclusive') {
      if (this.shared > 0 || this.exclusive) this.stats.exclusiveOverlaps++;
      this.exclusive = true;
      this.stats.exclusiveRuns++;
    } else {
      this.shared++;
      this.stats.maxShared = Math.max(this.stats.maxShared, this.shared);
    }
  }

  private release(kind: Waiter['kind']): void {
    if (kind === 'exclusive') this.exclusive = false;
    else this.shared--;
    this.dispatch();
  }

  /** Starts queued jobs in order while the first one can start. */
  private dispatch(): void {
    while (this.queue.length > 0 && this.canStart((this.queue[0] as Waiter).kind)) {
      (this.queue.shift() as Waiter).start();
    }
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('cancelled');
}

/**
 * Candidates measured at once when the settings leave it to Perfloop: one per CPU core, at most 4 (beyond that, memory
 * — several valgrind processes — matters more than the time saved), at least 1.
 */
export function defaultParallelCandidates(cores: number): number {
  return Math.max(1, Math.min(4, Math.floor(cores)));
}
