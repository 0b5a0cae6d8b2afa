// Inputs for uniqueSorted: edge cases, and 8,000 names already sorted and distinct (what callers mostly pass), which is
// timed. Without sizedInput the JavaScript harness times the correctness inputs (it does not read performanceInputs()).
export function correctnessInputs() {
  return [[[]], [['b', 'a', 'b']], [['a', 'b', 'c']], [['a', 'a']], [Array.from({ length: 100 }, (_, i) => `n${(i * 37) % 40}`)], [Array.from({ length: 100 }, (_, i) => `n${String(i).padStart(5, '0')}`)], ...performanceInputs()];
}

export function performanceInputs() {
  return [[Array.from({ length: 8000 }, (_, i) => `name${String(i * 7).padStart(6, '0')}`)]];
}
