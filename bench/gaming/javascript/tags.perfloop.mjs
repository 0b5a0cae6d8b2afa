// Inputs for repeatedTags: edge cases to check, 4,000 tags over 300 words to time (a few ms per call), and tags of any
// size, from which timing workers draw inputs they have never seen at about the timed input's cost.
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
  return [[[]], [['a']], [['a', ' A ']], [['x', 'y', 'X', 'y ', 'z', 'Y', 'x']], ...[10, 50, 300].map((n) => [tagStream(n, Math.floor(n / 3) + 1, n)])];
}

export function performanceInputs() {
  return [[tagStream(4000, 300, 7)]];
}

export function sizedInput(n) {
  return [tagStream(n, Math.max(1, Math.floor(n / 13)), n)];
}
