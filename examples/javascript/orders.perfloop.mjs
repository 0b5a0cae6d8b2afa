// Inputs for repeatedCustomers: edge cases to check, and n orders to time.
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const orders = (ids) => ids.map((customerId, i) => ({ customerId, amount: i + 0.5 }));

export function correctnessInputs() {
  return [
    [orders([])],
    [orders([1])],
    [orders([1, 1])],
    [orders([3, 1, 3, 2, 1, 3])],
    [orders([5, 4, 5, 4, 4])],
    [orders([0, 0, 0])],
    [orders([2, -1])], // throws RangeError on the second order
    [orders([1.5])], // throws
  ];
}

export function sizedInput(n) {
  const random = mulberry32(n);
  return [orders(Array.from({ length: n }, () => Math.floor(random() * n)))];
}
