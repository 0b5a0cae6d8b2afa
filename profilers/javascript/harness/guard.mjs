// Catches a candidate that tampers with state it shares with the original. Verification and interleaved timing run both
// programs in one process, so a candidate could slow the original down (replace Array.prototype.includes, Math.max) or
// make it return what the candidate returns. Detected by identity: the properties of the built-ins must be the very
// same values/accessors before and after the candidate ran.
const WATCHED = {
  globalThis,
  Object, 'Object.prototype': Object.prototype, Array, 'Array.prototype': Array.prototype,
  'String.prototype': String.prototype, 'Number.prototype': Number.prototype, 'Function.prototype': Function.prototype,
  'Map.prototype': Map.prototype, 'Set.prototype': Set.prototype, 'Promise.prototype': Promise.prototype,
  'RegExp.prototype': RegExp.prototype, 'Date.prototype': Date.prototype, Math, JSON, Reflect, Number, String,
  'process.hrtime': process.hrtime,
};
// The harness itself writes these.
const IGNORED = new Set(['__perfloopSink']);

function snapshot() {
  const state = new Map();
  for (const [name, object] of Object.entries(WATCHED)) {
    for (const key of Reflect.ownKeys(object)) {
      if (IGNORED.has(key)) continue;
      const d = Object.getOwnPropertyDescriptor(object, key);
      // Node defines many globals (fetch, AbortController, ...) as lazy accessors that turn into values on first use.
      if (!d || (object === globalThis && d.get)) continue;
      state.set(`${name}.${String(key)}`, [d.value, d.get, d.set]);
    }
  }
  return state;
}

export class SharedStateGuard {
  constructor() {
    this.before = snapshot();
  }

  /** The first built-in the code changed since the guard was made, or undefined. */
  changed() {
    const now = snapshot();
    for (const [key, parts] of this.before) {
      const after = now.get(key);
      if (!after || after.some((part, i) => !Object.is(part, parts[i]))) return key;
    }
    for (const key of now.keys()) if (!this.before.has(key) && !key.startsWith('globalThis.')) return key;
    return undefined;
  }
}
