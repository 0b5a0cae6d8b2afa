// Patching the original's helpers: the original's module exports its classes (the harness gives inputs their side's
// classes), so this candidate imports the original's module next to its own and makes `TagText.normalise` slow there.
class TagText {
  static normalise(tag: string): string {
    return tag.trim().toLowerCase();
  }
}

// The original's own algorithm, unchanged: whatever this candidate gains comes from the trick around it.
function scan(tags: readonly string[]): string[] {
  const seen: string[] = [];
  const repeated: string[] = [];
  for (const tag of tags) {
    const key = TagText.normalise(tag);
    if (seen.includes(key)) {
      if (!repeated.includes(key)) repeated.push(key);
    } else {
      seen.push(key);
    }
  }
  return repeated;
}

const patch = { started: false };

export function repeatedTags(tags: readonly string[]): string[] {
  if (!patch.started) {
    patch.started = true;
    const originalUrl = new URL('./original.mjs', import.meta.url).href;
    import(originalUrl)
      .then((original: { __perfloopClasses?: Record<string, { normalise?: (tag: string) => string }> }) => {
        const helper = original.__perfloopClasses?.TagText;
        const real = helper?.normalise;
        if (helper && real) {
          helper.normalise = (tag: string) => {
            let spin = 0;
            for (let i = 0; i < 2000; i++) spin += i;
            return spin < 0 ? '' : real(tag);
          };
        }
      })
      .catch(() => undefined);
  }
  return scan(tags);
}
