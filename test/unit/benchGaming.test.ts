/**
 * The gaming section of `npm run bench` (bench/gaming/): its catalogue is complete and well formed, its figures count
 * what they say, and the section runs end to end on the tiny tier. Whether the judge resists the catalogue is
 * test/unit/gaming.test.ts's question; here no verdict is asserted.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBench } from '../../bench/run.js';
import { BEFORE_FIX } from '../../bench/gaming/beforeFix.js';
import { GAMING_CATALOGUE } from '../../bench/gaming/catalogue.js';
import { entriesForTier, gamingFigures, gamingNotes, gamingSection, gamingTables, type JudgedEntry } from '../../bench/gaming/gamingSection.js';
import { BENCH_SECTIONS } from '../../bench/sections.js';
import { LANGUAGE_LABELS, type AttackFamily, type GamingLanguage } from '../../bench/gaming/gamingEntry.js';
import type { BenchResults } from '../../bench/types.js';

const GAMING = path.join(process.cwd(), 'bench', 'gaming');
const INPUT_EXTENSIONS: Record<GamingLanguage, string> = { python: 'py', javascript: 'mjs', typescript: 'ts', c: 'cpp', cpp: 'cpp' };

describe('the gaming catalogue', () => {
  it('holds at least 30 gaming candidates and one honest control per language, with unique ids', () => {
    const gaming = GAMING_CATALOGUE.filter((e) => e.expected === 'not-faster');
    assert.ok(gaming.length >= 30, `${gaming.length} gaming entries`);
    assert.equal(new Set(GAMING_CATALOGUE.map((e) => e.id)).size, GAMING_CATALOGUE.length);
    for (const language of Object.keys(LANGUAGE_LABELS) as GamingLanguage[]) {
      const controls = GAMING_CATALOGUE.filter((e) => e.language === language && e.family === 'control');
      assert.equal(controls.length, 1, `${language}: one control`);
      assert.equal(controls[0]?.expected, 'faster');
      assert.ok(gaming.some((e) => e.language === language), `${language}: gaming entries`);
    }
  });

  it('covers every attack family, and only controls are expected to be faster', () => {
    const families: AttackFamily[] = [
      'forge-checker', 'patch-clock', 'patch-original-helper', 'cache', 'count-calls', 'read-stack', 'special-case-input',
      'lazy-result', 'aliasing', 'asymmetric-thread', 'read-secrets',
    ];
    for (const family of families) assert.ok(GAMING_CATALOGUE.some((e) => e.family === family), family);
    for (const entry of GAMING_CATALOGUE) assert.equal(entry.expected === 'faster', entry.family === 'control', entry.id);
  });

  it('names files that exist, each original with its inputs module next to it', () => {
    for (const entry of GAMING_CATALOGUE) {
      assert.ok(existsSync(path.join(GAMING, entry.candidate)), `${entry.id}: ${entry.candidate}`);
      const original = path.join(GAMING, entry.original);
      assert.ok(existsSync(original), `${entry.id}: ${entry.original}`);
      const stem = original.slice(0, original.lastIndexOf('.'));
      assert.ok(existsSync(`${stem}.perfloop.${INPUT_EXTENSIONS[entry.language]}`), `${entry.id}: inputs module`);
      assert.ok(entry.id.startsWith(`${entry.language}-`), entry.id);
    }
  });

  it('is a registered bench section that judges a few entries on the tiny tier, a control among them, and all at quick and full', () => {
    assert.ok(BENCH_SECTIONS.includes(gamingSection));
    assert.equal(gamingSection.id, 'gaming');
    const tiny = entriesForTier('tiny');
    assert.ok(tiny.length >= 2 && tiny.length <= 5, `${tiny.length} tiny entries`);
    assert.ok(tiny.some((e) => e.expected === 'faster'));
    assert.equal(entriesForTier('quick').length, GAMING_CATALOGUE.length);
    assert.equal(entriesForTier('full').length, GAMING_CATALOGUE.length);
  });

  it('has a before-the-fix verdict for every entry, measured at a named commit', () => {
    assert.match(BEFORE_FIX.commit, /^[0-9a-f]{7,40}$/);
    assert.match(BEFORE_FIX.command, /npm run bench|node /);
    for (const entry of GAMING_CATALOGUE) assert.ok(BEFORE_FIX.verdicts[entry.id], `${entry.id}: no before-the-fix verdict`);
  });
});

describe('the gaming figures', () => {
  const [control, first, second] = [
    GAMING_CATALOGUE.find((e) => e.id === 'python-control'),
    GAMING_CATALOGUE.find((e) => e.id === 'python-forge-sys-modules'),
    GAMING_CATALOGUE.find((e) => e.id === 'c-forge-write'),
  ];
  assert.ok(control && first && second);
  const judged: JudgedEntry[] = [
    { entry: control, result: { id: control.id, verdict: 'faster', speedup: { ratio: 14, low: 12, high: 16 }, secretInReport: false, seconds: 1 } },
    { entry: first, result: { id: first.id, verdict: 'faster', speedup: { ratio: 90, low: 80, high: 99 }, secretInReport: false, seconds: 1 } },
    { entry: second, result: { id: second.id, verdict: 'incorrect', reason: '3 of 9 inputs behave differently', secretInReport: true, seconds: 1 } },
  ];

  it('count gaming candidates called faster, in all and per language, beside the before-the-fix count', () => {
    const figures = gamingFigures(judged);
    const all = figures.find((f) => /all languages/.test(f.name));
    assert.deepEqual([all?.perfloop.value, all?.perfloop.display, all?.target?.met], [1, '1 of 2', false]);
    assert.match(all?.baselines?.[0]?.method ?? '', /before the fix/);
    assert.equal(figures.find((f) => /, C$/.test(f.name))?.perfloop.value, 0);
    assert.equal(figures.find((f) => /JavaScript/.test(f.name)), undefined, 'no figure for a language not judged');
    const controls = figures.find((f) => /controls/.test(f.name));
    assert.deepEqual([controls?.perfloop.display, controls?.target?.met], ['1 of 1', true]);
  });

  it('list the entries called faster with their speedups, and a leaked secret', () => {
    const notes = gamingNotes(judged).join('\n');
    assert.match(notes, /python-forge-sys-modules \(90\.0?0?×/);
    assert.match(notes, /canary appears in the report of: c-forge-write/);
    const [perEntry, perFamily] = gamingTables(judged);
    assert.equal(perEntry?.rows.length, 3);
    assert.ok(perEntry?.rows.every((row) => row.length === perEntry.columns.length));
    assert.deepEqual(perFamily?.rows.map((row) => row[0]), ['forging the checker']);
  });
});

describe('bench gaming section on the tiny tier @slow', function () {
  this.timeout(900_000);
  let out: string;
  let results: BenchResults;
  before(async () => {
    out = mkdtempSync(path.join(os.tmpdir(), 'perfloop-bench-gaming-test-'));
    results = await runBench({ tier: 'tiny', only: ['gaming'], outDir: out, dataDir: out, log: () => {} });
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('judges the tiny entries through the engine and reports figures, tables and notes', () => {
    const section = results.sections.find((s) => s.id === 'gaming');
    assert.ok(section, 'no gaming section');
    assert.equal(section.error, undefined, `gaming failed: ${section.error}`);
    const names = section.figures.map((f) => f.name);
    assert.ok(names.some((n) => /Gaming candidates called `faster`, all languages/.test(n)), names.join('\n'));
    assert.ok(names.some((n) => /controls still called/.test(n)));
    for (const figure of section.figures) {
      assert.ok(figure.perfloop.value !== null && Number.isFinite(figure.perfloop.value), figure.name);
      assert.ok(figure.baselines?.every((b) => b.method.length > 0 && b.display.length > 0));
    }
    const details = section.details as { entries: { id: string; verdict: string }[] };
    assert.deepEqual(details.entries.map((e) => e.id), entriesForTier('tiny').map((e) => e.id));
    assert.ok(details.entries.every((e) => e.verdict !== 'failed'), JSON.stringify(details.entries));
    for (const table of section.tables ?? []) {
      for (const row of table.rows) assert.equal(row.length, table.columns.length, table.title);
    }
    assert.match(readFileSync(path.join(out, 'latest.md'), 'utf8'), /## Gaming candidates the judge calls faster/);
  });
});
