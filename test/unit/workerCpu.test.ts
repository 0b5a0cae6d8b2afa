import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mainThreadCpuSeconds, settledCpuSeconds } from '../../profilers/judge/freeze.js';

/** A process that, once told to, replies and then keeps its CPU for `spinSeconds` of its own time before waiting again. */
const SPINNER = `
import sys, time
sys.stdin.readline()
start = time.thread_time()
print("replied", flush=True)
while time.thread_time() - start < float(sys.argv[1]):
    pass
print("spun", flush=True)
sys.stdin.readline()
`;

function spinner(spinSeconds: number) {
  const child = spawn('python3', ['-c', SPINNER, String(spinSeconds)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    lines.push(...chunk.split('\n').filter(Boolean));
    waiters.splice(0).forEach((wake) => wake());
  });
  const line = async (text: string) => {
    while (!lines.includes(text)) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { child, pid: child.pid as number, line };
}

describe("a worker's CPU time", () => {
  it('is read once the worker has gone back to waiting, so work it does after replying is not missed', async function () {
    if (mainThreadCpuSeconds(process.pid) === undefined) this.skip(); // no schedstat here
    const worker = spinner(0.2);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // started and waiting
      const before = await settledCpuSeconds(worker.pid);
      worker.child.stdin.write('go\n');
      await worker.line('replied');
      const early = mainThreadCpuSeconds(worker.pid) as number;
      const settled = (await settledCpuSeconds(worker.pid, 30_000)) as number;
      assert.ok(early - (before as number) < 0.15, `an immediate reading misses the spin (${early - (before as number)} s)`);
      assert.ok(settled - (before as number) >= 0.2, `the settled reading includes it (${settled - (before as number)} s)`);
      assert.ok(worker.child.exitCode === null);
      await worker.line('spun');
    } finally {
      worker.child.kill('SIGKILL');
    }
  });

  it('does not wait longer than its patience for a worker that never goes back to waiting', async function () {
    if (mainThreadCpuSeconds(process.pid) === undefined) this.skip();
    const worker = spinner(60);
    try {
      worker.child.stdin.write('go\n');
      await worker.line('replied');
      const start = performance.now();
      assert.ok((await settledCpuSeconds(worker.pid, 100)) !== undefined);
      assert.ok(performance.now() - start < 5_000, 'it gave up after its patience');
    } finally {
      worker.child.kill('SIGKILL');
      await once(worker.child, 'exit');
    }
  });
});
