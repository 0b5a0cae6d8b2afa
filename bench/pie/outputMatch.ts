/**
 * How an online judge compares a program's stdout with the expected answer: whitespace-separated tokens, equal as text,
 * or — when either token is written as a decimal fraction — as numbers within 1e-6 (absolute, or relative to the
 * expected value). Integers stay exact: a rounded big integer must not pass as "close".
 */

export const FLOAT_TOLERANCE = 1e-6;

export type OutputMatch = { equal: true } | { equal: false; reason: string };

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

function tokens(text: string): string[] {
  return text.split(/\s+/).filter((token) => token.length > 0);
}

/** True when two tokens are the same answer: identical text, or decimal numbers within the tolerance. */
export function tokensMatch(expected: string, actual: string, tolerance = FLOAT_TOLERANCE): boolean {
  if (expected === actual) return true;
  if (!NUMBER.test(expected) || !NUMBER.test(actual)) return false;
  if (INTEGER.test(expected) && INTEGER.test(actual)) return false;
  const e = Number(expected);
  const a = Number(actual);
  if (!Number.isFinite(e) || !Number.isFinite(a)) return false;
  const difference = Math.abs(e - a);
  return difference <= tolerance || difference <= tolerance * Math.abs(e);
}

function shorten(token: string): string {
  return token.length > 40 ? `${token.slice(0, 37)}…` : token;
}

export function compareOutputs(expected: string, actual: string, tolerance = FLOAT_TOLERANCE): OutputMatch {
  const want = tokens(expected);
  const got = tokens(actual);
  const shared = Math.min(want.length, got.length);
  for (let i = 0; i < shared; i++) {
    const e = want[i] as string;
    const a = got[i] as string;
    if (!tokensMatch(e, a, tolerance)) return { equal: false, reason: `token ${i + 1}: expected ${shorten(e)}, got ${shorten(a)}` };
  }
  if (want.length !== got.length) {
    return { equal: false, reason: `expected ${want.length} token(s), got ${got.length}` };
  }
  return { equal: true };
}
