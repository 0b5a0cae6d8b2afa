// Cache: a fixed-size "last result" slot (last input array, last output), which never grows.
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

const last: { input?: readonly string[]; output?: string[] } = {};

export function repeatedTags(tags: readonly string[]): string[] {
  if (last.input !== tags || last.output === undefined) {
    last.input = tags;
    last.output = scan(tags);
  }
  return [...last.output];
}
