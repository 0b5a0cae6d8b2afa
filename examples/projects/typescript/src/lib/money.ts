// Money is integer cents; sums stay exact.
export function addCents(a: number, b: number): number {
  return a + b;
}
