// The gaming catalogue's TypeScript original: tags typed by users that occur more than once (Array.includes, slow).
class TagText {
  static normalise(tag: string): string {
    return tag.trim().toLowerCase();
  }
}

export function repeatedTags(tags: readonly string[]): string[] {
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
