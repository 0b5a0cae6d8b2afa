import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkloadNextTo, readWorkloadFile, WorkloadFileError } from '../../optimizer/workloadFile.js';

describe('user inputs files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'perfloop-inputs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads an array of argument arrays as both correctness and performance inputs', () => {
    const w = readWorkloadFile(write('in.json', '[[[3, 1, 2]], [[]]]'));
    assert.equal(w.kind, 'json');
    if (w.kind !== 'json') return;
    assert.deepEqual(w.correctness, [[[3, 1, 2]], [[]]]);
    assert.deepEqual(w.performance, w.correctness);
  });

  it('reads separate correctness and performance inputs, and lets one stand in for the other', () => {
    const both = readWorkloadFile(write('a.json', '{"correctness": [[1]], "performance": [[1000]]}'));
    assert.ok(both.kind === 'json' && both.correctness.length === 1 && both.performance[0]?.[0] === 1000);
    const onlyPerf = readWorkloadFile(write('b.json', '{"performance": [[1000]]}'));
    assert.ok(onlyPerf.kind === 'json' && onlyPerf.correctness[0]?.[0] === 1000);
  });

  it('takes a Python module as a module workload', () => {
    const w = readWorkloadFile(write('w.py', 'def correctness_inputs():\n    return [[1]]\n'));
    assert.equal(w.kind, 'module');
  });

  it('rejects malformed files with a message that says what is wrong and where', () => {
    const cases: [string, string, RegExp][] = [
      ['bad.json', '{"correctness": [1, 2]', /not valid JSON/],
      ['shape.json', '{"correctness": 3}', /"correctness".*array of argument arrays/],
      ['inner.json', '[[1], 2]', /at "1".*array of arguments/],
      ['extra.json', '{"correct": [[1]]}', /correct/],
      ['empty.json', '[]', /empty array/],
      ['none.json', '{}', /at least one input/],
      ['scalar.json', '42', /expected an array/],
      ['inputs.txt', '[[1]]', /must be \.json .* or a module .*\.py/],
    ];
    for (const [name, text, message] of cases) {
      assert.throws(() => readWorkloadFile(write(name, text)), (e: unknown) => e instanceof WorkloadFileError && message.test(e.message), name);
    }
    assert.throws(() => readWorkloadFile(join(dir, 'missing.json')), /not found/);
  });

  it('finds <stem>.perfloop.json or <stem>.perfloop.py next to the source file', () => {
    const source = write('dupes.py', 'def f(x):\n    return x\n');
    assert.equal(findWorkloadNextTo(source), undefined);
    const inputs = write('dupes.perfloop.py', 'def correctness_inputs():\n    return [[1]]\n');
    assert.equal(findWorkloadNextTo(source), inputs);
    const json = write('dupes.perfloop.json', '[[1]]');
    assert.equal(findWorkloadNextTo(source), json, 'JSON wins when both exist');
  });
});
