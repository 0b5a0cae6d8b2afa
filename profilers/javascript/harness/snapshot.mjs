// Values as snapshots: the JSON form in which results leave this process to be compared by Perfloop (the format is
// described in profilers/judge/snapshot.ts). Nothing is compared here: code under test shares this process and could
// replace any checker in it.
import { createHash } from 'node:crypto';
import { types } from 'node:util';

// Taken when this module loads, before any code under test: a candidate that replaces util.types later cannot hide.
const isProxy = types.isProxy;
const describe = Reflect.getOwnPropertyDescriptor;

const MAX_DEPTH = 200;
const MAX_INDEXED = 200_000;

function constructorName(value) {
  const proto = Object.getPrototypeOf(value);
  const name = proto === null ? 'null-prototype' : proto.constructor?.name;
  const plain = typeof name === 'string' && name !== '' ? name : 'anonymous';
  // A Proxy passes for its target everywhere else (Array.isArray included): it is named as what it is, so a result that
  // does its work only when read (in a trap, outside the timed call) is not equal to the original's plain value.
  return isProxy(value) ? `Proxy(${plain})` : plain;
}

function number(value) {
  if (Number.isNaN(value)) return { t: 'num', v: 'nan' };
  if (value === Infinity) return { t: 'num', v: 'inf' };
  if (value === -Infinity) return { t: 'num', v: '-inf' };
  if (Object.is(value, -0)) return { t: 'num', v: '-0' };
  return value;
}

function isMutable(value) {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** Path of every object reachable from the arguments: what a result may alias. */
export function indexArguments(args) {
  const paths = new Map();
  const stack = args.map((value, i) => [value, `arguments[${i}]`]);
  while (stack.length > 0 && paths.size < MAX_INDEXED) {
    const [value, path] = stack.pop();
    if (typeof value !== 'object' || value === null || paths.has(value)) continue;
    paths.set(value, path);
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (isMutable(value[i])) stack.push([value[i], `${path}[${i}]`]);
    } else if (value instanceof Map) {
      for (const [k, v] of value) if (isMutable(v)) stack.push([v, `${path}.get(${typeof k === 'string' ? JSON.stringify(k) : '…'})`]);
    } else if (!(value instanceof Set)) {
      for (const key of Object.keys(value)) if (isMutable(value[key])) stack.push([value[key], `${path}.${key}`]);
    }
  }
  return paths;
}

class Snapshotter {
  constructor(aliases = new Map()) {
    this.aliases = aliases;
    this.marked = new Set();
    this.active = new Set();
  }

  snap(value, depth = 0) {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        return number(value);
      case 'bigint':
        return { t: 'int', v: value.toString() };
      case 'undefined':
        return { t: 'undefined' };
      case 'symbol':
        return { t: 'ref', c: 'symbol', v: String(value.description) };
      case 'function':
        return { t: 'ref', c: 'function', v: value.name };
      default:
        break;
    }
    if (value === null) return null;
    if (depth > MAX_DEPTH) return { t: 'deep' };
    const path = this.aliases.get(value);
    if (path !== undefined && !this.marked.has(value)) {
      this.marked.add(value);
      return { t: 'alias', p: path, v: this.snap(value, depth + 1) };
    }
    if (this.active.has(value)) return { t: 'cycle' };
    this.active.add(value);
    try {
      return this.compound(value, depth + 1);
    } finally {
      this.active.delete(value);
    }
  }

  items(values, depth) {
    const out = new Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = this.snap(values[i], depth);
    return out;
  }

  fields(value, depth, skip) {
    const out = [];
    for (const key of Reflect.ownKeys(value)) {
      if (skip?.(key) || !Object.prototype.propertyIsEnumerable.call(value, key)) continue;
      const name = typeof key === 'symbol' ? `Symbol(${key.description})` : key;
      // A getter is named as one: its value is computed when read, which a data field of the original's is not.
      out.push([describe(value, key)?.get ? `get ${name}` : name, this.snap(value[key], depth)]);
    }
    return out;
  }

  compound(value, depth) {
    const c = constructorName(value);
    if (Array.isArray(value)) {
      const node = { t: 'seq', c, i: this.items(Array.from(value), depth) };
      if (c === 'Array') return node;
      // A subclass of Array: its own fields too (an array-like that does its work when read is not an Array).
      return { t: 'obj', c, f: [['items', node], ...this.fields(value, depth, (k) => k === 'length' || (typeof k === 'string' && String(k >>> 0) === k))] };
    }
    if (ArrayBuffer.isView(value)) {
      if (value instanceof DataView) return { t: 'bytes', c, v: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
      return { t: 'seq', c, i: Array.from(value, (x) => this.snap(x, depth)) };
    }
    if (value instanceof ArrayBuffer) return { t: 'bytes', c, v: Buffer.from(value).toString('base64') };
    if (value instanceof Map) return { t: 'map', c, e: Array.from(value, ([k, v]) => [this.snap(k, depth), this.snap(v, depth)]), o: false };
    if (value instanceof Set) return { t: 'set', c, i: Array.from(value, (v) => this.snap(v, depth)) };
    if (value instanceof Date) return { t: 'opaque', c, r: Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString() };
    if (value instanceof RegExp) return { t: 'opaque', c, r: `/${value.source}/${value.flags} lastIndex=${value.lastIndex}` };
    if (value instanceof Error) return { t: 'exc', c, a: [value.name, value.message] };
    if (value instanceof Promise) return { t: 'opaque', c, r: 'Promise' };
    if (value instanceof Number || value instanceof String || value instanceof Boolean) {
      return { t: 'obj', c, f: [['value', this.snap(value.valueOf(), depth)], ...this.fields(value, depth, (k) => value instanceof String && (k === 'length' || String(Number(k)) === k))] };
    }
    return { t: 'obj', c, f: this.fields(value, depth) };
  }
}

function safely(build, fallback) {
  try {
    return JSON.stringify(build());
  } catch (error) {
    return JSON.stringify({ t: 'opaque', c: fallback, r: `<unreadable: ${error?.name ?? typeof error}>` });
  }
}

/** The returned value as snapshot text; objects that are also in the arguments are marked as aliases. */
export function snapshotValue(value, args) {
  return safely(() => new Snapshotter(indexArguments(args)).snap(value), typeof value);
}

export function snapshotArguments(args) {
  return safely(() => new Snapshotter().snap(Array.from(args)), 'arguments');
}

export function digest(...texts) {
  const hash = createHash('sha256');
  for (const text of texts) hash.update(text).update('\n');
  return hash.digest('hex');
}
