// A Map finds a tag in O(1) and keeps first-seen order; push instead of copying arrays on every addition.
export function postsByTag(posts: Post[]): Array<[string, number[]]> {
  const index = new Map<string, number[]>();
  for (const post of posts) {
    for (const tag of post.tags) {
      const ids = index.get(tag);
      if (ids) ids.push(post.id);
      else index.set(tag, [post.id]);
    }
  }
  return [...index];
}
