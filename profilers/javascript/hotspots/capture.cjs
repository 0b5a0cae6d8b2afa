// Perfloop's capture of real inputs for Node (perfloop profile --capture): loaded by preload.cjs when
// PERFLOOP_JS_CAPTURE names targets ([{ file, line, qualname }]). Their code gets a call to the recorder at entry
// (captureRewrite.cjs, for CommonJS here and for ES modules through captureHooks.mjs); the recorder copies the arguments,
// a method's receiver first, with v8.serialize before the function runs, keeps a bounded, diverse set of calls and writes
// them to PERFLOOP_JS_CAPTURE_DIR at exit, as profilers/javascript/hotspots.ts reads them. The rules follow Python's
// (profilers/python/hotspots/sitecustomize.py): 64 calls pooled while the command runs, 12 kept (the smallest, the
// largest and a spread of sizes between), and what cannot be copied named per function.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const { types } = require('node:util');
const { createHash } = require('node:crypto');
const { pathToFileURL } = require('node:url');
const Module = require('node:module');
const { walkObjects } = require('../harness/objectWalk.cjs');
const { rewriteForCapture } = require('./captureRewrite.cjs');

const POOL = 64;
const KEEP = Number(process.env.PERFLOOP_CAPTURE_KEEP ?? 12);
// A function called 200,000 times on a 20,000-order receiver, with a day that changes, would be copied some 1,100
// times (minutes): past this much copying, only a new smallest or largest call is copied.
const COPY_SECONDS = 2;

/** A rough size of a value: items in its containers, characters of its strings (÷16), counted up to a budget. */
function roughSize(value, budget = 50_000) {
  let seen = 0;
  const stack = [value];
  const visited = new Set();
  while (stack.length > 0 && seen < budget) {
    const item = stack.pop();
    seen++;
    if (typeof item === 'string') seen += item.length >> 4;
    else if (typeof item !== 'object' || item === null || visited.has(item)) continue;
    else if (types.isProxy(item)) continue;
    else {
      visited.add(item);
      if (Array.isArray(item)) for (let i = 0; i < item.length && stack.length < budget; i++) stack.push(item[i]);
      else if (types.isMap(item)) for (const [k, v] of item) stack.push(k, v);
      else if (types.isSet(item)) for (const v of item) stack.push(v);
      else if (ArrayBuffer.isView(item)) seen += item.byteLength >> 3;
      else for (const key of Object.keys(item)) stack.push(item[key]);
    }
  }
  return seen;
}

/**
 * roughSize of the objects a function receives, measured again only now and then (every 256 calls at first, then
 * every 1/16 of the calls so far): a method called a million times on a receiver of 8,000 orders would otherwise walk
 * it a million times. An object that grows between measurements is seen late, as a new largest input.
 */
const sizes = {
  known: new WeakMap(), // object → { id, serial, size }
  of(value, id, serial) {
    const known = this.known.get(value);
    if (known && known.id === id && serial - known.serial < Math.max(256, serial >> 4)) return known.size;
    const size = roughSize(value);
    this.known.set(value, { id, serial, size });
    return size;
  },
};

/** roughSize of an argument list (plus one for the list), without allocating when the arguments are primitives. */
function argumentsSize(args, id, serial) {
  let size = 1;
  for (let i = 0; i < args.length; i++) {
    const value = args[i];
    if (typeof value === 'string') size += 1 + (value.length >> 4);
    else if (typeof value === 'object' && value !== null) size += sizes.of(value, id, serial);
    else size++;
  }
  return size;
}

function className(value) {
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'anonymous';
}

