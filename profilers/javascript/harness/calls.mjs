// One call of a program's function with its console output captured, as an outcome verify and workload compare.
import { format } from 'node:util';

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'];
const MAX_CAPTURED_CHARS = 100_000;

/** Routes console.* into a string for the duration of `run`: the harness never writes results to stdout. */
export async function withCapturedConsole(run) {
  const saved = CONSOLE_METHODS.map((name) => console[name]);
  let output = '';
  for (const name of CONSOLE_METHODS) {
    console[name] = (...args) => {
      if (output.length < MAX_CAPTURED_CHARS) output += `${format(...args)}\n`;
    };
  }
  try {
    const value = await run();
    return { value, output };
  } finally {
    CONSOLE_METHODS.forEach((name, i) => (console[name] = saved[i]));
  }
}

/**
 * Calls fn(...args) (awaiting a returned promise: an async function's behaviour is what it resolves to).
 * Outcome: { threw, value | error, output, args } where args are the arguments after the call (for mutation checks).
 */
export async function invoke(fn, args) {
  const { value, output } = await withCapturedConsole(async () => {
    try {
      let result = fn(...args);
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') result = await result;
      return { threw: false, value: result };
    } catch (error) {
      return { threw: true, error };
    }
  });
  return { ...value, output, args };
}

/** What the thrown value was, for comparison: errors by constructor name (messages often differ harmlessly). */
export function thrownKind(error) {
  if (error instanceof Error) return error.constructor?.name ?? error.name;
  return `non-Error ${typeof error}`;
}

export function describeThrown(error) {
  if (error instanceof Error) return `${thrownKind(error)}: ${error.message}`;
  return `${thrownKind(error)}: ${String(error)}`;
}
