export interface Order {
  id: number;
  customer: string;
  items: { sku: string; quantity: number; price: number }[];
}

/** Deterministic orders, as the nightly export would hold them. */
export function makeOrders(count: number): Order[] {
  let seed = 42;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: count }, (_, id) => ({
    id,
    customer: `c${next() % 2500}`,
    items: Array.from({ length: 1 + (next() % 4) }, () => ({ sku: `s${next() % 4000}`, quantity: 1 + (next() % 5), price: (next() % 10_000) / 100 })),
  }));
}

export function orderTotal(order: Order): number {
  return order.items.reduce((sum, item) => sum + item.quantity * item.price, 0);
}
