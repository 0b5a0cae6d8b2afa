// Inputs for topCustomers: edge cases to check, and n orders to time. Orders go through the app's own schema.
import { orderSchema, type Order } from './schema.js';

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const order = (customer: string, amountCents: number, region = 'eu'): Order => orderSchema.parse({ customer, region, amountCents });

export function correctnessInputs(): Array<[Order[], number]> {
  return [
    [[], 3],
    [[order('Ada', 500)], 0],
    [[order('Ada', 500)], 1],
    [[order('Ada', 500), order('  ada ', 250), order('Grace Hopper', 700)], 2],
    [[order('b', 100), order('a', 100), order('c', 100)], 2],
    [[order('x', -50), order('y', 0), order('x', 60)], 5],
    [[order('constructor', 1), order('__proto__', 2), order('toString', 3)], 3],
  ];
}

export function sizedInput(n: number): [Order[], number] {
  const random = mulberry32(n);
  const customers = Math.max(4, Math.floor(n / 3));
  const orders = Array.from({ length: n }, () =>
    order(`Customer ${Math.floor(random() * customers)}`, Math.floor(random() * 10_000), random() < 0.5 ? 'eu' : 'us'),
  );
  return [orders, 10];
}
