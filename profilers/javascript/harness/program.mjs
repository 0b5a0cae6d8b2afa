// A loaded program module as the modes use it: the function to call and how to copy inputs for it. Inputs are loaded
// once, as objects of whichever classes made them (the original's module, or the user's own file imported by a
// workload). Each side calls its function on copies whose objects get that side's classes, matched by class name: a
// candidate method's `this.helper()` and recursion through `this.left.total()` run the candidate's code, and
// `instanceof` in either side's code sees its own classes.
import { deepCopy, prototypeRebinder } from './compare.mjs';

const TARGET_EXPORT = '__perfloopTarget';
const CLASSES_EXPORT = '__perfloopClasses';
const METHOD_EXPORT = '__perfloopMethod';

/** { fn, classes, method, rebinds, copy } of a loaded program module; fn is not checked here. */
export function programSide(module) {
  const classes = {};
  const prototypes = new Map();
  for (const [name, value] of Object.entries(module[CLASSES_EXPORT] ?? {})) {
    if (typeof value !== 'function' || typeof value.prototype !== 'object' || value.prototype === null) continue;
    classes[name] = value;
    prototypes.set(name, value.prototype);
    if (value.name) prototypes.set(value.name, value.prototype);
  }
  const rebind = prototypeRebinder(prototypes);
  return {
    fn: module[TARGET_EXPORT],
    classes,
    method: module[METHOD_EXPORT],
    /** Whether copies can differ from the inputs in their classes (then even inputs never mutated are copied once). */
    rebinds: prototypes.size > 0,
    copy: (value) => deepCopy(value, new Map(), rebind),
  };
}

/**
 * An instance method's receivers given as plain objects (JSON inputs, a generator that wrote `{ items: [...] }`)
 * become objects of its class with those fields; the constructor does not run.
 */
export function receiversAsInstances(argumentLists, side) {
  const method = side.method;
  const cls = method && !method.isStatic ? side.classes[method.className] : undefined;
  if (!cls) return argumentLists;
  for (const args of argumentLists) {
    const receiver = args[0];
    if (receiver === null || typeof receiver !== 'object' || Array.isArray(receiver)) continue;
    const proto = Object.getPrototypeOf(receiver);
    if (proto === Object.prototype || proto === null) args[0] = Object.assign(Object.create(cls.prototype), receiver);
  }
  return argumentLists;
}
