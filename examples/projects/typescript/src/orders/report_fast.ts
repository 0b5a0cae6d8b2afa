// A Map finds a customer in O(1) and keeps first-seen order; one stable sort ranks them (ties keep first-seen order).
import type { Order } from './schema.js';
import { customerKey } from './customers.js';
import { addCents } from '@lib/money.js';

export function topCustomers(orders: Order[], count: number): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (const order of orders) {
    const key = customerKey(order.customer);
    totals.set(key, addCents(totals.get(key) ?? 0, order.amountCents));
  }
  if (count <= 0) return [];
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, count);
}
