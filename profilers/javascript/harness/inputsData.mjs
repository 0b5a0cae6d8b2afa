// Inputs as data: an LLM-written generator runs in an `inputs` process of its own (the original loaded, no candidate),
// which writes what it made to a file; each side's process reads that file instead of importing the generator, so no
// code the LLM wrote runs beside the code under test. The file is v8.serialize's structured clone (Map, Set, Date,
// RegExp, typed arrays, BigInt, shared references and cycles) plus the objects that were instances of the program's
// classes, by their place in a fixed walk of the graph and their class name: each side gives them its own class of that
// name, as program.copy does for the inputs a side made itself.
import { readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import objectWalk from './objectWalk.cjs';
import { snapshotArguments } from './snapshot.mjs';
import { freshSize, WorkloadError } from './workload.mjs';

const { isLeaf, walkObjects } = objectWalk;

/** The sizes beyond the timed ones a process with this seed asks sizedInput for (serve.mjs's fresh and warm-up inputs, the count's warm pass). */
function extraSizes(job, inputs) {
  if (!inputs.sizedInput || !inputs.sizedN) return [];
  const fresh = freshSize(inputs.sizedN, job.seed);
  return [fresh, fresh + 1];
}

function constructorName(value) {
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'anonymous';
}

/**
 * Why `value` (an object of the inputs) and `copy` (its structured clone) may differ beyond the prototype of one of the
 * program's classes, which the reading side restores: another class's, accessors (the clone holds what the getter gave
 * once), keys structured clone leaves out (symbols, non-enumerable ones, a Map's or Set's own fields).
 */
function cloneLoss(value, copy, program) {
  const proto = Object.getPrototypeOf(value);
  if (!program && proto !== Object.getPrototypeOf(copy)) return `an object of class ${constructorName(value)}, which is not one of the program's`;
  if (Array.isArray(value) || isLeaf(value)) return undefined;
  const keys = Reflect.ownKeys(value);
  const kept = Object.keys(copy).length;
  if (keys.length !== kept) return `an object of class ${constructorName(value)} with fields a copy leaves out (symbols, non-enumerable or a Map's or Set's own)`;
  for (const key of keys) {
    const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
    if (descriptor && !('value' in descriptor)) return `an object of class ${constructorName(value)} with a getter or setter \`${String(key)}\``;
  }
  return undefined;
}

/** The argument lists of a materialised set of inputs, and which of them are compared by snapshot after the round trip. */
function checkedCalls(made, timedSizedN) {
  // Snapshots of the sized inputs (up to a million elements) cost seconds each on a loaded machine (a 262,144-node tree:
  // 5 s to snapshot, 1 s to make): those made by sizedInput rest on the structural check alone (cloneLoss).
  const performance = timedSizedN ? [] : made.performance;
  return [...made.correctness, ...performance];
}

/**
 * The inputs (from loadWorkload in the original's process) as the bytes of an inputs file, or the reason they cannot be
 * data: `{ bytes }` or `{ besideCode }`. Checked on the copy a side will read: every object's fields and class
 * (cloneLoss), and the snapshots of the calls that are not sized inputs, with the original's classes restored.
 */
export function inputsAsData(job, original, inputs) {
  const sized = extraSizes(job, inputs).map((n) => {
    try {
      return [n, inputs.sizedInput(n), null];
    } catch (error) {
      return [n, null, String(error?.message ?? error)];
    }
  });
  const made = { correctness: inputs.correctness, performance: inputs.performance, sized };
  let clone;
  let madeBytes;
  try {
    madeBytes = serialize(made);
    clone = deserialize(madeBytes);
  } catch (error) {
    return { besideCode: `its inputs cannot be copied as data (${String(error?.message ?? error).slice(0, 200)})` };
  }
  const classNames = new Map(Object.entries(original.classes).map(([name, cls]) => [cls.prototype, name]));
  const classes = [];
  let loss;
  walkObjects(clone, made, (copy, value, index) => {
    if (loss) return;
    if (typeof value !== 'object' || value === null) return void (loss = 'its inputs change shape when copied');
    const name = classNames.get(Object.getPrototypeOf(value));
    loss = cloneLoss(value, copy, name !== undefined);
    if (name === undefined) return;
    classes.push([index, name]);
    Object.setPrototypeOf(copy, original.classes[name].prototype); // as restoreClasses does on the reading side
  });
  if (loss) return { besideCode: `its inputs hold ${loss}` };
  const header = Buffer.from(JSON.stringify({ sizedN: inputs.sizedN ?? null, timedSizedN: inputs.timedSizedN ?? null, classes }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const expected = checkedCalls(made, inputs.timedSizedN).map(snapshotArguments);
  const actual = checkedCalls(clone, inputs.timedSizedN).map(snapshotArguments);
  const differs = expected.findIndex((text, i) => text !== actual[i]);
  if (differs >= 0) return { besideCode: `its inputs do not survive a copy as data: call ${differs + 1} differs` };
  return { bytes: Buffer.concat([length, header, madeBytes]) };
}

/** Gives the objects that were instances of the program's classes `side`'s class of the same name. */
function restoreClasses(made, classes, side) {
  if (classes.length === 0) return;
  const named = new Map(classes);
  walkObjects(made, undefined, (value, _, index) => {
    const cls = side.classes[named.get(index)];
    if (cls) Object.setPrototypeOf(value, cls.prototype);
  });
}

/** Inputs as loadWorkload returns them, read from bytes written by inputsAsData, with `side`'s classes. */
function inputsFromData(bytes, side) {
  const length = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + length).toString('utf8'));
  const made = deserialize(bytes.subarray(4 + length));
  restoreClasses(made, header.classes, side);
  const sized = new Map(made.sized.map(([n, args, error]) => [n, { args, error }]));
  const sizedInput = (n) => {
    const one = sized.get(n);
    if (!one) throw new WorkloadError(`sizedInput(${n}) was not made ahead of this process`);
    if (one.error !== null) throw new WorkloadError(one.error);
    return one.args;
  };
  return {
    correctness: made.correctness,
    performance: made.performance,
    sizedInput: header.sizedN !== null ? sizedInput : undefined,
    sizedN: header.sizedN,
    ...(header.timedSizedN !== null ? { timedSizedN: header.timedSizedN } : {}),
  };
}

/** The inputs of the job's inputs file, with this side's classes. */
export function readInputsFile(path, side) {
  return inputsFromData(readFileSync(path), side);
}
