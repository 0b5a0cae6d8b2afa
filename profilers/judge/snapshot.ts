/**
 * Snapshots: the one form in which a program's outputs leave the process that produced them. Each language's worker
 * serializes what a call returned (and its arguments after the call) into this JSON; the comparison happens here, in
 * Perfloop's own process, so code under test cannot reach the checker (it could rebind anything in its own process).
 *
 * The wire format, shared by the Python, JavaScript and native workers (keys are short: snapshots of large results are
 * big). A snapshot is a JSON value:
 *   "text"                       a string                      true / false      a boolean
 *   null                         None (Python), null (JS)      123               an integer (Python int within ±2^53,
 *                                                                                 a JS number, a C/C++ integer)
 *   {"t":"int","v":"123…"}       an integer beyond ±2^53 (Python int, JS bigint)
 *   {"t":"float","v":1.5}        a Python float / C double; v is "nan", "inf", "-inf" or "-0" for those (only languages
 *                                where -0 differs from 0 send "-0")
 *   {"t":"num","v":"nan"}        a JS number that JSON cannot carry: "nan", "inf", "-inf", "-0"
 *   {"t":"complex","re":S,"im":S}
 *   {"t":"undefined"}
 *   {"t":"bytes","c":C,"v":B64}  bytes-like of type C
 *   {"t":"seq","c":C,"i":[S…]}   an ordered sequence of type C (list, tuple, Array, std::vector, a typed array…)
 *   {"t":"map","c":C,"e":[[K,V]…],"o":bool}   a mapping; o: whether entry order is part of its value
 *   {"t":"set","c":C,"i":[S…]}   a set (compared exactly, order ignored)
 *   {"t":"obj","c":C,"f":[[name,S]…]}  an object by its state (fields in any order)
 *   {"t":"iter","i":[S…]}        what a returned iterator/generator yielded (consumed by the worker)
 *   {"t":"exc","c":C,"a":S}      an exception used as a value
 *   {"t":"alias","p":P,"v":S}    a mutable object that is the very object at path P of the arguments (returning the
 *                                caller's own list where the original returns a fresh one is a difference)
 *   {"t":"ref","c":C,"v":text}   a function, class, module or symbol, by name
 *   {"t":"opaque","c":C,"r":text} a value the worker could not take apart, by type and text
 *   {"t":"cycle"} / {"t":"deep"} a reference back to an enclosing value / nesting beyond the worker's depth limit
 * Type names C are exact: a subclass of list is not a list (a lazy list that computes when read is a different result).
 */

export type Snap = string | number | boolean | null | SnapNode;

export interface SnapNode {
  t: string;
  [key: string]: unknown;
}

export interface SnapDifference {
  /** Where the values first differ, e.g. `result[3].name`. */
  path: string;
  expected: string;
  actual: string;
}

const ABSOLUTE_TOLERANCE = 1e-9;
const BRIEF_LIMIT = 120;

function isNode(value: Snap): value is SnapNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function special(v: unknown): number {
  switch (v) {
    case 'nan':
      return Number.NaN;
    case 'inf':
      return Number.POSITIVE_INFINITY;
    case '-inf':
      return Number.NEGATIVE_INFINITY;
    case '-0':
      return -0;
    default:
      return typeof v === 'number' ? v : Number.NaN;
  }
}

/** A number's value and whether it is a float (tolerance applies) or exact (integers, JS integers). */
function numeric(snap: Snap): { value: number; float: boolean } | undefined {
  if (typeof snap === 'number') return { value: snap, float: !Number.isInteger(snap) };
  if (!isNode(snap)) return undefined;
  if (snap.t === 'float') return { value: special(snap.v), float: true };
  if (snap.t === 'num') {
    const value = special(snap.v);
    return { value, float: !Number.isInteger(value) };
  }
  return undefined;
}

/**
 * Equal within the relative tolerance (and 1e-9 absolute) when either is a float; exact otherwise. NaN equals NaN;
 * -0 differs from 0 only where the worker sent "-0" (JavaScript and C/C++ semantics; Python sends 0).
 */
export function numbersEqual(a: { value: number; float: boolean }, b: { value: number; float: boolean }, tolerance: number): boolean {
  const x = a.value;
  const y = b.value;
  if (Object.is(x, y)) return true;
  if (Number.isNaN(x) || Number.isNaN(y) || !Number.isFinite(x) || !Number.isFinite(y)) return false;
  if (x === 0 && y === 0) return false; // 0 and -0: both sent as they are, so their sign was meant to count
  if (!a.float && !b.float) return false;
  return Math.abs(x - y) <= Math.max(tolerance * Math.max(Math.abs(x), Math.abs(y)), ABSOLUTE_TOLERANCE);
}

