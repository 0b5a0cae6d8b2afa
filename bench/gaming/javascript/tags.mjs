// The gaming catalogue's JavaScript original: tags typed by users that occur more than once (Array.includes, slow).
function normalise(tag) {
  return tag.trim().toLowerCase();
}

export function repeatedTags(tags) {
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
