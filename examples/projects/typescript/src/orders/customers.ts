// Customers are typed by hand in many ways ("  Ada Lovelace", "ada lovelace"): one key per person.
export function customerKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}
