// Judges a candidate's outcomes-mode result against the original's as Perfloop does (profilers/judge/outcomes.ts),
// then checks optional expectations: JavaScript expressions over `v` (the verdict).
//   node judge.mjs <original result.json> <candidate result.json> <float tolerance> ['expression' ...]
import { readFileSync } from 'node:fs';
import { judgeOutcomes, outcomesData } from '../../../../out/profilers/judge/outcomes.js';

const [originalPath, candidatePath, tolerance, ...expectations] = process.argv.slice(2);
const read = (file) => outcomesData.parse(JSON.parse(readFileSync(file, 'utf8')).data);
const v = judgeOutcomes(read(originalPath), read(candidatePath), Number(tolerance));
console.log(`  verdict: ${JSON.stringify(v).slice(0, 1500)}`);
let failed = false;
for (const expression of expectations) {
  let value;
  try {
    value = new Function('v', `return (${expression});`)(v);
  } catch (error) {
    value = `threw ${error}`;
  }
  if (value !== true) {
    failed = true;
    console.log(`  FAIL: expected ${expression} (got ${JSON.stringify(value)})`);
  }
}
console.log(failed ? '  verdict expectations: FAILED' : '  verdict expectations: ok');
process.exit(failed ? 1 : 0);
