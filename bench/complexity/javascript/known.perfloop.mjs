// Inputs for every function of known.mjs: n random integers, nearly all distinct.
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function correctnessInputs() {
  return [[[]], [[0]], [[3, -3, 1, 2, -1]], [[5, 5, -5, 0, 0, 0]], [[7, -2, 9, -7, 2, -9, 0]]];
}

export function sizedInput(n) {
  const random = mulberry32(n);
  return [Array.from({ length: n }, () => Math.floor((random() * 2 - 1) * 10 * n))];
}
