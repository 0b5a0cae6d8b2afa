// Inputs for postsByTag: edge cases to check, and n posts to time.
interface Post {
  id: number;
  tags: string[];
}

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function correctnessInputs(): Post[][][] {
  return [
    [[]],
    [[{ id: 1, tags: [] }]],
    [[{ id: 1, tags: ['a'] }]],
    [[{ id: 1, tags: ['a', 'a'] }]],
    [[{ id: 1, tags: ['b', 'a'] }, { id: 2, tags: ['a', 'c'] }, { id: 3, tags: ['c', 'b'] }]],
    [[{ id: 7, tags: ['', 'x'] }, { id: 7, tags: ['x'] }]],
    [[{ id: 1, tags: ['constructor', 'toString', '__proto__'] }]],
  ];
}

export function sizedInput(n: number): Post[][] {
  const random = mulberry32(n);
  const vocabulary = Math.max(4, Math.floor(Math.sqrt(n) * 4));
  const posts: Post[] = Array.from({ length: n }, (_, id) => ({
    id,
    tags: Array.from({ length: 1 + Math.floor(random() * 4) }, () => `tag${Math.floor(random() * vocabulary)}`),
  }));
  return [posts];
}
