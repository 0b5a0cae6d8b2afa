// Where a capture target is in the JavaScript Node loads, and the call to the recorder put at its entry. Used by
// capture.cjs for CommonJS (Module.prototype._compile) and by captureHooks.mjs for ES modules (a load hook), so both
// rewrite the same way. A target is named by its ORIGINAL file and line (a .ts file, through the source map of the .js
// Node loads); the call goes right after the body's `{`, on the same line, so lines and the source map's lines hold.
//
// Why a rewrite and not the inspector: a conditional breakpoint at the function's first line (Debugger domain) finds
// any function without reading code, but V8 evaluates its condition in a debug context: 350 µs a call here (100,000
// calls of a two-line function took 35 s instead of 7 ms). The rewritten call costs a property read and a call.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((ch, i) => [ch, i]));

function decodeVlq(segment) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = DIGIT.get(ch) ?? 0;
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -Math.floor(value / 2) : Math.floor(value / 2));
    value = 0;
    shift = 0;
  }
  return values;
}

/** `source index\0original line` (1-based) → the first generated line (1-based) that maps to it. */
function originalToGeneratedLines(mappings) {
  const lines = new Map();
  let source = 0;
  let originalLine = 0;
  mappings.split(';').forEach((line, index) => {
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const fields = decodeVlq(segment);
      if (fields.length < 4) continue;
      source += fields[1];
      originalLine += fields[2];
      const key = `${source}\0${originalLine + 1}`;
      if (!lines.has(key)) lines.set(key, index + 1);
    }
  });
  return lines;
}

