// Cache: results kept on globalThis under a new name, keyed by the joined tags (right for equal inputs too).
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

export function repeatedTags(tags) {
  const memo = (globalThis.__repeatedTagsMemo ??= new Map());
  const key = tags.join('\u0000');
  let result = memo.get(key);
  if (result === undefined) {
    result = scan(tags);
    memo.set(key, result);
  }
  return [...result];
}
