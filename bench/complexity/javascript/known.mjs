// Functions whose cost is known by construction, for the complexity-fit bench (bench/complexity/).

/** O(n): one pass, a dependent multiply-xor per element (no vectorising, no skipping). */
export function scanHash(values) {
  let hash = 2166136261;
  for (let i = 0; i < values.length; i++) hash = Math.imul(hash ^ values[i], 16777619);
  return hash >>> 0;
}

/** O(n log n): V8's TimSort with a comparator, on distinct random integers. */
export function sortValues(values) {
  return [...values].sort((a, b) => a - b);
}

/** O(n^2): every pair i < j is visited once. */
export function countPairs(values) {
  let pairs = 0;
  for (let i = 0; i < values.length; i++) {
    const first = values[i];
    for (let j = i + 1; j < values.length; j++) if (first + values[j] === 0) pairs++;
  }
  return pairs;
}

/** O(n^3): every triple i < j < k is visited once. */
export function countTriples(values) {
  let triples = 0;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const partial = values[i] + values[j];
      for (let k = j + 1; k < n; k++) if (partial + values[k] === 0) triples++;
    }
  }
  return triples;
}
