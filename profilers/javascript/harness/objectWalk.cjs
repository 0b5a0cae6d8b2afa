// The fixed walk of an object graph that names where the program's class instances are in a structured clone (v8.serialize):
// an object's place in this walk is the same in a value and in its deserialised copy, so a copy's objects can be given
// their class again by index. Shared by the harness's inputs-as-data files (harness/inputsData.mjs) and the inputs
// perfloop profile captures (hotspots/capture.cjs writes them; the inputs module hotspots.ts writes beside them embeds these functions).
'use strict';
const { types } = require('node:util');

/** Objects structured clone keeps whole, with nothing of theirs to walk into. */
function isLeaf(value) {
  return (
    ArrayBuffer.isView(value) || types.isAnyArrayBuffer(value) || types.isDate(value) || types.isRegExp(value) ||
    types.isBoxedPrimitive(value) || types.isNativeError(value)
  );
}

/**
 * Visits every object of `root` once, in an order fixed by its shape (so a deserialised copy is visited in the same order
 * wherever it is read), with its counterpart in `twin` (a graph of the same shape; undefined on the reading side). Arrays
 * are walked by index (their other fields are not: Object.keys of a million-element array costs more than the rest).
 */
function walkObjects(root, twin, visit) {
  const seen = new Set();
  const values = [root];
  const twins = [twin];
  const push = (value, other) => {
    if (typeof value === 'object' && value !== null) values.push(value), twins.push(other);
  };
  let index = 0;
  while (values.length > 0) {
    const value = values.pop();
    const other = twins.pop();
    if (seen.has(value)) continue;
    seen.add(value);
    visit(value, other, index++);
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) push(value[i], other?.[i]);
    } else if (types.isMap(value) || types.isSet(value)) {
      const items = types.isMap(value) ? [...value].flat() : [...value];
      const others = other && (types.isMap(other) || types.isSet(other)) ? (types.isMap(other) ? [...other].flat() : [...other]) : [];
      for (let i = items.length - 1; i >= 0; i--) push(items[i], others[i]);
    } else if (!isLeaf(value)) {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) push(value[keys[i]], other?.[keys[i]]);
    }
  }
}

module.exports = { isLeaf, walkObjects };
