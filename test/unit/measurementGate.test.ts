/** The gate that lets candidates' deterministic work overlap while wall-time sampling runs alone. */
import assert from 'node:assert/strict';
import { defaultParallelCandidates, MeasurementGate } from '../../optimizer/measurementGate.js';

/** A job the test finishes by hand, recording when it started. */
interface HeldJob {
  started: boolean;
  finish: () => void;
  done: Promise<string>;
}

function held(gate: MeasurementGate, kind: 'shared' | 'exclusive', name: string, order: string[], signal?: AbortSignal): HeldJob {
  let finish: () => void = () => undefined;
  const job: HeldJob = { started: false, finish: () => finish(), done: Promise.resolve('') };
  const task = () =>
    new Promise<string>((resolve) => {
      job.started = true;
      order.push(name);
      finish = () => resolve(name);
    });
  job.done = kind === 'shared' ? gate.runShared(task, signal) : gate.runExclusive(task, signal);
  return job;
}

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('MeasurementGate', () => {
  it('runs up to `concurrency` shared jobs at once and queues the rest in order', async () => {
    const gate = new MeasurementGate(2);
    const order: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((n) => held(gate, 'shared', n, order)) as [HeldJob, HeldJob, HeldJob];
    await settle();
    assert.deepEqual([a.started, b.started, c.started], [true, true, false]);
    b.finish();
    assert.equal(await b.done, 'b');
    await settle();
    assert.equal(c.started, true);
    a.finish();
    c.finish();
    await Promise.all([a.done, c.done]);
    assert.equal(gate.statistics.maxShared, 2);
  });

  it('starts an exclusive job only when every shared job has ended, and holds back shared jobs queued after it', async () => {
    const gate = new MeasurementGate(2);
    const order: string[] = [];
    const count = held(gate, 'shared', 'count', order);
    const timing = held(gate, 'exclusive', 'timing', order);
    const build = held(gate, 'shared', 'build', order); // a free slot, but timing waits: it must not overtake it
    await settle();
    assert.deepEqual([count.started, timing.started, build.started], [true, false, false]);
    count.finish();
    await settle();
    assert.deepEqual([timing.started, build.started], [true, false]);
    timing.finish();
    await settle();
    assert.equal(build.started, true);
    build.finish();
    await Promise.all([count.done, timing.done, build.done]);
    assert.deepEqual(order, ['count', 'timing', 'build']);
    assert.deepEqual(gate.statistics, { maxShared: 1, exclusiveRuns: 1, exclusiveOverlaps: 0 });
  });

  it('runs exclusive jobs one at a time', async () => {
    const gate = new MeasurementGate(3);
    const order: string[] = [];
    const first = held(gate, 'exclusive', 'first', order);
    const second = held(gate, 'exclusive', 'second', order);
    await settle();
    assert.deepEqual([first.started, second.started], [true, false]);
    first.finish();
    await settle();
    assert.equal(second.started, true);
    second.finish();
    await Promise.all([first.done, second.done]);
    assert.equal(gate.statistics.exclusiveOverlaps, 0);
  });

  it('frees the slot when a job throws', async () => {
    const gate = new MeasurementGate(1);
    await assert.rejects(gate.runShared(() => Promise.reject(new Error('candidate crashed'))), /candidate crashed/);
    assert.equal(await gate.runExclusive(() => Promise.resolve('timed')), 'timed');
  });

  it('drops a queued job when its run is cancelled, and lets the jobs behind it go', async () => {
    const gate = new MeasurementGate(1);
    const order: string[] = [];
    const running = held(gate, 'shared', 'running', order);
    const controller = new AbortController();
    const cancelled = held(gate, 'exclusive', 'cancelled', order, controller.signal);
    const after = held(gate, 'shared', 'after', order);
    await settle();
    controller.abort(new Error('The run was cancelled.'));
    await assert.rejects(cancelled.done, /cancelled/);
    running.finish();
    await settle();
    assert.equal(after.started, true);
    after.finish();
    await Promise.all([running.done, after.done]);
    assert.deepEqual(order, ['running', 'after']);
    await assert.rejects(gate.runShared(() => Promise.resolve(1), controller.signal), /cancelled/, 'an aborted signal never starts a job');
  });

  it('refuses a concurrency below 1 and picks one job per core, at most 4, by default', () => {
    assert.throws(() => new MeasurementGate(0), RangeError);
    assert.deepEqual([1, 2, 3, 8, 64].map(defaultParallelCandidates), [1, 2, 3, 4, 4]);
  });
});
