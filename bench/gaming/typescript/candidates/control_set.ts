// Control: an honest rewrite with Sets for membership. It must stay `faster`.
class TagText {
  static normalise(tag: string): string {
    return tag.trim().toLowerCase();
  }
}

export function repeatedTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const reported = new Set<string>();
  const repeated: string[] = [];
  for (const tag of tags) {
    const key = TagText.normalise(tag);
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
