// A realistic slow function: which customer ids appear in more than one order, in order of their second appearance.
import { strict as assert } from 'node:assert';

const MIN_ID = 0;

function normaliseId(id) {
  assert(Number.isInteger(id) && id >= MIN_ID, `bad id ${id}`);
  return id;
}

export function repeatedCustomers(orders) {
  const repeated = [];
  const seen = [];
  for (const order of orders) {
    const id = normaliseId(order.customerId);
    if (seen.includes(id)) {
      if (!repeated.includes(id)) repeated.push(id);
    } else {
      seen.push(id);
    }
  }
  return repeated;
}

export const totalByCustomer = (orders) => {
  const totals = new Map();
  for (const { customerId, amount } of orders) totals.set(customerId, (totals.get(customerId) ?? 0) + amount);
  return totals;
};

// Top-level code that must never run when the function is measured.
if (process.argv[1]?.endsWith('orders.mjs')) console.log(repeatedCustomers([{ customerId: 1 }, { customerId: 1 }]));