/** A text equal for equal snapshots whatever the order of set items, unordered map entries and object fields. */
export function canonical(snap: Snap): string {
  if (!isNode(snap)) return JSON.stringify(snap);
  switch (snap.t) {
    case 'set':
      return `{"t":"set","c":${JSON.stringify(snap.c)},"i":[${items(snap).map(canonical).sort().join(',')}]}`;
    case 'map': {
      const entries = pairs(snap).map(([k, v]) => `[${canonical(k)},${canonical(v)}]`);
      if (!snap.o) entries.sort();
      return `{"t":"map","c":${JSON.stringify(snap.c)},"o":${snap.o ? 'true' : 'false'},"e":[${entries.join(',')}]}`;
    }
    case 'obj': {
      const fields = pairs(snap).map(([k, v]) => `[${JSON.stringify(k)},${canonical(v)}]`).sort();
      return `{"t":"obj","c":${JSON.stringify(snap.c)},"f":[${fields.join(',')}]}`;
    }
    case 'seq':
    case 'iter':
      return `{"t":${JSON.stringify(snap.t)},"c":${JSON.stringify(snap.c ?? null)},"i":[${items(snap).map(canonical).join(',')}]}`;
    case 'alias':
      return `{"t":"alias","p":${JSON.stringify(snap.p)},"v":${canonical(snap.v as Snap)}}`;
    case 'exc':
      return `{"t":"exc","c":${JSON.stringify(snap.c)},"a":${canonical((snap.a ?? null) as Snap)}}`;
    default:
      return JSON.stringify(snap);
  }
}

function items(snap: SnapNode): Snap[] {
  return Array.isArray(snap.i) ? (snap.i as Snap[]) : [];
}

function pairs(snap: SnapNode): [Snap, Snap][] {
  const list = snap.t === 'obj' ? snap.f : snap.e;
  return Array.isArray(list) ? (list as [Snap, Snap][]) : [];
}

/** A short human-readable form of a snapshot, for "first difference" lines (the workers send full reprs separately). */
export function brief(snap: Snap, limit = BRIEF_LIMIT): string {
  const text = render(snap, 3);
  return text.length <= limit ? text : `${text.slice(0, limit - 3)}...`;
}

function render(snap: Snap, depth: number): string {
  if (!isNode(snap)) return snap === null ? 'null' : typeof snap === 'string' ? JSON.stringify(snap) : String(snap);
  const inner = (s: Snap): string => (depth <= 0 ? '…' : render(s, depth - 1));
  const list = (values: Snap[]): string => values.slice(0, 12).map(inner).join(', ') + (values.length > 12 ? ', …' : '');
  switch (snap.t) {
    case 'int':
    case 'float':
    case 'num':
      return String(snap.v);
    case 'complex':
      return `(${render(snap.re as Snap, 0)}+${render(snap.im as Snap, 0)}j)`;
    case 'undefined':
      return 'undefined';
    case 'bytes':
      return `${String(snap.c)}(${String(snap.v).slice(0, 40)})`;
    case 'seq':
      return `${snap.c === 'list' || snap.c === 'Array' ? '' : String(snap.c)}[${list(items(snap))}]`;
    case 'set':
      return `${String(snap.c)}{${list(items(snap))}}`;
    case 'iter':
      return `<iterator yielding [${list(items(snap))}]>`;
    case 'map':
      return `${snap.c === 'dict' || snap.c === 'Object' ? '' : String(snap.c)}{${pairs(snap).slice(0, 12).map(([k, v]) => `${inner(k)}: ${inner(v)}`).join(', ')}}`;
    case 'obj':
      return `${String(snap.c)}(${pairs(snap).slice(0, 12).map(([k, v]) => `${String(k)}=${inner(v)}`).join(', ')})`;
    case 'exc':
      return `${String(snap.c)}(${inner((snap.a ?? null) as Snap)})`;
    case 'alias':
      return `<the argument ${String(snap.p)} itself: ${inner(snap.v as Snap)}>`;
    case 'ref':
      return `<${String(snap.c)} ${String(snap.v)}>`;
    case 'opaque':
      return String(snap.r);
    default:
      return `<${snap.t}>`;
  }
}

/** The kind of value, for "a list vs a tuple" messages. */
function kindOf(snap: Snap): string {
  if (snap === null) return 'null';
  if (!isNode(snap)) return typeof snap === 'number' ? 'integer' : typeof snap;
  if (snap.t === 'alias') return `the argument ${String(snap.p)} itself`;
  return typeof snap.c === 'string' ? snap.c : snap.t;
}

/**
 * The first place where `actual` differs from `expected`, or undefined when they are equal: floats within the relative
 * `tolerance`, sets and unordered maps regardless of order, everything else exactly, types included.
 */
