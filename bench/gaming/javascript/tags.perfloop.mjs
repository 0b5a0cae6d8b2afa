// Inputs for repeatedTags: edge cases, and 4,000 tags over 300 words (a few ms per call), the input that is timed.
// The JavaScript harness times sizedInput(n) at a size it calibrates (a different input from run to run), or, without
// sizedInput, the correctness inputs: it does not read performanceInputs(). So the timed input is the last correctness
// input here, one fixed input whatever the harness does; performanceInputs() names it too.
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function tagStream(n, words, seed) {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const word = `tag${Math.floor(random() * words)}`;
    const style = Math.floor(random() * 4);
    return style === 0 ? word : style === 1 ? word.toUpperCase() : style === 2 ? ` ${word}` : `${word}  `;
  });
}

export function correctnessInputs() {
  return [[[]], [['a']], [['a', ' A ']], [['x', 'y', 'X', 'y ', 'z', 'Y', 'x']], ...[10, 50, 300].map((n) => [tagStream(n, Math.floor(n / 3) + 1, n)]), [tagStream(4000, 300, 7)]];
}

export function performanceInputs() {
  return [[tagStream(4000, 300, 7)]];
}
