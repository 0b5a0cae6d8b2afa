// The "best customers" panel of the sales dashboard.
import type { ZodError } from 'zod';
import type { Order } from './schema.js';
import { customerKey } from './customers.js';
import { addCents } from '@lib/money.js';

/** Orders that failed validation are reported, not counted. */
export type Rejected = { order: unknown; error: ZodError };

/** The `count` customers who spent the most, largest total first (ties: the customer seen first). */
export function topCustomers(orders: Order[], count: number): Array<[string, number]> {
  let totals: Array<[string, number]> = [];
  for (const order of orders) {
    const key = customerKey(order.customer);
    const entry = totals.find(([customer]) => customer === key);
    if (entry) entry[1] = addCents(entry[1], order.amountCents);
    else totals = [...totals, [key, order.amountCents]];
  }
  const ranked: Array<[string, number]> = [];
  while (ranked.length < count && totals.length > 0) {
    let best = 0;
    for (let i = 1; i < totals.length; i++) if (totals[i]![1] > totals[best]![1]) best = i;
    ranked.push(totals[best]!);
    totals = totals.filter((_, i) => i !== best);
  }
  return ranked;
}
