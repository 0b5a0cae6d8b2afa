// Math.random made repeatable: each side of a comparison runs in its own process, so inputs drawn at random by a
// workload, and functions that draw numbers, must see the same stream on both sides (as Python's seeded `random` does).
let state = 1729;

function next() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Installs the seeded generator as Math.random (once) and restarts its stream at `seed`. */
export function reseedRandom(seed) {
  state = seed >>> 0;
  if (Math.random !== next) Math.random = next;
}