/** The source map of a generated file (`//# sourceMappingURL=`, inline or a file), with absolute source paths. */
function sourceMapOf(file, text) {
  const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
  if (!url) return undefined;
  try {
    const inline = /^data:application\/json[^,]*;base64,(.*)$/.exec(url);
    const mapFile = inline ? file : path.resolve(path.dirname(file), decodeURIComponent(url));
    const map = JSON.parse(inline ? Buffer.from(inline[1], 'base64').toString('utf8') : fs.readFileSync(mapFile, 'utf8'));
    if (!Array.isArray(map.sources) || typeof map.mappings !== 'string') return undefined;
    const sources = map.sources.map((s) => path.resolve(path.dirname(mapFile), map.sourceRoot ?? '', s.replace(/^file:\/\//, '')));
    return { sources, mappings: map.mappings };
  } catch {
    return undefined;
  }
}

/** Index just past the bracket that closes the one at `open`, skipping strings, templates and comments. */
function closeBracket(text, open) {
  const pairs = { '(': ')', '[': ']', '{': '}' };
  const stack = [];
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      for (i++; i < text.length && text[i] !== ch; i++) if (text[i] === '\\') i++;
    } else if (ch === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      if (i < 0) return -1;
    } else if (ch === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 1;
      if (i <= 0) return -1;
    } else if (pairs[ch]) {
      stack.push(pairs[ch]);
    } else if (ch === ')' || ch === ']' || ch === '}') {
      if (stack.pop() !== ch) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
}

/** Top-level comma-separated parts of a parameter list's text. */
function splitParameters(list) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) parts.push(list.slice(start, i)), (start = i + 1);
  }
  parts.push(list.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * Where to put the recorder's call for the function `name` defined from offset `from` on (its line), and what it passes:
 * `{ at, call }`, or `{ reason }` when the function is not found there or its arguments cannot be named.
 */
function entryPoint(text, from, name, id) {
  const escaped = name.replace(/[$]/g, '\\$');
  const pattern = new RegExp(`(?<![\\w$])${escaped}(?![\\w$])`, 'g');
  pattern.lastIndex = from;
  let limit = from;
  for (let lines = 0; lines < 3 && limit >= 0; lines++) limit = text.indexOf('\n', limit + 1);
  if (limit < 0) limit = text.length;
  for (let match = pattern.exec(text); match && match.index < limit; match = pattern.exec(text)) {
    let i = match.index + name.length;
    const rest = /^\s*(?:[=:]\s*(?:async\s+)?(?:function\b\s*\*?\s*[\w$]*\s*)?)?/.exec(text.slice(i, i + 200));
    i += rest[0].length;
    const assigned = /[=:]/.test(rest[0]) && !/function/.test(rest[0]);
    let parameters;
    if (text[i] === '(') {
      const end = closeBracket(text, i);
      if (end < 0) continue;
      parameters = text.slice(i + 1, end - 1);
      i = end;
    } else {
      const single = /^[A-Za-z_$][\w$]*(?=\s*=>)/.exec(text.slice(i, i + 200));
      if (!single) continue;
      parameters = single[0];
      i += single[0].length;
    }
    const afterParameters = /^\s*(=>)?\s*/.exec(text.slice(i, i + 200));
    const arrow = afterParameters[1] !== undefined;
    if (assigned && !arrow) continue; // `name = (...)`: not a function
    i += afterParameters[0].length;
    if (text[i] !== '{') {
      if (arrow) return { reason: 'an arrow function whose body is an expression (its arguments are not captured yet)' };
      continue;
    }
    let at = i + 1;
    const directive = /^\s*(['"])use strict\1;?/.exec(text.slice(at, at + 40));
    if (directive) at += directive[0].length;
    if (!arrow) return { at, call: `globalThis.__perfloopCapture?.(${id}, this, arguments);` };
    const names = [];
    for (const parameter of splitParameters(parameters)) {
      const simple = /^(\.\.\.)?\s*([A-Za-z_$][\w$]*)\s*(=|$)/.exec(parameter);
      if (!simple) return { reason: 'an arrow function with destructured parameters (its arguments are not captured yet)' };
      names.push(`${simple[1] ?? ''}${simple[2]}`);
    }
    return { at, call: `globalThis.__perfloopCapture?.(${id}, undefined, [${names.join(', ')}]);` };
  }
  return { reason: `its definition was not found at line ${text.slice(0, from).split('\n').length} of the code Node loaded` };
}

/** Offset of the start of 1-based `line`. */
function lineOffset(text, line) {
  let offset = 0;
  for (let n = 1; n < line && offset >= 0; n++) offset = text.indexOf('\n', offset) + 1 || -1;
  return offset;
}

/**
 * `text` (the code of `file` as Node loads it) with the recorder's call at the entry of every target defined in it
 * (targets: [{ file, line, qualname }], the index is the call's id), or `text` itself when it defines none. A target
 * that cannot be found tells the recorder why, when the module runs.
 */
function rewriteForCapture(file, text, targets) {
  if (targets.length === 0 || file.includes(`${path.sep}node_modules${path.sep}`)) return text;
  const absolute = path.resolve(file);
  const here = [];
  let map;
  targets.forEach((target, id) => {
    if (path.resolve(target.file) === absolute) here.push({ id, line: target.line, target });
  });
  if (here.length === 0 && text.includes('sourceMappingURL')) {
    map = sourceMapOf(absolute, text);
    if (!map) return text;
    let lines;
    targets.forEach((target, id) => {
      const source = map.sources.indexOf(path.resolve(target.file));
      if (source < 0) return;
      lines ??= originalToGeneratedLines(map.mappings);
      // A definition line without a mapping of its own (a decorator, a comment) maps through the next lines.
      let line;
      for (let k = 0; k < 4 && line === undefined; k++) line = lines.get(`${source}\0${target.line + k}`);
      here.push({ id, line, target });
    });
  }
  if (here.length === 0) return text;
  const inserts = [];
  const misses = [];
  for (const { id, line, target } of here) {
    const name = target.qualname.split('.').pop();
    const found = line === undefined ? { reason: `line ${target.line} has no code in ${path.basename(absolute)}` } : entryPoint(text, lineOffset(text, line), name, id);
    if (found.reason) misses.push(`\n;globalThis.__perfloopCaptureMiss?.(${id}, ${JSON.stringify(found.reason)});`);
    else inserts.push(found);
  }
  let out = text;
  for (const { at, call } of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, at) + call + out.slice(at);
  return out + misses.join('');
}

module.exports = { rewriteForCapture };