/** What in `value` structured clone cannot copy, named as a user knows it, or undefined. */
function uncopyable(value) {
  const stack = [value];
  const visited = new Set();
  while (stack.length > 0 && visited.size < 10_000) {
    const item = stack.pop();
    if (typeof item === 'function') return `a function${item.name ? ` (${item.name})` : ''}`;
    if (typeof item === 'symbol') return `a symbol (${String(item.description ?? '')})`;
    if (typeof item !== 'object' || item === null || visited.has(item)) continue;
    visited.add(item);
    if (types.isProxy(item)) return 'a Proxy';
    if (types.isPromise(item)) return 'a Promise';
    if (typeof item.pipe === 'function' && typeof item.on === 'function') return `a stream (${className(item)})`;
    if (Array.isArray(item)) stack.push(...item.slice(0, 1000));
    else if (types.isMap(item)) for (const [k, v] of item) stack.push(k, v);
    else if (types.isSet(item)) stack.push(...item);
    else if (!ArrayBuffer.isView(item)) for (const key of Object.keys(item)) stack.push(item[key]);
  }
  return undefined;
}

/** Prototypes structured clone keeps (a copy of a Map is a Map): every other prototype is a class of the program's. */
const BUILTIN_PROTOTYPES = new Set(
  [Object, Array, Map, Set, Date, RegExp, ArrayBuffer, SharedArrayBuffer, DataView, Boolean, Number, String, Buffer, Error, EvalError,
    RangeError, ReferenceError, SyntaxError, TypeError, URIError, Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array,
    Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array].map((type) => type.prototype),
);

/**
 * One call as bytes (v8.serialize) and the places of its class instances (harness/objectWalk.cjs's walk, which visits a
 * value and its copy alike), or the reason it cannot be kept: `{ data, classes }` or `{ failure }`. The walk reads the
 * arguments themselves, not a deserialised copy: half the cost on the TypeScript example's 8,000 orders.
 */
function copyCall(values, classDeclared) {
  const named = uncopyable(values);
  if (named) return { failure: named };
  let data;
  try {
    data = v8.serialize(values);
  } catch (error) {
    return { failure: String(error?.message ?? error).split('\n')[0].slice(0, 200) };
  }
  const classes = [];
  let failure;
  walkObjects(values, undefined, (value, _, index) => {
    const proto = Object.getPrototypeOf(value);
    if (failure || proto === null || BUILTIN_PROTOTYPES.has(proto)) return;
    const name = className(value);
    if (!classDeclared(name)) return void (failure = `an object of class ${name}, which the function's file does not declare`);
    classes.push([index, name]);
    const keys = Reflect.ownKeys(value);
    if (keys.length !== Object.keys(value).length) failure = `an object of class ${name} with fields a copy leaves out (symbols, non-enumerable)`;
    for (const key of keys) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      if (descriptor && !('value' in descriptor)) failure ??= `an object of class ${name} with a getter or setter \`${String(key)}\``;
    }
  });
  return failure ? { failure } : { data, classes };
}

