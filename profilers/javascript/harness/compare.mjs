// Structured equality, copies, reprs and sizes of JavaScript values, in JavaScript's own terms: Map/Set/typed arrays/
// Date/RegExp compared by content, -0 distinct from 0, NaN equal to NaN, class instances by constructor name + fields.
import { inspect } from 'node:util';

const ABSOLUTE_TOLERANCE = 1e-9;

function constructorName(value) {
  const proto = Object.getPrototypeOf(value);
  return proto === null ? 'null-prototype' : (proto.constructor?.name ?? 'anonymous');
}

function numbersEqual(a, b, tolerance) {
  if (Object.is(a, b)) return true;
  // -0 vs 0 and integers are exact: tolerance is for rounding in float arithmetic only.
  if (a === 0 || b === 0 || Number.isNaN(a) || Number.isNaN(b) || !Number.isFinite(a) || !Number.isFinite(b)) return false;
  if (Number.isInteger(a) && Number.isInteger(b)) return false;
  return Math.abs(a - b) <= Math.max(tolerance * Math.max(Math.abs(a), Math.abs(b)), ABSOLUTE_TOLERANCE);
}

/** Finds an element of `pool` (not yet used) equal to `item`: for object keys of Maps and object members of Sets. */
function takeEqual(pool, used, item, eq) {
  for (let i = 0; i < pool.length; i++) {
    if (!used[i] && eq(pool[i], item)) {
      used[i] = true;
      return i;
    }
  }
  return -1;
}

export function deepEqual(a, b, tolerance, seen = new Map()) {
  if (typeof a !== typeof b) return false;
  if (typeof a === 'number') return numbersEqual(a, b, tolerance);
  if (typeof a === 'symbol') return a === b || a.description === b.description;
  if (typeof a === 'function') return a === b || (a.name === b.name && String(a) === String(b));
  if (a === null || b === null || typeof a !== 'object') return Object.is(a, b);
  if (a === b) return true;
  if (seen.get(a) === b) return true; // cycles: assume equal while the pair is being compared
  seen.set(a, b);
  const eq = (x, y) => deepEqual(x, y, tolerance, seen);
  if (constructorName(a) !== constructorName(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Date) return Object.is(a.getTime(), b.getTime());
  if (a instanceof RegExp) return a.source === b.source && a.flags === b.flags && a.lastIndex === b.lastIndex;
  if (a instanceof Error && (a.message !== b.message || a.name !== b.name)) return false;
  if (ArrayBuffer.isView(a)) {
    if (a instanceof DataView) a = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), b = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!(typeof a[i] === 'number' ? numbersEqual(a[i], b[i], tolerance) : a[i] === b[i])) return false;
    return true;
  }
  if (a instanceof ArrayBuffer) return eq(new Uint8Array(a), new Uint8Array(b));
  if (a instanceof Map) {
    if (a.size !== b.size) return false;
    const objectKeys = [...b.keys()].filter((k) => typeof k === 'object' && k !== null);
    const used = [];
    for (const [key, value] of a) {
      if (b.has(key)) {
        if (!eq(value, b.get(key))) return false;
      } else if (typeof key === 'object' && key !== null) {
        const i = takeEqual(objectKeys, used, key, eq);
        if (i < 0 || !eq(value, b.get(objectKeys[i]))) return false;
      } else return false;
    }
    return true;
  }
  if (a instanceof Set) {
    if (a.size !== b.size) return false;
    const objects = [...b].filter((v) => typeof v === 'object' && v !== null);
    const used = [];
    for (const value of a) {
      if (b.has(value)) continue;
      if (typeof value !== 'object' || value === null || takeEqual(objects, used, value, eq) < 0) return false;
    }
    return true;
  }
  if (typeof a.valueOf === 'function' && a.valueOf !== Object.prototype.valueOf && (a instanceof Number || a instanceof String || a instanceof Boolean)) {
    return Object.is(a.valueOf(), b.valueOf());
  }
  const keysA = Reflect.ownKeys(a).filter((k) => Object.prototype.propertyIsEnumerable.call(a, k));
  const keysB = Reflect.ownKeys(b).filter((k) => Object.prototype.propertyIsEnumerable.call(b, k));
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    if (!Object.prototype.propertyIsEnumerable.call(b, key) || !eq(a[key], b[key])) return false;
  }
  return true;
}

