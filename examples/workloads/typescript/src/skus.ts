import type { Order } from './orders.js';

/** SKUs ordered by at least `minimum` distinct orders, in first-seen order. */
export function popularSkus(orders: Order[], minimum: number): string[] {
  const seen: string[] = [];
  const popular: string[] = [];
  for (const order of orders) {
    for (const item of order.items) {
      if (seen.includes(item.sku)) continue;
      seen.push(item.sku);
      const count = orders.filter((o) => o.items.some((i) => i.sku === item.sku)).length;
      if (count >= minimum) popular.push(item.sku);
    }
  }
  return popular;
}

export function formatSku(sku: string): string {
  return sku.toUpperCase().padStart(6, '0');
}
