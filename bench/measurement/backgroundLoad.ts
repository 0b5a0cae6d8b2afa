/**
 * A noisy neighbour for the "under load" figures: one process spinning on a core, as a build or a browser tab would.
 * Started before a series of trials and stopped after it; never left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface BackgroundLoad {
  stop(): Promise<void>;
}

export function startBackgroundLoad(): BackgroundLoad {
  // Busy arithmetic plus a little allocation, so caches and the allocator feel it too.
  const script = 'let a=[];for(;;){for(let i=0;i<1e5;i++)a.push(i*i);a=[];}';
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
