/**
 * The part of paired timing every runner shares: start one worker per side, wait for both greetings, hand them to the
 * coordinator, and end them whatever happens. A runner supplies how a worker is started and what its end means.
 */
import type { ChannelStream } from '../sandbox/types.js';
import { coordinatePairedTiming, rejectedTiming, workerReady, type CoordinatedTiming, type CoordinatorOptions, type Side, type TimingWorker } from './timingCoordinator.js';
import { freezeTree, thawTree } from './freeze.js';
import type { TimingTicket } from './timingTurns.js';
import { ChannelClosed, WorkerChannel } from './workerChannel.js';

export interface StartedWorker<Run> {
  side: Side;
  /** The running process's channel (fd 4) and the sandbox wrapper's pid. */
  started: Promise<{ stream: ChannelStream; pid: number }>;
  /** The process's end, as the runner reads it back (result file, exit status). */
  ended: Promise<Run>;
}

/** A worker from a launch function that reports the channel once the process is up. */
export function startWorker<Run>(side: Side, launch: (onChannel: (stream: ChannelStream, pid: number) => void) => Promise<Run>): StartedWorker<Run> {
  let resolveStarted: (value: { stream: ChannelStream; pid: number }) => void = () => undefined;
  let rejectStarted: (error: Error) => void = () => undefined;
  const started = new Promise<{ stream: ChannelStream; pid: number }>((resolve, reject) => {
    resolveStarted = resolve;
    rejectStarted = reject;
  });
  started.catch(() => undefined);
  const ended = launch((stream, pid) => resolveStarted({ stream, pid }));
  ended.then(
    () => rejectStarted(new ChannelClosed('the worker ended before opening its channel')),
    (error: unknown) => rejectStarted(error instanceof Error ? error : new Error(String(error))),
  );
  return { side, started, ended };
}

/** Why a worker that ended (or never greeted) gives no timing: an Error to throw, or a rejection of the candidate. */
export type WorkerEndVerdict = { throw: Error } | { rejection: string };

export interface PairedWorkersRequest<Run> {
  start: (side: Side) => StartedWorker<Run>;
  /** Called when a worker's channel closed before the end of timing: what its end means. */
  explainEnd: (side: Side, run: Run) => WorkerEndVerdict;
  /** Its place among process pairs started together; the deadline counts from its turn. */
  turn?: TimingTicket;
  coordinator: CoordinatorOptions;
}

const SIDES: readonly Side[] = ['original', 'candidate'];

async function connect<Run>(worker: StartedWorker<Run>): Promise<TimingWorker | { closed: true }> {
  try {
    const { stream, pid } = await worker.started;
    const channel = new WorkerChannel(stream);
    const greeting = workerReady.safeParse(await channel.next());
    if (!greeting.success) {
      channel.close();
      return { closed: true };
    }
    return { side: worker.side, channel, pid, ready: greeting.data };
  } catch {
    return { closed: true };
  }
}

export async function timeWithPairedWorkers<Run>(request: PairedWorkersRequest<Run>): Promise<CoordinatedTiming> {
  const workers = { original: request.start('original'), candidate: request.start('candidate') };
  const connected = { original: await connect(workers.original), candidate: await connect(workers.candidate) };
  request.turn?.started();
  let finished = false;
  const finish = async (): Promise<void> => {
    if (finished) return;
    finished = true;
    for (const side of SIDES) {
      const worker = connected[side];
      if ('channel' in worker) {
        thawTree(worker.pid);
        worker.channel.close(); // the worker reads end-of-file and exits
      }
    }
    await Promise.allSettled([workers.original.ended, workers.candidate.ended]);
  };
  /** The ends of the workers that stopped answering on their own, the original's first. */
  const explainFailure = async (dead: Side[]): Promise<CoordinatedTiming> => {
    await finish();
    for (const side of SIDES) {
      if (!dead.includes(side)) continue;
      const verdict = request.explainEnd(side, await workers[side].ended);
      if ('throw' in verdict) throw verdict.throw;
      return rejectedTiming(verdict.rejection);
    }
    throw new Error('a timing worker stopped answering');
  };
  try {
    const { original, candidate } = connected;
    if ('closed' in original || 'closed' in candidate) {
      return await explainFailure(SIDES.filter((side) => 'closed' in connected[side]));
    }
    try {
      if (!request.turn) return await coordinatePairedTiming({ original, candidate }, request.coordinator);
      // Frozen until its turn: nothing of a waiting pair runs beside the pair being timed.
      for (const worker of [original, candidate]) freezeTree(worker.pid);
      const waitingSince = Date.now();
      return await request.turn.turn(() =>
        coordinatePairedTiming({ original, candidate }, { ...request.coordinator, deadline: request.coordinator.deadline + (Date.now() - waitingSince) }),
      );
    } catch (error) {
      if (!(error instanceof ChannelClosed)) throw error;
      return await explainFailure(SIDES.filter((side) => (side === 'original' ? original : candidate).channel.isClosed));
    }
  } finally {
    await finish();
  }
}
