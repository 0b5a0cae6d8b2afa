// Sets instead of Array.includes: O(n) instead of O(n²). A Set keeps insertion order, so the output order is the same.
function repeatedCustomers(orders) {
  const repeated = new Set();
  const seen = new Set();
  for (const order of orders) {
    const id = normaliseId(order.customerId);
    if (seen.has(id)) repeated.add(id);
    else seen.add(id);
  }
  return [...repeated];
}
