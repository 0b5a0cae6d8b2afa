/**
 * Stops and resumes a worker while the other side's sample runs, so that nothing it left running (a busy thread, a timer)
 * competes with the other side for the CPU, the caches or the memory bus. The sandboxed program runs in a session of its
 * own below the wrapper (bwrap --new-session, unshare --fork), so a process-group signal would miss it: every process
 * below the wrapper is signalled by pid, found through /proc. SIGSTOP stops all threads of a process and cannot be caught.
 */
import { readdirSync, readFileSync } from 'node:fs';

function children(pid: number): number[] {
  const found: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found; // gone, or not Linux
  }
  for (const task of tasks) {
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ')) {
        const n = Number(child);
        if (Number.isInteger(n) && n > 0) found.push(n);
      }
    } catch {
      // The task ended meanwhile.
    }
  }
  return found;
}

/** The wrapper and every process below it. */
export function processTree(pid: number): number[] {
  const all: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const next = stack.pop() as number;
    if (all.includes(next)) continue;
    all.push(next);
    stack.push(...children(next));
  }
  return all;
}

function signalTree(pid: number, signal: NodeJS.Signals): void {
  for (const target of processTree(pid)) {
    try {
      process.kill(target, signal);
    } catch {
      // ESRCH: it ended between the walk and the signal.
    }
  }
}

export function freezeTree(pid: number): void {
  signalTree(pid, 'SIGSTOP');
}

export function thawTree(pid: number): void {
  signalTree(pid, 'SIGCONT');
}

/**
 * Seconds the kernel has had the main threads of the process tree below `pid` on a CPU (/proc/<pid>/task/<pid>/schedstat,
 * nanoseconds). Code under test cannot change it, and a loop timed by its own clock on its main thread cannot have taken
 * less wall time than that. Other threads are left out: a runtime's compiler and collector threads run beside the loop.
 * Undefined where /proc has no schedstat (not Linux, or a kernel without scheduler statistics).
 */
export function mainThreadCpuSeconds(pid: number): number | undefined {
  return treeCpuSeconds(processTree(pid));
}

function treeCpuSeconds(tree: readonly number[]): number | undefined {
  let total = 0;
  let seen = false;
  for (const target of tree) {
    try {
      const onCpu = Number(readFileSync(`/proc/${target}/task/${target}/schedstat`, 'utf8').split(' ')[0]);
      if (Number.isFinite(onCpu)) {
        total += onCpu;
        seen = true;
      }
    } catch {
      // It ended meanwhile.
    }
  }
  return seen ? total / 1e9 : undefined;
}

/** Whether a main thread of the tree is running or waiting for a CPU (state R in /proc/<pid>/stat). */
function anyRunnable(tree: readonly number[]): boolean {
  return tree.some((target) => {
    try {
      const stat = readFileSync(`/proc/${target}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'R';
    } catch {
      return false; // it ended meanwhile
    }
  });
}

/**
 * mainThreadCpuSeconds once the tree's main threads have gone to sleep (or after `patienceMs`). The kernel adds a running
 * thread's time to schedstat only at a scheduler tick or when it leaves the CPU, so a worker read just after it replied,
 * still on its way back to waiting for the next message, shows up to a tick (4–10 ms) less than it has run, and that time
 * lands in the next reading. A worker waits for the next message right after replying: this takes microseconds.
 */
export async function settledCpuSeconds(pid: number, patienceMs = 20): Promise<number | undefined> {
  const deadline = performance.now() + patienceMs;
  const tree = processTree(pid); // walked once per reading, not on every poll
  for (let polls = 0; anyRunnable(tree) && performance.now() < deadline; polls++) {
    await new Promise((resolve) => (polls < 50 ? setImmediate(resolve) : setTimeout(resolve, 1)));
  }
  return treeCpuSeconds(tree);
}
