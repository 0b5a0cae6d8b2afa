/** The one reader/writer of users' source files: whatever a file's bytes are, writing its text back gives them back. */
import assert from 'node:assert/strict';
import { decodeSource, encodeSource, SourceEncodingError } from '../../profilers/sourceFile.js';

const roundTrips = (bytes: Buffer, path: string): void => {
  const file = decodeSource(bytes, path);
  assert.deepEqual(encodeSource(file.text, file.format), bytes);
};

describe('sourceFile', () => {
  it('reads a Python file that declares latin-1 as latin-1, and writes the same bytes back', () => {
    const bytes = Buffer.from('# -*- coding: latin-1 -*-\nNAME = "café"\n', 'latin1');
    const file = decodeSource(bytes, 'menu.py');
    assert.equal(file.format.encoding, 'latin1');
    assert.match(file.text, /NAME = "café"/);
    roundTrips(bytes, 'menu.py');
  });

  it('honours other single-byte declarations (iso-8859-15: € is the one byte 0xA4)', () => {
    const bytes = Buffer.concat([Buffer.from('# coding: iso-8859-15\nPRICE = "5 '), Buffer.from([0xa4]), Buffer.from('"\n')]);
    const file = decodeSource(bytes, 'price.py');
    assert.match(file.text, /PRICE = "5 €"/);
    roundTrips(bytes, 'price.py');
    assert.deepEqual(encodeSource(file.text.replace('5 €', '6 €'), file.format).at(-3), 0xa4);
  });

  it('reads a file that is not valid UTF-8 and declares nothing byte for byte (JavaScript, C++)', () => {
    const js = Buffer.from('// Menu of the café\nexport const x = 1;\n', 'latin1');
    assert.equal(decodeSource(js, 'menu.js').format.encoding, 'latin1');
    roundTrips(js, 'menu.js');
    roundTrips(Buffer.from('/* caf\xe9 */\r\nint f() { return 1; }', 'latin1'), 'f.cpp');
  });

  it('keeps a UTF-8 byte-order mark out of the text and puts it back on write', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('export const café = 1;\n', 'utf8')]);
    const file = decodeSource(bytes, 'bom.mjs');
    assert.equal(file.format.bom, true);
    assert.equal(file.text.charCodeAt(0), 'e'.charCodeAt(0));
    roundTrips(bytes, 'bom.mjs');
  });

  it('says which line ending a file uses: CRLF when most lines end so, else LF', () => {
    assert.equal(decodeSource(Buffer.from('a\r\nb\r\nc\n'), 'a.py').format.eol, '\r\n');
    assert.equal(decodeSource(Buffer.from('a\nb\n'), 'a.py').format.eol, '\n');
    assert.equal(decodeSource(Buffer.from('a'), 'a.py').format.eol, '\n');
    roundTrips(Buffer.from('a\r\nb\nc'), 'mixed.py');
  });

  it('refuses to write a character the file’s encoding cannot hold, instead of writing something else', () => {
    const file = decodeSource(Buffer.from('# coding: latin-1\nx = 1\n', 'latin1'), 'a.py');
    assert.throws(() => encodeSource(`${file.text}y = "→"\n`, file.format), (e: unknown) => e instanceof SourceEncodingError && /latin-1/.test(e.message) && /→/.test(e.message));
  });
});
