// `memory` mode. V8 offers no per-call peak like Python's tracemalloc, so this measures the heap growth over one call
// starting from a fully collected heap: live and not-yet-collected garbage at the call's end. Young-generation
// collections during the call make it undercount what a call churns through; what survives the call counts in full.
import { getHeapStatistics } from 'node:v8';
import { invoke } from './calls.mjs';

/** Calls per input before measuring (one-time allocations), then measured calls, of which the median is kept. */
const MEMORY_WARM_CALLS = 3;
const MEMORY_REPEATS = 5;

function noCall() {
  return undefined;
}

/**
 * A collection leaves old space with no area to allocate from; its next allocation takes a whole free block, which
 * counts as used at once, and the block's size depends on the heap's history (100 KB–160 KB from one process to the
 * next, inside a call that allocates a few objects there). Internalising a new string allocates in old space: the area is
 * taken before the reading instead of inside the call.
 */
function takeOldSpaceArea(repeat) {
  const table = {};
  table[`__perfloop_area_${repeat}_${process.hrtime.bigint()}`] = repeat;
  return table;
}

/** Median heap growth over a call of fn on copies of args, each from a collected heap, after MEMORY_WARM_CALLS calls. */
async function medianGrowth(fn, copy) {
  for (let i = 0; i < MEMORY_WARM_CALLS; i++) globalThis.__perfloopSink = await invoke(fn, copy());
  const growths = [];
  for (let repeat = 0; repeat < MEMORY_REPEATS; repeat++) {
    const args = copy();
    globalThis.__perfloopSink = undefined;
    globalThis.gc?.();
    takeOldSpaceArea(repeat);
    const before = getHeapStatistics().used_heap_size;
    const outcome = await invoke(fn, args);
    const after = getHeapStatistics().used_heap_size;
    growths.push(after - before);
    globalThis.__perfloopSink = outcome;
  }
  globalThis.__perfloopSink = undefined;
  growths.sort((a, b) => a - b);
  return growths[Math.floor(growths.length / 2)];
}

/**
 * Heap growth over one call per performance input (the largest, bytes): the median of MEMORY_REPEATS calls after
 * MEMORY_WARM_CALLS unmeasured ones (first calls pay one-time allocations: compiled code, tables built on first use),
 * less what calling a function that does nothing costs the harness (its promise and outcome object). The runner starts
 * node with --no-lazy-feedback-allocation, so V8's own bookkeeping lands in the first call, not inside a measured one.
 */
export async function measureMemory(job, program, inputs) {
  const calls = inputs.performance.length > 0 ? inputs.performance : inputs.correctness;
  const harness = await medianGrowth(noCall, () => []);
  let peakBytes = 0;
  for (const args of calls) {
    peakBytes = Math.max(peakBytes, (await medianGrowth(program.fn, () => program.copy(args))) - harness);
  }
  return { peakBytes: Math.max(0, peakBytes), maxRssBytes: process.resourceUsage().maxRSS * 1024 };
}