export function compareSnapshots(expected: Snap, actual: Snap, tolerance: number, path = 'result'): SnapDifference | undefined {
  const differ = (where = path, e: Snap = expected, a: Snap = actual): SnapDifference => ({ path: where, expected: brief(e), actual: brief(a) });
  const x = numeric(expected);
  const y = numeric(actual);
  if (x || y) {
    // A plain JSON number is of the same kind as {"t":"num"} (JavaScript's special numbers); a float is not an integer.
    const kind = (snap: Snap) => (isNode(snap) && snap.t === 'float' ? 'float' : 'number');
    if (!x || !y || kind(expected) !== kind(actual)) return differ();
    return numbersEqual(x, y, tolerance) ? undefined : differ();
  }
  if (!isNode(expected) || !isNode(actual)) return Object.is(expected, actual) ? undefined : differ();
  if (expected.t !== actual.t) {
    return { path, expected: `${kindOf(expected)} ${brief(expected)}`, actual: `${kindOf(actual)} ${brief(actual)}` };
  }
  if ('c' in expected && expected.c !== actual.c) {
    return { path, expected: `${String(expected.c)} ${brief(expected)}`, actual: `${String(actual.c)} ${brief(actual)}` };
  }
  switch (expected.t) {
    case 'seq':
    case 'iter': {
      const a = items(expected);
      const b = items(actual);
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const d = compareSnapshots(a[i] as Snap, b[i] as Snap, tolerance, `${path}[${i}]`);
        if (d) return d;
      }
      return a.length === b.length ? undefined : { path, expected: `length ${a.length}`, actual: `${b.length}` };
    }
    case 'set': {
      const a = items(expected).map(canonical).sort();
      const b = items(actual).map(canonical).sort();
      if (a.length !== b.length) return { path, expected: `${a.length} items`, actual: `${b.length} items` };
      const missing = a.findIndex((item, i) => item !== b[i]);
      return missing < 0 ? undefined : differ();
    }
    case 'map':
      return compareEntries(expected, actual, tolerance, path);
    case 'obj':
      return compareFields(expected, actual, tolerance, path);
    case 'exc':
      return compareSnapshots((expected.a ?? null) as Snap, (actual.a ?? null) as Snap, tolerance, `${path}.args`);
    case 'complex':
      return (
        compareSnapshots(expected.re as Snap, actual.re as Snap, tolerance, `${path}.real`) ??
        compareSnapshots(expected.im as Snap, actual.im as Snap, tolerance, `${path}.imag`)
      );
    case 'alias':
      if (expected.p !== actual.p) return { path, expected: brief(expected), actual: brief(actual) };
      return compareSnapshots(expected.v as Snap, actual.v as Snap, tolerance, path);
    default:
      return canonical(expected) === canonical(actual) ? undefined : differ();
  }
}

function compareEntries(expected: SnapNode, actual: SnapNode, tolerance: number, path: string): SnapDifference | undefined {
  const a = pairs(expected);
  const b = pairs(actual);
  if (expected.o || actual.o) {
    const keysA = a.map(([k]) => canonical(k));
    const keysB = b.map(([k]) => canonical(k));
    if (keysA.join('\u0000') !== keysB.join('\u0000')) return { path, expected: `keys in order ${a.map(([k]) => brief(k, 30)).join(', ')}`, actual: `keys in order ${b.map(([k]) => brief(k, 30)).join(', ')}` };
  }
  const byKey = new Map(b.map(([k, v]) => [canonical(k), v] as const));
  for (const [key, value] of a) {
    const other = byKey.get(canonical(key));
    if (other === undefined) return { path, expected: `key ${brief(key)}`, actual: `key ${brief(key)} missing` };
    const d = compareSnapshots(value, other, tolerance, `${path}[${brief(key, 60)}]`);
    if (d) return d;
  }
  if (b.length !== a.length) {
    const known = new Set(a.map(([k]) => canonical(k)));
    const extra = b.find(([k]) => !known.has(canonical(k)));
    return { path, expected: `${a.length} entries`, actual: `${b.length} entries${extra ? ` (unexpected key ${brief(extra[0])})` : ''}` };
  }
  return undefined;
}

function compareFields(expected: SnapNode, actual: SnapNode, tolerance: number, path: string): SnapDifference | undefined {
  const a = new Map(pairs(expected).map(([k, v]) => [String(k), v] as const));
  const b = new Map(pairs(actual).map(([k, v]) => [String(k), v] as const));
  for (const name of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (!a.has(name) || !b.has(name)) return { path, expected: a.has(name) ? `attribute ${name}` : `no attribute ${name}`, actual: b.has(name) ? `attribute ${name}` : `no attribute ${name}` };
    const d = compareSnapshots(a.get(name) as Snap, b.get(name) as Snap, tolerance, `${path}.${name}`);
    if (d) return d;
  }
  return undefined;
}

/** Parses a snapshot sent as JSON text; a worker that sent something unreadable gets a clear error, not a crash. */
export function parseSnapshot(text: string, whose: string): Snap {
  try {
    return JSON.parse(text) as Snap;
  } catch (error) {
    throw new Error(`${whose} sent an unreadable value snapshot: ${(error as Error).message}`);
  }
}
