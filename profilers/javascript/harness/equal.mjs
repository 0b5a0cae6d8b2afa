// `equal` mode: the user's `equal(a, b)` from their inputs module, on pairs of return values that differ as snapshots.
// Comparisons happen outside the processes that run the code under test, so the hook cannot run beside the original's or
// a candidate's values (each lives in its own process, and a candidate could replace the hook in its own). It runs here,
// in a sandboxed process of its own that loads only the user's inputs module and the original's classes (user code,
// never LLM code), on values rebuilt from the snapshots both sides sent: data, which cannot make a candidate's code run.
import { pathToFileURL } from 'node:url';

const SPECIAL = { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, '-inf': Number.NEGATIVE_INFINITY, '-0': -0 };

/** A snapshot (profilers/judge/snapshot.ts) back as a value; objects of the program's classes get their prototypes. */
export function revive(snap, classes) {
  if (snap === null || typeof snap !== 'object') return snap;
  if (Array.isArray(snap)) return snap.map((s) => revive(s, classes));
  const again = (s) => revive(s, classes);
  switch (snap.t) {
    case 'num':
    case 'float':
      return typeof snap.v === 'string' ? SPECIAL[snap.v] : snap.v;
    case 'int':
      return BigInt(snap.v);
    case 'undefined':
      return undefined;
    case 'bytes':
      return Buffer.from(snap.v, 'base64');
    case 'seq':
    case 'iter': {
      const items = (snap.i ?? []).map(again);
      const typed = globalThis[snap.c];
      return snap.c !== 'Array' && typeof typed === 'function' && typed.BYTES_PER_ELEMENT ? typed.from(items) : items;
    }
    case 'map':
      return new Map((snap.e ?? []).map(([k, v]) => [again(k), again(v)]));
    case 'set':
      return new Set((snap.i ?? []).map(again));
    case 'obj': {
      const cls = classes[snap.c];
      const value = Object.create(typeof cls === 'function' ? cls.prototype : Object.prototype);
      for (const [key, field] of snap.f ?? []) value[key] = again(field);
      return value;
    }
    case 'exc': {
      const [name, message] = Array.isArray(snap.a) ? snap.a : [snap.c, ''];
      return Object.assign(new Error(String(message)), { name: String(name) });
    }
    case 'alias':
      return again(snap.v);
    case 'ref':
      return snap.v;
    case 'opaque':
      return snap.r;
    default:
      return undefined; // a cycle, or nesting beyond the snapshot's depth
  }
}

export async function runEqual(job, original) {
  if (job.workload.kind !== 'module') return { hook: false, same: [] };
  const module = await import(pathToFileURL(job.workload.sourcePath).href);
  if (typeof module.equal !== 'function') return { hook: false, same: [] };
  const same = [];
  for (const [expected, actual] of job.pairs ?? []) {
    try {
      same.push(Boolean(await module.equal(revive(JSON.parse(expected), original.classes), revive(JSON.parse(actual), original.classes))));
    } catch {
      same.push(false); // a hook that cannot tell keeps the difference
    }
  }
  return { hook: true, same };
}
