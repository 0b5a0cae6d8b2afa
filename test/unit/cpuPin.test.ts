import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { affinityChanged, allowedCpus, pinTree } from '../../profilers/judge/cpuPin.js';

describe('pinning both sides to one CPU', () => {
  it('reads the allowed CPUs from a status file: ranges and lists', () => {
    assert.deepEqual(allowedCpus('Name:\tx\nCpus_allowed_list:\t0-2,5,7-8\n'), [0, 1, 2, 5, 7, 8]);
    assert.deepEqual(allowedCpus('Cpus_allowed_list:\t3\n'), [3]);
    assert.equal(allowedCpus('Name:\tx\n'), undefined);
  });

  it('pins a real process tree to one CPU and notices when it widens its affinity again', async function () {
    const cpus = allowedCpus();
    if (!cpus || cpus.length < 2) this.skip();
    // A shell with a child, as a sandbox wrapper with the worker below it.
    const child = spawn('/bin/sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const pid = child.pid as number;
      const cpu = cpus[cpus.length - 1] as number;
      assert.equal(pinTree(pid, [cpu]), true);
      assert.equal(affinityChanged(pid, cpu), false);
      assert.equal(pinTree(pid, cpus), true); // what a candidate calling sched_setaffinity does
      assert.equal(affinityChanged(pid, cpu), true);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
