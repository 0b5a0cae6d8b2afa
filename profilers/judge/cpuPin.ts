/**
 * Both sides of a comparison run on one CPU. Left to the scheduler, a worker tends to wake on the CPU it last ran on: on a
 * busy machine one side can stay on the CPU a busy process shares with it while the other keeps an idle one, and every
 * pair then carries the same bias (an identical candidate was once called 2.4× faster that way). On a shared CPU whatever
 * else runs there meets both sides alike, in the random order of the pairs. Candidates are told to use no threads, so one
 * CPU takes nothing from them; one that widens its own affinity again is caught (affinityChanged) and rejected.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { processTree } from './freeze.js';

/** The CPUs this process may run on (Cpus_allowed_list), or undefined where /proc does not say (not Linux). */
export function allowedCpus(status = readStatus('self')): number[] | undefined {
  const list = status && /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1];
  if (!list) return undefined;
  const cpus: number[] = [];
  for (const part of list.split(',')) {
    const [from, to] = part.split('-').map(Number);
    if (from === undefined || !Number.isInteger(from)) return undefined;
    for (let cpu = from; cpu <= (to ?? from); cpu++) cpus.push(cpu);
  }
  return cpus.length > 0 ? cpus : undefined;
}

function readStatus(pid: number | 'self', task?: number): string | undefined {
  try {
    return readFileSync(task === undefined ? `/proc/${pid}/status` : `/proc/${pid}/task/${task}/status`, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Puts every thread of every process below `pid` on `cpus` (taskset, from util-linux). False when that failed: timing
 * then goes on as the scheduler places the workers.
 */
export function pinTree(pid: number, cpus: readonly number[]): boolean {
  let pinned = false;
  for (const target of processTree(pid)) {
    const run = spawnSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpus.join(','), String(target)], { stdio: 'ignore', timeout: 5000 });
    if (run.status !== 0) return false;
    pinned = true;
  }
  return pinned;
}

/** Whether a main thread below `pid` may now run on any CPU but `cpu`: the code under test widened its affinity. */
export function affinityChanged(pid: number, cpu: number): boolean {
  for (const target of processTree(pid)) {
    const cpus = allowedCpus(readStatus(target, target));
    if (cpus && (cpus.length !== 1 || cpus[0] !== cpu)) return true;
  }
  return false;
}
