/** The history store on real temp directories: persistence, atomic and serialised writes, recovery, caps, exports. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capHistory, compactEntry, entryBytes } from '../../extension/history/capHistory.js';
import { ChangeEmitter } from '../../extension/history/changeEmitter.js';
import { fromHistoryJson } from '../../extension/history/historyJson.js';
import { parseHistoryFile } from '../../extension/history/historySchema.js';
import { HistoryStore } from '../../extension/history/historyStore.js';
import type { HistoryEntry } from '../../extension/history/historyTypes.js';
import { removeStaleTempFiles, writeFileAtomic } from '../../extension/history/writeFileAtomic.js';
import { DEFAULT_SETTINGS, type OptimizationReport } from '../../optimizer/types.js';

function sampleReport(startedAt: string, patchedFileText = 'def find_duplicates(xs):\n    return []\n'): OptimizationReport {
  const speedup = {
    ratio: 2.41, low: 2.3, high: 2.52, confidence: 0.95, noiseThreshold: 0.05, verdict: 'faster' as const, samples: 30,
    method: 'paired bootstrap', originalSeconds: 0.002, candidateSeconds: 0.00083, originalCv: 0.02, candidateCv: 0.03,
  };
  return {
    version: 1,
    target: { file: '/project/dupes.py', functionName: 'find_duplicates', language: 'python', range: { start: 3, end: 9 }, contextNames: [] },
    startedAt,
    finishedAt: startedAt,
    durationMs: 1234,
    settings: DEFAULT_SETTINGS,
    environment: { runner: 'python 3.12', sandbox: 'none', instructionCounter: 'none', timer: 'perf_counter_ns' },
    workload: { origin: 'llm-generator', correctnessInputs: 10, performanceInputs: 3, examples: [], originalMutatesArguments: false, generatorSource: 'def sized_input(n): ...' },
    candidates: [
      { id: 'c1', round: 1, code: 'def find_duplicates(xs):\n    return sorted(set(xs))\n', rationale: 'a set', verdict: 'faster', speedup },
      { id: 'c2', round: 1, code: 'def find_duplicates(xs):\n    return xs\n', rationale: 'wrong', verdict: 'incorrect', reason: 'differs' },
    ],
    outcome: 'improved',
    best: { candidateId: 'c1', diff: '--- a/dupes.py\n+++ b/dupes.py\n', patchedFileText },
    tokenUsage: { promptTokens: 100, completionTokens: 50, totalTokens: 150, estimated: false, requests: 1 },
    warnings: [],
  };
}

function sampleEntry(id: string, minute: number, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  const createdAt = new Date(Date.UTC(2026, 10, 21, 15, minute)).toISOString();
  return {
    id,
    createdAt,
    file: '/project/dupes.py',
    functionName: 'find_duplicates',
    languageId: 'python',
    line: 3,
    outcome: 'improved',
    best: { candidateId: 'c1', ratio: 2.41, low: 2.3, high: 2.52 },
    report: sampleReport(createdAt),
    ...extra,
  };
}

describe('history store', () => {
  let dir: string;
  let problems: string[];
  const newStore = (options: ConstructorParameters<typeof HistoryStore>[1] = {}): HistoryStore =>
    new HistoryStore(dir, { onProblem: (m) => problems.push(m), ...options });
  const filesIn = (): string[] => readdirSync(dir).sort();
  const fileOnDisk = (): { version: number; entries: HistoryEntry[] } =>
    fromHistoryJson(readFileSync(join(dir, 'history.json'), 'utf8')) as { version: number; entries: HistoryEntry[] };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'perfloop-history-'));
    problems = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('persistence', () => {
    it('starts empty without a file, and creates its directory on the first write', async () => {
      const nested = join(dir, 'workspace-storage', 'perfloop');
      const store = new HistoryStore(nested);
      await store.load();
      assert.deepEqual(store.list(), []);
      await store.add(sampleEntry('a', 1));
      assert.ok(existsSync(join(nested, 'history.json')));
    });

    it('round-trips entries through the file, including fields a later version added', async () => {
      const entry = { ...sampleEntry('a', 1), futureField: { kept: true } } as HistoryEntry;
      await newStore().add(entry);
      const reopened = newStore();
      await reopened.load();
      assert.deepEqual(reopened.get('a'), entry);
      assert.equal(fileOnDisk().version, 1);
      assert.deepEqual(problems, []);
    });

    it('keeps Infinity and NaN in reports (plain JSON would turn them into null)', async () => {
      const entry = sampleEntry('a', 1);
      entry.report.baseline = { secondsPerCall: 0.001, complexity: { points: [], fit: { exponent: 0, exponentStdError: Number.NaN, coefficient: 1, rSquared: Number.NaN, points: 5, label: 'O(1)' } } };
      const first = entry.report.candidates[0];
      if (first) first.instructions = { count: 10, ratio: Number.POSITIVE_INFINITY };
      await newStore().add(entry);
      const reopened = newStore();
      await reopened.load();
      const report = reopened.get('a')?.report;
      assert.ok(Number.isNaN(report?.baseline?.complexity?.fit?.rSquared));
      assert.equal(report?.candidates[0]?.instructions?.ratio, Number.POSITIVE_INFINITY);
    });

    it('lists newest first by start time, whatever the order of adding', async () => {
      const store = newStore();
      await store.add(sampleEntry('middle', 2));
      await store.add(sampleEntry('newest', 3));
      await store.add(sampleEntry('oldest', 1));
      assert.deepEqual(store.list().map((e) => e.id), ['newest', 'middle', 'oldest']);
      const reopened = newStore();
      await reopened.load();
      assert.deepEqual(reopened.list().map((e) => e.id), ['newest', 'middle', 'oldest']);
    });

    it('replaces an entry added again with the same id', async () => {
      const store = newStore();
      await store.add(sampleEntry('a', 1));
      await store.add(sampleEntry('a', 1, { outcome: 'failed' }));
      assert.equal(store.list().length, 1);
      assert.equal(store.get('a')?.outcome, 'failed');
    });

    it('updates, removes and clears, and tells listeners after each change', async () => {
      const store = newStore();
      let changes = 0;
      const subscription = store.onDidChange(() => changes++);
      await store.add(sampleEntry('a', 1));
      await store.add(sampleEntry('b', 2));
      const updated = await store.update('a', (e) => {
        e.applied = { candidateId: 'c1', appliedAt: '2026-11-21T16:00:00.000Z', before: 'old', after: 'new' };
        return e;
      });
      assert.equal(updated?.applied?.after, 'new');
      assert.equal(await store.update('missing', (e) => e), undefined);
      assert.equal(await store.remove('b'), true);
      assert.equal(await store.remove('b'), false);
      assert.equal(changes, 4, 'add, add, update, remove; no-ops do not fire');
      const reopened = newStore();
      await reopened.load();
      assert.deepEqual(reopened.list().map((e) => [e.id, e.applied?.after]), [['a', 'new']]);
      await store.clear();
      assert.deepEqual(store.list(), []);
      assert.deepEqual(fileOnDisk().entries, []);
      subscription.dispose();
      await store.add(sampleEntry('c', 3));
      assert.equal(changes, 5, 'a disposed listener hears nothing');
    });

    it('does not let an update change the id, or callers mutate stored entries through the copy', async () => {
      const store = newStore();
      await store.add(sampleEntry('a', 1));
      const before = store.get('a');
      await store.update('a', (e) => ({ ...e, id: 'b', line: 7 }));
      assert.deepEqual(store.list().map((e) => [e.id, e.line]), [['a', 7]]);
      assert.equal(before?.line, 3, 'the earlier snapshot is not changed in place');
    });

    it('refuses an invalid entry without writing anything', async () => {
      const store = newStore();
      await store.add(sampleEntry('a', 1));
      await assert.rejects(store.add(sampleEntry('b', 2, { line: 0 })), /Invalid history entry: line/);
      await assert.rejects(store.update('a', (e) => ({ ...e, createdAt: 'yesterday' })), /createdAt/);
      assert.deepEqual(fileOnDisk().entries.map((e) => [e.id, e.createdAt]), [['a', sampleEntry('a', 1).createdAt]]);
    });
  });

  describe('writes', () => {
    it('leave no temp files behind', async () => {
      const store = newStore();
      for (let i = 0; i < 5; i++) await store.add(sampleEntry(`e${i}`, i));
      assert.deepEqual(filesIn(), ['history.json']);
    });

    it('that fail leave the previous file and the store as they were, and clean up', async () => {
      const store = newStore();
      await store.add(sampleEntry('a', 1));
      const before = readFileSync(join(dir, 'history.json'), 'utf8');
      // A report whose serialisation throws: the failure happens while the new file is being produced.
      const poisoned = (e: HistoryEntry): HistoryEntry => ({ ...e, report: { ...e.report, toJSON: () => { throw new Error('serializer failed'); } } as OptimizationReport });
      await assert.rejects(store.update('a', poisoned), /serializer failed/);
      assert.equal(readFileSync(join(dir, 'history.json'), 'utf8'), before);
      assert.deepEqual(filesIn(), ['history.json']);
      assert.ok(!('toJSON' in (store.get('a')?.report ?? {})), 'memory still holds the old entry');
      await store.add(sampleEntry('b', 2));
      assert.deepEqual(fileOnDisk().entries.map((e) => e.id), ['b', 'a'], 'the queue keeps working after a failure');
    });

    it('serialise: many concurrent adds and updates all land', async () => {
      const store = newStore();
      await store.add(sampleEntry('counter', 0, { line: 1 }));
      const work: Promise<unknown>[] = [];
      for (let i = 1; i <= 20; i++) {
        work.push(store.add(sampleEntry(`e${i}`, i)));
        work.push(store.update('counter', (e) => ({ ...e, line: e.line + 1 })));
      }
      await Promise.all(work);
      assert.equal(store.get('counter')?.line, 21);
      const reopened = newStore();
      await reopened.load();
      assert.equal(reopened.list().length, 21);
      assert.equal(reopened.get('counter')?.line, 21);
      assert.deepEqual(filesIn(), ['history.json']);
    });

    it('load before the first mutation even if the host never called load()', async () => {
      await newStore().add(sampleEntry('a', 1));
      const second = newStore();
      await second.add(sampleEntry('b', 2));
      assert.deepEqual(second.list().map((e) => e.id), ['b', 'a']);
    });
  });

  describe('atomic file replacement', () => {
    it('replaces the target and removes its temp file when the rename fails midway', async () => {
      const target = join(dir, 'out.json');
      await writeFileAtomic(target, 'one');
      assert.equal(readFileSync(target, 'utf8'), 'one');
      // A directory where the file should go: the temp file is written and synced, then the rename fails.
      const blocked = join(dir, 'blocked.json');
      mkdirSync(join(blocked, 'child'), { recursive: true });
      await assert.rejects(writeFileAtomic(blocked, 'two'));
      assert.deepEqual(filesIn(), ['blocked.json', 'out.json']);
    });

    it('sweeps temp files of writes that died, but not fresh ones that may be in progress', async () => {
      const target = join(dir, 'history.json');
      writeFileSync(join(dir, 'history.json.123-dead.tmp'), '{"version":1,"entr');
      writeFileSync(join(dir, 'history.json.456-live.tmp'), '{');
      writeFileSync(join(dir, 'other.json.1-x.tmp'), '');
      const old = new Date(Date.now() - 10 * 60_000);
      utimesSync(join(dir, 'history.json.123-dead.tmp'), old, old);
      assert.equal(await removeStaleTempFiles(target, 60_000), 1);
      assert.deepEqual(filesIn(), ['history.json.456-live.tmp', 'other.json.1-x.tmp']);
    });
  });

  describe('recovery', () => {
    const clock = (): Date => new Date('2026-11-21T17:00:00.000Z');

    it('sets a corrupt file aside, reports it once, starts empty, and the next add works', async () => {
      writeFileSync(join(dir, 'history.json'), '{"version":1,"entries":[{"id":');
      const store = newStore({ now: clock });
      await store.load();
      assert.deepEqual(store.list(), []);
      assert.deepEqual(filesIn(), ['history.corrupt-2026-11-21T17-00-00-000Z.json']);
      assert.equal(problems.length, 1);
      assert.match(problems[0] ?? '', /not valid JSON.*moved to .*history\.corrupt-2026-11-21T17-00-00-000Z\.json/);
      await store.add(sampleEntry('a', 1));
      assert.deepEqual(fileOnDisk().entries.map((e) => e.id), ['a']);
      assert.equal(readFileSync(join(dir, 'history.corrupt-2026-11-21T17-00-00-000Z.json'), 'utf8'), '{"version":1,"entries":[{"id":');
      assert.equal(problems.length, 1);
    });

    it('does not overwrite an earlier set-aside file with the same time stamp', async () => {
      for (let i = 0; i < 2; i++) {
        writeFileSync(join(dir, 'history.json'), `garbage ${i}`);
        await newStore({ now: clock }).load();
      }
      assert.deepEqual(filesIn(), ['history.corrupt-2026-11-21T17-00-00-000Z-1.json', 'history.corrupt-2026-11-21T17-00-00-000Z.json']);
    });

    it('sets aside valid JSON that is not a history', async () => {
      writeFileSync(join(dir, 'history.json'), '[1, 2, 3]');
      await newStore({ now: clock }).load();
      assert.match(problems[0] ?? '', /not a Perfloop history/);
      assert.deepEqual(filesIn(), ['history.corrupt-2026-11-21T17-00-00-000Z.json']);
    });

    it('sets aside a file from a newer version, saying so', async () => {
      writeFileSync(join(dir, 'history.json'), JSON.stringify({ version: 2, runs: [] }));
      const store = newStore({ now: clock });
      await store.load();
      assert.deepEqual(store.list(), []);
      assert.deepEqual(filesIn(), ['history.v2-2026-11-21T17-00-00-000Z.json']);
      assert.match(problems[0] ?? '', /newer version of Perfloop \(format 2\)/);
    });

    it('leaves out invalid entries, keeps the valid ones, and keeps the original as a copy', async () => {
      const good = sampleEntry('good', 2);
      const badTime = { ...sampleEntry('bad-time', 1), createdAt: 'last tuesday' };
      const noReport = { ...sampleEntry('no-report', 3), report: undefined };
      const original = JSON.stringify({ version: 1, entries: [noReport, good, badTime, good] });
      writeFileSync(join(dir, 'history.json'), original);
      const store = newStore({ now: clock });
      await store.load();
      assert.deepEqual(store.list().map((e) => e.id), ['good']);
      assert.equal(problems.length, 1);
      assert.match(problems[0] ?? '', /3 entries .* left out \(entry no-report: report: .*\)\. The original file was kept as .*history\.corrupt-/);
      assert.equal(readFileSync(join(dir, 'history.corrupt-2026-11-21T17-00-00-000Z.json'), 'utf8'), original);
      assert.deepEqual(fileOnDisk().entries.map((e) => e.id), ['good'], 'rewritten at once, so the problem is reported once');
      await newStore().load();
      assert.equal(problems.length, 1);
    });

    it('reports through a throwing onProblem without failing', async () => {
      writeFileSync(join(dir, 'history.json'), 'nope');
      const store = new HistoryStore(dir, { onProblem: () => { throw new Error('host bug'); } });
      await store.load();
      await store.add(sampleEntry('a', 1));
      assert.equal(store.list().length, 1);
    });
  });

  describe('caps', () => {
    it('keeps the newest N entries', async () => {
      const store = newStore({ maxEntries: 3 });
      for (let i = 0; i < 5; i++) await store.add(sampleEntry(`e${i}`, i));
      assert.deepEqual(store.list().map((e) => e.id), ['e4', 'e3', 'e2']);
      assert.equal(fileOnDisk().entries.length, 3);
    });

    it('compacts old entries first (code goes, measurements stay), then drops the oldest', () => {
      const big = (id: string, minute: number): HistoryEntry => {
        const entry = sampleEntry(id, minute);
        entry.report = sampleReport(entry.createdAt, 'x'.repeat(50_000));
        return entry;
      };
      const entries = [big('e3', 3), big('e2', 2), big('e1', 1), big('e0', 0)];
      const full = entryBytes(entries[0] as HistoryEntry);
      const small = entryBytes(compactEntry(entries[0] as HistoryEntry));
      assert.ok(small < full / 10);

      const compacted = capHistory(entries, { maxEntries: 10, maxBytes: 2 * full + 2 * small + 200 });
      assert.deepEqual(compacted.entries.map((e) => [e.id, Boolean(e.compacted)]), [['e3', false], ['e2', false], ['e1', true], ['e0', true]]);
      assert.equal(compacted.dropped, 0);
      const old = compacted.entries[3];
      assert.equal(old?.report.best?.patchedFileText, '');
      assert.equal(old?.report.candidates.find((c) => c.id === 'c2')?.code, '', 'code of other candidates dropped');
      assert.match(old?.report.candidates.find((c) => c.id === 'c1')?.code ?? '', /sorted\(set/, 'the best keeps its code');
      assert.equal(old?.report.workload?.generatorSource, undefined);
      assert.equal(old?.report.best?.diff, entries[3]?.report.best?.diff, 'the diff stays');
      assert.deepEqual(old?.best, entries[3]?.best, 'measurements stay');

      const dropped = capHistory(entries, { maxEntries: 10, maxBytes: full + small + 200 });
      assert.deepEqual(dropped.entries.map((e) => [e.id, Boolean(e.compacted)]), [['e3', false], ['e2', true]]);
      assert.equal(dropped.dropped, 2);

      const tiny = capHistory(entries, { maxEntries: 10, maxBytes: 10 });
      assert.deepEqual(tiny.entries.map((e) => [e.id, Boolean(e.compacted)]), [['e3', false]], 'the newest is always kept whole');
    });

    it('applies the size cap on write, and compacted entries validate when read back', async () => {
      const store = newStore({ maxBytes: 60_000 });
      for (let i = 0; i < 3; i++) {
        const entry = sampleEntry(`e${i}`, i);
        entry.report = sampleReport(entry.createdAt, 'y'.repeat(20_000));
        await store.add(entry);
      }
      assert.deepEqual(store.list().map((e) => Boolean(e.compacted)), [false, false, true]);
      assert.ok(readFileSync(join(dir, 'history.json')).length <= 60_000);
      const reopened = newStore();
      await reopened.load();
      assert.equal(reopened.list().length, 3);
      assert.deepEqual(problems, []);
    });
  });

  describe('exports', () => {
    it('exports JSON in the file format, which reads back to the same entries', async () => {
      const store = newStore();
      await store.add(sampleEntry('a', 1));
      await store.add(sampleEntry('b', 2, { outcome: 'failed' }));
      const exported = store.exportJson();
      assert.match(exported, /^\{\n {2}"version": 1,/);
      const parsed = parseHistoryFile(fromHistoryJson(exported));
      assert.equal(parsed.kind, 'ok');
      assert.deepEqual(parsed.kind === 'ok' && parsed.entries, store.list());
    });

    it('exports a Markdown table with the file shown as the host likes', async () => {
      const store = newStore();
      await store.add(sampleEntry('a', 1));
      const markdown = store.exportMarkdown({ displayPath: (f) => f.replace('/project/', ''), formatTime: (iso) => iso.slice(0, 16) });
      assert.match(markdown, /\| 2026-11-21T15:01 \| `find_duplicates` \| dupes\.py:3 \| improved \| 2\.41× \[2\.30–2\.52\] \| no \|/);
    });
  });
});

describe('change emitter', () => {
  it('calls every listener even when one throws, and forgets disposed ones', () => {
    const emitter = new ChangeEmitter<number>();
    const heard: number[] = [];
    const errors: unknown[] = [];
    emitter.event(() => { throw new Error('listener bug'); });
    const second = emitter.event((n) => heard.push(n));
    emitter.fire(1, (e) => errors.push(e));
    second.dispose();
    emitter.fire(2, (e) => errors.push(e));
    assert.deepEqual(heard, [1]);
    assert.equal(errors.length, 2);
  });
});
