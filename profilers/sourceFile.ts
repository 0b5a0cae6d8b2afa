/**
 * The one reader and writer of users' source files. A file is read into text plus its format (encoding, byte-order
 * mark, line ending), and text written back in that format gives back the same bytes wherever the text is unchanged:
 * Apply must not re-encode a latin-1 file as UTF-8, drop a BOM, or mix LF into a CRLF file.
 *
 * Line endings stay in the text (the runners see `\r\n` as whitespace), so bytes outside an edit are kept even in a file
 * with mixed endings; `eol` is what inserted lines should use.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { RunnerError } from './runner.js';

export interface SourceFormat {
  /** `utf8`, `latin1` (ISO-8859-1, byte = code point), or a single-byte WHATWG label such as `windows-1252`. */
  encoding: string;
  /** A UTF-8 byte-order mark precedes the text. */
  bom: boolean;
  /** The line ending most lines use: what inserted lines get. */
  eol: '\n' | '\r\n';
}

export interface SourceFile {
  text: string;
  format: SourceFormat;
  /** The bytes read, to tell whether the file changed since. */
  bytes: Buffer;
}

/** Text the file's encoding cannot hold: refused rather than written as something else. */
export class SourceEncodingError extends RunnerError {
  constructor(message: string) {
    super(message);
    this.name = 'SourceEncodingError';
  }
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Python's spellings (after `_` → `-`): Node's `latin1` label would mean windows-1252, which differs in 0x80–0x9F. */
const LATIN1_NAMES = new Set(['latin1', 'latin-1', 'iso-8859-1', 'iso8859-1', 'iso88591', 'l1', 'cp819', '8859', 'iso-latin-1']);
const UTF8_NAMES = new Set(['utf-8', 'utf8', 'u8', 'utf', 'utf-8-sig', 'utf8-sig']);

export function readSourceFile(filePath: string): SourceFile {
  return decodeSource(readFileSync(filePath), filePath);
}

export function writeSourceFile(filePath: string, text: string, format: SourceFormat): void {
  writeFileSync(filePath, encodeSource(text, format));
}

export function decodeSource(bytes: Uint8Array, filePath: string): SourceFile {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = buffer.subarray(0, 3).equals(UTF8_BOM);
  const body = bom ? buffer.subarray(3) : buffer;
  const encoding = bom ? 'utf8' : chooseEncoding(body, filePath);
  const text = decodeWith(body, encoding);
  return { text, format: { encoding, bom, eol: dominantLineEnding(text) }, bytes: buffer };
}

export function encodeSource(text: string, format: SourceFormat): Buffer {
  const body = encodeWith(text, format.encoding);
  return format.bom ? Buffer.concat([UTF8_BOM, body]) : body;
}

/** CRLF when at least as many lines end in `\r\n` as in a bare `\n`; LF otherwise (and for a one-line file). */
export function dominantLineEnding(text: string): '\n' | '\r\n' {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = (text.match(/\n/g)?.length ?? 0) - crlf;
  return crlf > 0 && crlf >= lf ? '\r\n' : '\n';
}

/**
 * A Python file's PEP 263 declaration wins; otherwise UTF-8 when the bytes are valid UTF-8, else latin-1, which maps
 * every byte to one character and back, so a file in an unknown legacy encoding still round-trips.
 */
function chooseEncoding(bytes: Buffer, filePath: string): string {
  const declared = extname(filePath).toLowerCase().startsWith('.py') ? pythonDeclaredEncoding(bytes) : undefined;
  if (declared !== undefined) {
    const name = declared.toLowerCase().replace(/_/g, '-');
    if (UTF8_NAMES.has(name)) return 'utf8';
    if (LATIN1_NAMES.has(name)) return 'latin1';
    if (singleByteTable(name)) return name;
    throw new RunnerError(`${filePath} declares the encoding ${declared}; Perfloop reads UTF-8 and single-byte encodings only.`);
  }
  return isValidUtf8(bytes) ? 'utf8' : 'latin1';
}

/** `# -*- coding: latin-1 -*-` (or `# vim: set fileencoding=…`) on the first or second line. */
function pythonDeclaredEncoding(bytes: Buffer): string | undefined {
  const lines = bytes.subarray(0, 400).toString('latin1').split(/\r?\n|\r/).slice(0, 2);
  for (const line of lines) {
    const match = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/.exec(line);
    if (match) return match[1];
    // PEP 263: only a comment or blank first line lets the second line declare.
    if (!/^[ \t\f]*(?:#.*)?$/.test(line)) return undefined;
  }
  return undefined;
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function decodeWith(bytes: Buffer, encoding: string): string {
  if (encoding === 'utf8') return bytes.toString('utf8');
  if (encoding === 'latin1') return bytes.toString('latin1');
  return new TextDecoder(encoding).decode(bytes);
}

function encodeWith(text: string, encoding: string): Buffer {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  const table = encoding === 'latin1' ? undefined : singleByteTable(encoding);
  const out = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const byte = table ? table.get(code) : code <= 0xff ? code : undefined;
    if (byte === undefined) {
      const label = encoding === 'latin1' ? 'latin-1' : encoding;
      throw new SourceEncodingError(`The file is ${label}, which cannot hold “${String.fromCodePoint(text.codePointAt(i) ?? code)}”; nothing was written.`);
    }
    out[i] = byte;
  }
  return out;
}

const tables = new Map<string, Map<number, number> | undefined>();

/** Character → byte for a single-byte encoding Node can decode (cp1252, iso-8859-15, koi8-r…); undefined for others. */
function singleByteTable(label: string): Map<number, number> | undefined {
  if (tables.has(label)) return tables.get(label);
  let table: Map<number, number> | undefined;
  try {
    const all = new TextDecoder(label).decode(Uint8Array.from({ length: 256 }, (_, i) => i));
    const map = new Map<number, number>();
    for (let i = 0; i < all.length; i++) map.set(all.charCodeAt(i), i);
    // Single-byte means one character per byte and no two bytes alike; a multi-byte codec fails one or the other.
    table = all.length === 256 && map.size === 256 ? map : undefined;
  } catch {
    table = undefined;
  }
  tables.set(label, table);
  return table;
}
