/** Reproducible sampling: a seeded PRNG (mulberry32) and a seeded shuffle, so a tier's sample is the same on every run. */

import { seededRandom } from '../../profilers/stats/seededRandom.js';

export { seededRandom };

/** A Fisher–Yates shuffle of a copy of `items` driven by `seed`. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** `count` items drawn without replacement (all of them when count ≥ length), kept in their original order. */
export function seededSample<T>(items: readonly T[], count: number, seed: number): T[] {
  if (count >= items.length) return [...items];
  const chosen = new Set(seededShuffle(items.map((_, i) => i), seed).slice(0, count));
  return items.filter((_, i) => chosen.has(i));
}
