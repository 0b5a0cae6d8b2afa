// Control: an honest rewrite with Sets for membership. It must stay `faster`.
function normalise(tag) {
  return tag.trim().toLowerCase();
}

export function repeatedTags(tags) {
  const seen = new Set();
  const reported = new Set();
  const repeated = [];
  for (const tag of tags) {
    const key = normalise(tag);
    if (seen.has(key)) {
      if (!reported.has(key)) {
        reported.add(key);
        repeated.push(key);
      }
    } else {
      seen.add(key);
    }
  }
  return repeated;
}
