/**
 * Process pairs started together, timed one at a time. A verdict rests on several fresh process pairs (optimizer/
 * timeCandidate.ts); starting them one after another would pay each pair's start-up (interpreter, harness, inputs,
 * sandbox) in turn, which is most of a pair's cost. So they start at once, and each pair, once both its workers have
 * greeted, waits frozen for its turn: no pair is timed while another is still starting up (start-up is CPU work that would
 * share the machine with the samples), and only one pair is timed at a time.
 */

export class TimingTurns {
  private starting: number;
  private readonly allStarted: Promise<void>;
  private resolveAllStarted: () => void = () => undefined;
  private last: Promise<void> = Promise.resolve();

  constructor(readonly pairs: number) {
    this.starting = pairs;
    this.allStarted = new Promise((resolve) => {
      this.resolveAllStarted = resolve;
    });
    if (pairs <= 0) this.resolveAllStarted();
  }

  /** One pair's place: `started` once its workers are up (or could not start), then `turn` to be timed. */
  ticket(): TimingTicket {
    let started = false;
    const markStarted = (): void => {
      if (started) return;
      started = true;
      if (--this.starting <= 0) this.resolveAllStarted();
    };
    return {
      sharedBy: this.pairs,
      started: markStarted,
      turn: async <T>(body: () => Promise<T>): Promise<T> => {
        markStarted();
        await this.allStarted;
        const previous = this.last;
        let release: () => void = () => undefined;
        this.last = new Promise((resolve) => {
          release = resolve;
        });
        await previous;
        try {
          return await body();
        } finally {
          release();
        }
      },
    };
  }
}

export interface TimingTicket {
  /** How many pairs share the turns: a pair may wait for the others' timing, so its workers' time limits grow with it. */
  sharedBy: number;
  /** Its workers are up, or will never be (idempotent; called by whoever learns it first). */
  started(): void;
  /** Runs `body` once every pair has started and no other pair is being timed. */
  turn<T>(body: () => Promise<T>): Promise<T>;
}