/**
 * How copies get the classes of one side: a function from an object's prototype to its copy's, which is the same
 * prototype unless it is the prototype of a class named in `prototypes` (class name → prototype); then it is that one.
 */
export function prototypeRebinder(prototypes) {
  const chosen = new Map();
  return (proto) => {
    if (proto === null) return proto;
    let result = chosen.get(proto);
    if (result === undefined) {
      const constructor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
      result = typeof constructor === 'function' && constructor.prototype === proto ? (prototypes.get(constructor.name) ?? proto) : proto;
      chosen.set(proto, result);
    }
    return result;
  };
}

const samePrototype = (proto) => proto;

function copyProperties(value, copy, copyOf, skip) {
  for (const key of Reflect.ownKeys(value)) {
    if (skip?.(key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor && 'value' in descriptor) descriptor.value = copyOf(descriptor.value);
    if (descriptor) Object.defineProperty(copy, key, descriptor);
  }
}

const isArrayOwnKey = (key) => key === 'length' || (typeof key === 'string' && String(key >>> 0) === key);

/**
 * A copy that keeps prototypes (class instances stay instances), unlike structuredClone; functions are shared.
 * `rebind` (from prototypeRebinder) gives instances of the named classes those classes' prototypes instead.
 */
export function deepCopy(value, seen = new Map(), rebind = samePrototype) {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  const copyOf = (v) => deepCopy(v, seen, rebind);
  const proto = Object.getPrototypeOf(value);
  let copy;
  if (Array.isArray(value)) {
    copy = new Array(value.length);
    seen.set(value, copy);
    for (let i = 0; i < value.length; i++) if (i in value) copy[i] = copyOf(value[i]);
    if (proto === Array.prototype) return copy;
    // A subclass of Array: its prototype and its own fields.
    Object.setPrototypeOf(copy, rebind(proto));
    copyProperties(value, copy, copyOf, isArrayOwnKey);
    return copy;
  }
  if (value instanceof Map || value instanceof Set) {
    copy = value instanceof Map ? new Map() : new Set();
    seen.set(value, copy);
    if (copy instanceof Map) for (const [k, v] of value) copy.set(copyOf(k), copyOf(v));
    else for (const v of value) copy.add(copyOf(v));
    if (proto === Map.prototype || proto === Set.prototype) return copy;
    Object.setPrototypeOf(copy, rebind(proto));
    copyProperties(value, copy, copyOf);
    return copy;
  }
  if (value instanceof Date) copy = new Date(value.getTime());
  else if (value instanceof RegExp) (copy = new RegExp(value.source, value.flags)), (copy.lastIndex = value.lastIndex);
  else if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) copy = structuredClone(value);
  else copy = Object.create(rebind(proto));
  seen.set(value, copy);
  copyProperties(value, copy, copyOf);
  return copy;
}

export function repr(value, limit = 400) {
  const text = inspect(value, { depth: 4, maxArrayLength: 30, maxStringLength: 200, breakLength: Infinity, compact: true });
  return text.length <= limit ? text : `${text.slice(0, limit - 3)}...`;
}

/** Total length of the containers and strings in a value: how counterexamples are ranked (smallest first). */
export function sizeOf(value, depth = 0) {
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null || depth > 8) return 0;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  const items = value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set || Array.isArray(value) ? [...value] : Object.values(value);
  return items.length + items.reduce((total, item) => total + sizeOf(item, depth + 1), 0);
}
