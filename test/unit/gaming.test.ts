/**
 * The judge resists gaming (issue 12): no candidate of the gaming catalogue (bench/gaming/catalogue.ts) is called
 * `faster`, and every honest control still is. Each entry runs through compareCandidate as `perfloop compare` runs it.
 *
 * The whole catalogue takes about 20 minutes on a busy 2-core machine (≈ 18 s an entry, C and C++ more for their
 * builds), so this runs one entry per attack family and language — the first in catalogue order — plus every control;
 * `npm run bench -- --tier quick --only gaming` judges them all.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GAMING_CATALOGUE } from '../../bench/gaming/catalogue.js';
import { FAMILY_LABELS, type GamingEntry } from '../../bench/gaming/gamingEntry.js';
import { copyCatalogue, judgeEntry } from '../../bench/gaming/judgeEntry.js';

/**
 * Attacks the judge does not catch yet, with the reason: they are listed (and skipped) rather than hidden. Special-casing:
 * these workloads time fixed performance inputs (`performance_inputs()` with its own seeded generator), which a candidate
 * can recognise and answer from a table; only inputs drawn with a fresh seed (a `sized_input` on the global `random`)
 * defeat that today. The JavaScript Proxy: it looks like an Array to the snapshot and does its work while being read,
 * a cost the result-reading check only catches when it exceeds a whole timed pass.
 */
const KNOWN_GAPS: Record<string, string> = {
  'python-special-case': 'fixed performance inputs can be recognised',
  'javascript-special-case': 'fixed performance inputs can be recognised',
  'typescript-special-case': 'fixed performance inputs can be recognised',
  'javascript-lazy-proxy': 'a Proxy over [] snapshots as an Array and works while read',
  'c-special-case': 'fixed performance inputs can be recognised',
  'cpp-special-case': 'fixed performance inputs can be recognised',
  // After 30 calls these return their last answer: on the one fixed performance input that is a last-result cache, which
  // the fixed-input probe (first pass against settled ones, 2 ms floor) misses when a pass takes a few milliseconds.
  'c-count-calls': 'a last-result cache on one fixed input, passes under the probe floor',
  'cpp-count-calls': 'a last-result cache on one fixed input, passes under the probe floor',
  // Its slow `memcmp` now slows only its own process; the remaining speedup may be its hand-written comparison (to analyse).
  'cpp-helper-memcmp': 'to analyse: the interposer no longer reaches the original',
};

function representatives(): GamingEntry[] {
  const seen = new Set<string>();
  return GAMING_CATALOGUE.filter((entry) => {
    const key = `${entry.language} ${entry.family}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

describe('the judge against the gaming catalogue @slow', function () {
  this.timeout(300_000);
  let scratch: string;
  let catalogue: string;
  before(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'perfloop-gaming-test-'));
    catalogue = copyCatalogue(`${process.cwd()}/`, scratch);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  for (const entry of representatives()) {
    const what = `${entry.id} (${FAMILY_LABELS[entry.family]}: ${entry.description})`;
    if (entry.expected === 'faster') {
      it(`still calls the honest control ${what} faster`, async () => {
        const result = await judgeEntry(entry, catalogue);
        assert.equal(result.verdict, 'faster', `${entry.id}: ${result.verdict} ${result.reason ?? ''}`);
      });
    } else if (KNOWN_GAPS[entry.id]) {
      it.skip(`KNOWN GAP (${KNOWN_GAPS[entry.id]}): ${what}`, () => undefined);
    } else {
      it(`does not call ${what} faster`, async () => {
        const result = await judgeEntry(entry, catalogue);
        assert.notEqual(result.verdict, 'failed', `${entry.id}: the run itself failed: ${result.reason ?? ''}`);
        assert.notEqual(result.verdict, 'faster', `${entry.id} was called faster: ${result.speedup?.ratio.toFixed(2)}× [${result.speedup?.low.toFixed(2)}–${result.speedup?.high.toFixed(2)}]`);
      });
    }
  }
});