function startCapture(targets, outDir) {
  const states = targets.map(() => ({ calls: 0, pool: [], failure: undefined, copySeconds: 0 }));
  const declared = new Map(); // target id → class name → whether the target's source file declares it
  const classDeclared = (id) => (name) => {
    let names = declared.get(id);
    if (!names) declared.set(id, (names = new Map()));
    if (!names.has(name)) {
      let text = '';
      try {
        text = fs.readFileSync(targets[id].file, 'utf8');
      } catch {
        /* unreadable: no class restored */
      }
      names.set(name, new RegExp(`^\\s*(?:export\\s+)?(?:default\\s+)?(?:abstract\\s+)?class\\s+${name.replace(/\$/g, '\\$')}\\b`, 'm').test(text));
    }
    return names.get(name);
  };

  function record(id, receiver, args) {
    const state = states[id];
    if (!state) return;
    const serial = ++state.calls;
    // A method's receiver is its first input, as Perfloop's inputs give it; a static method's `this` is its class.
    const isMethod = targets[id].qualname.includes('.') && typeof receiver === 'object' && receiver !== null;
    const pool = state.pool;
    const size = (isMethod ? sizes.of(receiver, id, serial) : 0) + argumentsSize(args, id, serial);
    // Neither a new smallest nor a new largest: about 64 calls per doubling of the count are kept, spread over the run,
    // while the function's copies have cost less than COPY_SECONDS (then only new extremes are copied).
    const between = pool.length > 0 && pool[0].size <= size && size <= pool[pool.length - 1].size;
    if (between && ((pool.length >= POOL && serial % Math.max(7, serial >> 6)) || state.copySeconds > COPY_SECONDS)) return;
    const values = isMethod ? [receiver, ...args] : [...args];
    // The same objects again at the same size (a method called over and over on one receiver) are taken for the same
    // input: a copy of a large receiver costs milliseconds.
    if (pool.some((e) => e.size === size && e.refs.length === values.length && e.refs.every((r, i) => r === values[i]))) return;
    const started = process.hrtime.bigint();
    const copied = copyCall(values, classDeclared(id));
    state.copySeconds += Number(process.hrtime.bigint() - started) / 1e9;
    if (copied.failure) {
      state.failure ??= copied.failure;
      return;
    }
    const entry = { size, serial, refs: values, ...copied };
    const order = (a, b) => a.size - b.size || a.serial - b.serial;
    if (pool.length < POOL) pool.push(entry), pool.sort(order);
    else if (size < pool[0].size) pool[0] = entry;
    else if (size > pool[pool.length - 1].size) pool[pool.length - 1] = entry;
    else (pool[1 + (serial % (pool.length - 2))] = entry), pool.sort(order);
  }

  globalThis.__perfloopCapture = (id, receiver, args) => {
    try {
      record(id, receiver, args);
    } catch (error) {
      if (states[id]) states[id].failure ??= String(error?.message ?? error).slice(0, 200);
    }
  };
  globalThis.__perfloopCaptureMiss = (id, reason) => {
    if (states[id]) states[id].failure ??= reason;
  };

  process.on('exit', () => {
    states.forEach((state, id) => {
      if (state.calls === 0 && !state.failure) return;
      const unique = new Map();
      for (const entry of state.pool) {
        const digest = createHash('sha1').update(entry.data).digest('hex'); // the same arguments twice are one input
        if (!unique.has(digest)) unique.set(digest, entry);
      }
      let pool = [...unique.values()].sort((a, b) => a.size - b.size || a.serial - b.serial);
      if (pool.length > KEEP) {
        // The smallest, the largest and a spread of sizes between.
        const step = (pool.length - 1) / (KEEP - 1);
        pool = Array.from({ length: KEEP }, (_, i) => pool[Math.round(i * step)]);
      }
      const { file, line, qualname } = targets[id];
      const stem = path.join(outDir, `node-capture-${process.pid}-${id}`);
      try {
        fs.writeFileSync(`${stem}.v8.part`, v8.serialize(pool.map(({ size, data, classes }) => ({ size, data, classes }))));
        fs.renameSync(`${stem}.v8.part`, `${stem}.v8`);
        const captured = { file, line, qualname, calls: state.calls, sizes: pool.map((e) => e.size), failure: state.failure ?? null };
        fs.writeFileSync(`${stem}.json.part`, JSON.stringify(captured));
        fs.renameSync(`${stem}.json.part`, `${stem}.json`);
      } catch (error) {
        process.stderr.write(`perfloop: could not write the captured inputs of ${qualname} in process ${process.pid}: ${error}\n`);
      }
    });
  });
}

function installRewrites(targets) {
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename) {
    let text = content;
    try {
      text = rewriteForCapture(filename, content, targets);
    } catch {
      /* the module runs as it is: its functions are not captured */
    }
    return compile.call(this, text, filename);
  };
  if (typeof Module.register === 'function') Module.register(pathToFileURL(path.join(__dirname, 'captureHooks.mjs')).href, { data: { targets } });
}

function start(targets, outDir) {
  // The main thread only: a worker's calls would need files of their own (not built yet).
  if (!require('node:worker_threads').isMainThread) return;
  startCapture(targets, outDir);
  installRewrites(targets);
}

module.exports = { start };
