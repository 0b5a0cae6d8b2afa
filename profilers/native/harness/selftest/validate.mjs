// Checks a harness result.json (and progress.json) against the runner's schemas (profilers/harnessProtocol.ts, the
// envelope of native/nativeRunner.ts), then optional expectations: JavaScript expressions over `r` (the result) and
// `data` (r.data).
//   node validate.mjs <result.json> <mode> <nonce> ['expression' ...]
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import * as protocol from '../../../../out/profilers/harnessProtocol.js';
import { outcomesData } from '../../../../out/profilers/judge/outcomes.js';

const [resultPath, mode, nonce, ...expectations] = process.argv.slice(2);
const envelope = { protocol: z.literal(1), compiler: z.string(), nonce: z.literal(nonce) };
const result = z.discriminatedUnion('ok', [
  z.object({ ...envelope, ok: z.literal(true), mode: z.literal(mode), sizedN: z.number().int().nullable(), data: z.unknown() }).strict(),
  z.object({ ...envelope, ok: z.literal(false), error: protocol.harnessError.strict() }).strict(),
]);
const dataSchema = {
  workload: protocol.workloadData,
  outcomes: outcomesData.strict(),
  count: protocol.countData,
  memory: protocol.memoryData,
  complexity: protocol.complexityData,
}[mode];

let failed = false;
const problem = (message) => {
  failed = true;
  console.log(`  FAIL: ${message}`);
};
const r = JSON.parse(readFileSync(resultPath, 'utf8'));
const parsed = result.safeParse(r);
if (!parsed.success) problem(`envelope: ${parsed.error.message}`);
if (r.ok) {
  const data = dataSchema.safeParse(r.data);
  if (!data.success) problem(`data: ${data.error.message}`);
}
const progressPath = path.join(path.dirname(resultPath), 'progress.json');
if (existsSync(progressPath)) {
  const progress = protocol.harnessProgress.safeParse(JSON.parse(readFileSync(progressPath, 'utf8')));
  if (!progress.success) problem(`progress: ${progress.error.message}`);
}
for (const expression of expectations) {
  let value;
  try {
    value = new Function('r', 'data', `return (${expression});`)(r, r.data);
  } catch (error) {
    value = `threw ${error}`;
  }
  if (value !== true) problem(`expected ${expression} (got ${JSON.stringify(value)})`);
}
console.log(failed ? '  schema/expectations: FAILED' : '  schema/expectations: ok');
process.exit(failed ? 1 : 0);
