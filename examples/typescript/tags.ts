// Index of posts by tag, for a tag cloud.
export interface Post {
  id: number;
  tags: string[];
}

/** Every tag with the ids of the posts that carry it (once per occurrence), tags in first-seen order. */
export function postsByTag(posts: Post[]): Array<[string, number[]]> {
  let index: Array<[string, number[]]> = [];
  for (const post of posts) {
    for (const tag of post.tags) {
      const entry = index.find(([t]) => t === tag);
      if (entry) entry[1] = [...entry[1], post.id];
      else index = [...index, [tag, [post.id]]];
    }
  }
  return index;
}
