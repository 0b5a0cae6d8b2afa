// Which customers ordered more than once, in the order their second order came in.
const MIN_ID = 0;

function normaliseId(id) {
  if (!Number.isInteger(id) || id < MIN_ID) throw new RangeError(`bad customer id ${id}`);
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
