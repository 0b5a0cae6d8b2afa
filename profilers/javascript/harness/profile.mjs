// `profile` mode: V8's sampling CPU profiler (node:inspector, in this process, no port opened) while the program runs its
// inputs; the self-time ticks V8 attributes to each source line of the program module are returned per line. Time spent
// in callees (built-ins such as Array.prototype.includes, helpers) is not added to the calling line: V8 records no call
// sites, only the callee's own node.
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';

const SAMPLING_INTERVAL_MICROSECONDS = 100;
const MAX_PASSES = 100_000;

export async function profileLines(job, program, inputs) {
  const calls = inputs.performance.length > 0 ? inputs.performance : inputs.correctness;
  const url = pathToFileURL(job.programs.program.path).href;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_MICROSECONDS });
  await session.post('Profiler.start');
  const deadline = Date.now() + job.profileSeconds * 1000;
  let passes = 0;
  do {
    for (const args of calls) {
      try {
        const value = program.fn(...program.copy(args));
        if (value && typeof value.then === 'function') await value;
      } catch {
        // Throwing is part of the behaviour being profiled.
      }
    }
    passes++;
  } while (Date.now() < deadline && passes < MAX_PASSES);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  const secondsPerTick = profile.samples.length > 0 ? seconds / profile.samples.length : 0;
  const ticks = new Map();
  for (const node of profile.nodes) {
    if (node.callFrame.url !== url) continue;
    for (const { line, ticks: count } of node.positionTicks ?? []) ticks.set(line, (ticks.get(line) ?? 0) + count);
  }
  return {
    lines: [...ticks].map(([line, count]) => ({ line, ticks: count, seconds: count * secondsPerTick })).sort((a, b) => a.line - b.line),
    secondsPerTick,
    callsProfiled: passes * calls.length,
  };
}
