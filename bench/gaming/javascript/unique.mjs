// The gaming catalogue's second JavaScript original: the distinct names, sorted (always a new array).
export function uniqueSorted(names) {
  return [...new Set(names)].sort();
}
