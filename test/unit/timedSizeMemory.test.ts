/**
 * The timed size is remembered on this machine (issue 13, part 3: "same function, same machine, two runs: the same n").
 * A run chooses n on a doubling grid from the original's CPU time; a cost right at a grid point can land on either
 * neighbour from one run to the next. The first choice is kept in the user's cache folder and reused while the function,
 * its inputs and the machine are the same. Real runner, real sandbox, through `perfloop compare`'s engine.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compareCandidate } from '../../optimizer/compare.js';
import { renderResultsTable } from '../../optimizer/report/table.js';
import { defaultCacheDir, fileTimedSizeMemory } from '../../optimizer/timedSizeMemory.js';
import { PythonRunner } from '../../profilers/python/pythonRunner.js';

const ORIGINAL = 'def distinct(values):\n    out = []\n    for value in values:\n        if value not in out:\n            out.append(value)\n    return out\n';
const REWRITE = 'def distinct(values):\n    return list(dict.fromkeys(values))\n';
const INPUTS = 'def correctness_inputs():\n    return [[[]], [[3, 1, 3, 2]]]\n\ndef sized_input(n):\n    return [[(i * 7919) % (n // 2 + 1) for i in range(n)]]\n';

describe('the timed size, remembered on this machine @slow', function () {
  this.timeout(300_000);
  let dir: string;
  let store: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'perfloop-size-memory-'));
    store = path.join(dir, 'cache');
    writeFileSync(path.join(dir, 'distinct.perfloop.py'), INPUTS);
    writeFileSync(path.join(dir, 'distinct_fast.py'), REWRITE);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const compare = async (original: string) => {
    const filePath = path.join(dir, 'distinct.py');
    writeFileSync(filePath, original);
    const report = await compareCandidate(
      {
        filePath,
        fileText: original,
        target: { functionName: 'distinct' },
        candidatePath: path.join(dir, 'distinct_fast.py'),
        candidateText: REWRITE,
        settings: { timingSamples: 10, sampleSeconds: 0.01, timeoutMs: 60_000, counters: 'time' },
      },
      { runner: new PythonRunner(), timedSizes: fileTimedSizeMemory(store) },
    );
    assert.equal(report.error, undefined, report.error);
    return report;
  };
  const stored = (): Record<string, { n: number; chosenAt: string }> => JSON.parse(readFileSync(path.join(store, 'timed-sizes.json'), 'utf8'));

  it('chooses n on the first run, then times every later run of the same pair at that n and says so', async () => {
    const first = await compare(ORIGINAL);
    const chosen = first.workload?.timedSizedN;
    assert.ok(chosen && chosen >= 8, `n = ${chosen}`);
    assert.equal(first.workload?.timedSizeChosenAt, undefined);
    const [key, entry] = Object.entries(stored())[0] ?? [];
    assert.equal(entry?.n, chosen);

    // As if the first run had landed on the neighbouring grid point: the next run takes the remembered n, not its own.
    const neighbour = chosen / 2;
    writeFileSync(path.join(store, 'timed-sizes.json'), JSON.stringify({ [key as string]: { n: neighbour, chosenAt: '2026-01-02T03:04:05.000Z' } }));
    const second = await compare(ORIGINAL);
    assert.equal(second.workload?.timedSizedN, neighbour);
    assert.equal(second.workload?.timedSizeChosenAt, '2026-01-02T03:04:05.000Z');
    assert.match(renderResultsTable(second), new RegExp(`timed at n = ${neighbour} \\(sized_input, as a run on 2026-01-02 chose it\\)`));
  });

  it('chooses again when the function changes', async () => {
    const edited = ORIGINAL.replace('out = []', 'out = []  # kept in order');
    const report = await compare(edited);
    assert.equal(report.workload?.timedSizeChosenAt, undefined);
    assert.equal(Object.keys(stored()).length, 2);
  });

  it('loses nothing but the reuse when the store is unreadable, and lives in XDG_CACHE_HOME when that is set', () => {
    writeFileSync(path.join(store, 'timed-sizes.json'), '{ not json');
    const memory = fileTimedSizeMemory(store);
    assert.equal(memory.recall('anything'), undefined);
    memory.remember('k', 4096);
    assert.equal(memory.recall('k')?.n, 4096);
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/srv/cache' }), '/srv/cache/perfloop');
    assert.match(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }), /\.cache\/perfloop$/);
  });
});
