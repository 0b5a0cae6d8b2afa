/**
 * JSON for the history file that keeps Infinity and NaN. Plain JSON turns them into null, and reports do carry them
 * (a power-law fit over constant times has an undefined R², a ratio over zero is infinite): a report reopened from the
 * history would then hold nulls where the report panel expects numbers. Non-finite numbers are written as
 * `{"$nonFinite":"Infinity"}` (or "-Infinity", "NaN") and read back as numbers.
 */
const TAG = '$nonFinite';

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { [TAG]: String(value) } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== TAG) return value;
  const text = (value as Record<string, unknown>)[TAG];
  return text === 'Infinity' || text === '-Infinity' || text === 'NaN' ? Number(text) : value;
}

export function toHistoryJson(value: unknown, space?: number): string {
  return JSON.stringify(value, replacer, space);
}

/** Throws like JSON.parse on malformed text. */
export function fromHistoryJson(text: string): unknown {
  return JSON.parse(text, reviver);
}
