// `memory` mode. V8 offers no per-call peak like Python's tracemalloc, so this measures the heap growth over one call
// starting from a fully collected heap: live and not-yet-collected garbage at the call's end. Young-generation
// collections during the call make it undercount what a call churns through; what survives the call counts in full.
import { getHeapStatistics } from 'node:v8';
import { invoke } from './calls.mjs';

export async function measureMemory(job, program, inputs) {
  const calls = inputs.performance.length > 0 ? inputs.performance : inputs.correctness;
  let peakBytes = 0;
  for (const args of calls) {
    const copy = program.copy(args);
    globalThis.gc?.();
    const before = getHeapStatistics().used_heap_size;
    const outcome = await invoke(program.fn, copy);
    const after = getHeapStatistics().used_heap_size;
    peakBytes = Math.max(peakBytes, after - before);
    globalThis.__perfloopSink = outcome;
  }
  return { peakBytes, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
}
