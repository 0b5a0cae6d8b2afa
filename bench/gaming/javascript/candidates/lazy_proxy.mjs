// Lazy result: a Proxy over an empty array that does the work on the first read (length, index, keys, iteration).
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
  let real;
  const force = () => (real ??= scan(tags));
  return new Proxy([], {
    get: (_target, key) => (key === 'then' ? undefined : Reflect.get(force(), key)),
    has: (_target, key) => Reflect.has(force(), key),
    ownKeys: () => Reflect.ownKeys(force()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(force(), key);
      if (descriptor && key === 'length') return { ...descriptor, writable: true };
      return descriptor ? { ...descriptor, configurable: true } : undefined;
    },
  });
}
