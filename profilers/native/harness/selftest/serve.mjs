// Times two serve-mode workers against each other as Perfloop does (profilers/judge: one process per side, driven on
// fd 4 by the coordinator), then checks optional expectations: JavaScript expressions over `t` (the coordinated timing).
//   node serve.mjs <work dir> <original exe> <candidate exe> [key value]... -- ['expression' ...]
// Keys: samples (10), sampleSeconds (0.02), and any job key for both workers (sizedN, mutatesArguments, …).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startWorker, timeWithPairedWorkers } from '../../../../out/profilers/judge/pairedWorkers.js';

const [workDir, originalExe, candidateExe, ...rest] = process.argv.slice(2);
const split = rest.indexOf('--');
const pairs = split < 0 ? rest : rest.slice(0, split);
const expectations = split < 0 ? [] : rest.slice(split + 1);
const settings = { samples: '10', sampleSeconds: '0.02' };
const job = {};
for (let i = 0; i + 1 < pairs.length; i += 2) {
  if (pairs[i] in settings) settings[pairs[i]] = pairs[i + 1];
  else job[pairs[i]] = pairs[i + 1];
}

function launch(side, exe) {
  return startWorker(side, (onChannel) => {
    const dir = path.join(workDir, side);
    mkdirSync(dir, { recursive: true });
    const lines = { mode: 'serve', nonce: `nonce-${side}`, resultPath: path.join(dir, 'result.json'), progressPath: path.join(dir, 'progress.json'), side, seed: 7, ...job };
    writeFileSync(path.join(dir, 'job.txt'), Object.entries(lines).map(([k, v]) => `${k} ${v}`).join('\n') + '\n');
    return new Promise((resolve) => {
      const child = spawn(exe, [path.join(dir, 'job.txt')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      onChannel(child.stdio[4], child.pid);
      child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
    });
  });
}

const t = await timeWithPairedWorkers({
  start: (side) => launch(side, side === 'original' ? originalExe : candidateExe),
  explainEnd: (side, end) => ({ throw: new Error(`the ${side}'s worker ended: ${JSON.stringify(end).slice(0, 800)}`) }),
  coordinator: { samples: Number(settings.samples), sampleSeconds: Number(settings.sampleSeconds), deadline: Date.now() + 120_000, warmup: 'once', tolerance: 1e-7, seed: 1 },
});
const median = (values) => [...values].sort((x, y) => x - y)[values.length >> 1];
console.log(`  samples ${t.original.length}/${t.candidate.length}; median s/call ${median(t.original)} vs ${median(t.candidate)}; timer ${t.timer}`);
console.log(`  integrity ${JSON.stringify(t.integrity)}${t.rejection ? `; rejection: ${t.rejection}` : ''}`);
let failed = false;
for (const expression of expectations) {
  let value;
  try {
    value = new Function('t', 'median', `return (${expression});`)(t, median);
  } catch (error) {
    value = `threw ${error}`;
  }
  if (value !== true) {
    failed = true;
    console.log(`  FAIL: expected ${expression} (got ${JSON.stringify(value)})`);
  }
}
console.log(failed ? '  timing expectations: FAILED' : '  timing expectations: ok');
process.exit(failed ? 1 : 0);
