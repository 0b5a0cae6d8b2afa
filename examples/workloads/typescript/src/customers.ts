import { orderTotal, type Order } from './orders.js';

export class CustomerBook {
  constructor(private readonly orders: Order[]) {}

  /** Customers by what they spent, the biggest first. */
  topSpenders(limit: number): string[] {
    const customers: string[] = [];
    for (const order of this.orders) if (!customers.includes(order.customer)) customers.push(order.customer);
    const spent = customers.map((customer) => ({
      customer,
      total: this.orders.filter((o) => o.customer === customer).reduce((sum, o) => sum + orderTotal(o), 0),
    }));
    return spent.sort((a, b) => b.total - a.total).slice(0, limit).map((s) => s.customer);
  }

  count(): number {
    return this.orders.length;
  }
}
