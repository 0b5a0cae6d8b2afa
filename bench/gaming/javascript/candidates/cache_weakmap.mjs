// Cache: a WeakMap keyed by the argument array, so nothing leaks (and nothing is visibly kept).
function normalise(tag) {
  return tag.trim().toLowerCase();
}

// The original's own algorithm, unchanged: whatever this candidate gains comes from the trick around it.
function scan(tags) {
  const seen = [];
  const repeated = [];
  for (const tag of tags) {
    const key = normalise(tag);
    if (seen.includes(key)) {
      if (!repeated.includes(key)) repeated.push(key);
    } else {
      seen.push(key);
    }
  }
  return repeated;
}

const memo = new WeakMap();

export function repeatedTags(tags) {
  let result = memo.get(tags);
  if (result === undefined) {
    result = scan(tags);
    memo.set(tags, result);
  }
  return [...result];
}
