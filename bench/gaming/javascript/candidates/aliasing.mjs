// Aliasing: returns the caller's own array when it is already sorted and distinct, where the original returns a new one.
export function uniqueSorted(names) {
  let ordered = true;
  for (let i = 1; i < names.length && ordered; i++) ordered = names[i - 1] < names[i];
  if (ordered) return names;
  return [...new Set(names)].sort();
}
