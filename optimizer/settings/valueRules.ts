/**
 * One check per kind of value, shared by both front doors so a wrong value is described the same way wherever it comes
 * from: `expected` completes "--rounds must be …", "PERFLOOP_ROUNDS=abc is not …" and "perfloop.rounds = 20 is not …".
 */

/** A setting with a value it cannot take: the message names the setting (flag, variable or key), the value and what it should be. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface ValueRule<T> {
  expected: string;
  /** The value, or undefined when `raw` is not one. */
  parse(raw: string): T | undefined;
}

function numberOf(raw: string): number | undefined {
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) ? n : undefined;
}

/** An integer in [min, max]. */
export function integerIn(min: number, max: number): ValueRule<number> {
  return {
    expected: `an integer from ${min} to ${max}`,
    parse: (raw) => {
      const n = numberOf(raw);
      return n !== undefined && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
    },
  };
}

/** A number in [min, max]. */
export function numberIn(min: number, max: number, example: string): ValueRule<number> {
  return {
    expected: `a number from ${min} to ${max}, e.g. ${example}`,
    parse: (raw) => {
      const n = numberOf(raw);
      return n !== undefined && n >= min && n <= max ? n : undefined;
    },
  };
}

export const httpUrl: ValueRule<string> = {
  expected: 'an http(s) URL, e.g. http://127.0.0.1:11434/v1',
  parse: (raw) => {
    try {
      return ['http:', 'https:'].includes(new URL(raw.trim()).protocol) ? raw.trim() : undefined;
    } catch {
      return undefined;
    }
  },
};

/** 0/1, and the words people write for them. */
export const onOff: ValueRule<boolean> = {
  expected: 'one of 0, 1 (or false, true, off, on, no, yes)',
  parse: (raw) => {
    const word = raw.trim().toLowerCase();
    if (['1', 'true', 'on', 'yes'].includes(word)) return true;
    if (['0', 'false', 'off', 'no'].includes(word)) return false;
    return undefined;
  },
};

export function choice<T extends string>(choices: readonly T[]): ValueRule<T> {
  return {
    expected: `one of ${choices.join(', ')}`,
    parse: (raw) => ((choices as readonly string[]).includes(raw.trim()) ? (raw.trim() as T) : undefined),
  };
}

/** Any text (a command, a path, a model name); surrounding blanks are not part of it. */
export const text: ValueRule<string> = {
  expected: 'text',
  parse: (raw) => raw.trim(),
};
