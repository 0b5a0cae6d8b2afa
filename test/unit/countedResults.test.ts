/** The check of a candidate's counted results against the original's (profilers/judge/countedResults.ts). */
import assert from 'node:assert/strict';
import { checkCountedResults } from '../../profilers/judge/countedResults.js';
import type { CountedResult } from '../../profilers/runner.js';

const ARGS = '{"t":"seq","c":"list","i":[{"t":"seq","c":"list","i":[1,2,3]}]}';
const float = (v: number): CountedResult => ({ value: JSON.stringify({ t: 'float', v }), args: ARGS });
const list = (items: number[]): CountedResult => ({ value: JSON.stringify({ t: 'seq', c: 'list', i: items }), args: ARGS });
const OPTS = { tolerance: 1e-7, userEqual: false };

describe('checking the results of counted calls', () => {
  it('passes results that are the same, and floats within the tolerance', () => {
    assert.deepEqual(checkCountedResults([list([1, 2]), float(0.1)], [list([1, 2]), float(0.1 + 1e-12)], OPTS), { status: 'same' });
  });

  it('names the first input whose result differs, and where', () => {
    const check = checkCountedResults([list([1, 2]), list([3, 4])], [list([1, 2]), list([3, 0])], OPTS);
    assert.equal(check.status, 'different');
    assert.equal(check.status === 'different' && check.index, 1);
    assert.match(check.status === 'different' ? check.difference.path : '', /result\[1\]/);
  });

  it('rejects another number of results, a changed argument, and a snapshot that does not parse', () => {
    assert.equal(checkCountedResults([list([1])], [], OPTS).status, 'different');
    assert.equal(checkCountedResults([list([1])], [{ ...list([1]), args: '{"t":"seq","c":"list","i":[{"t":"seq","c":"list","i":[1,2,0]}]}' }], OPTS).status, 'different');
    assert.equal(checkCountedResults([list([1])], [{ ...list([1]), value: '{not json' }], OPTS).status, 'different');
  });

  it('is undecided on return values only a user equal(a, b) could accept, never on changed arguments', () => {
    assert.equal(checkCountedResults([list([1])], [list([2])], { ...OPTS, userEqual: true }).status, 'undecided');
    assert.equal(checkCountedResults([list([1])], [{ ...list([1]), args: '[]' }], { ...OPTS, userEqual: true }).status, 'different');
  });
});
