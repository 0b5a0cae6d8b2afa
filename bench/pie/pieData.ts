/**
 * The PIE program pairs (pie_python.dev.jsonl): parsing at the border, which pairs are eligible, which sample test is
 * timed, and which pairs a tier measures. Pure apart from reading the file.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { createRandom } from '../../profilers/stats/random.js';

const programSchema = z.object({
  program: z.string().min(1),
  judge_cpu_time_ms: z.number().nonnegative(),
  pie_measured_runtime_s: z.number().positive(),
});
const runHereSchema = z.object({ ok: z.boolean().optional(), seconds_here: z.number().optional() });
const rowSchema = z.object({
  id: z.string(),
  problem_id: z.string(),
  problem_name: z.string().optional(),
  slow_reference: programSchema,
  fast_references: z.array(programSchema.extend({ pie_runtime_lift: z.number().positive() })).min(1),
  tests: z.array(z.object({ input: z.string(), expected_output: z.string() })),
  verification_here: z.object({
    both_pass_all: z.boolean(),
    slow: z.array(runHereSchema).optional(),
    fast: z.array(runHereSchema).optional(),
  }),
});

export interface PieTest {
  input: string;
  expectedOutput: string;
}

export interface PiePair {
  id: string;
  problemId: string;
  problemName: string;
  slowProgram: string;
  fastProgram: string;
  /** PIE's measured runtime of the slow program over that of the fast one (their hidden, larger tests). */
  publishedLift: number;
  /** The judge's CPU time of the slow submission over the fast one's; undefined when the fast one shows 0 ms. */
  judgeRatio: number | undefined;
  /** PIE's measured runtime of the slow program, seconds. */
  pieSlowSeconds: number;
  tests: PieTest[];
  /** The data set's own check: both programs pass every sample test. */
  passesHere: boolean;
  /** Seconds per sample test as the data set recorded them (one run each, another machine), when complete. */
  recordedSeconds?: { slow: number[]; fast: number[] };
}

function recordedSeconds(runs: z.infer<typeof runHereSchema>[] | undefined, tests: number): number[] | undefined {
  if (!runs || runs.length !== tests) return undefined;
  const seconds = runs.map((run) => run.seconds_here);
  return seconds.every((s): s is number => s !== undefined && Number.isFinite(s)) ? seconds : undefined;
}

export function parsePieRow(row: unknown): PiePair {
  const parsed = rowSchema.parse(row);
  // Each row holds one pair in this split; the first fast reference is the one PIE's lift refers to.
  const fast = parsed.fast_references[0] as z.infer<typeof rowSchema>['fast_references'][number];
  const slowSeconds = recordedSeconds(parsed.verification_here.slow, parsed.tests.length);
  const fastSeconds = recordedSeconds(parsed.verification_here.fast, parsed.tests.length);
  return {
    id: parsed.id,
    problemId: parsed.problem_id,
    problemName: parsed.problem_name ?? parsed.problem_id,
    slowProgram: parsed.slow_reference.program,
    fastProgram: fast.program,
    publishedLift: fast.pie_runtime_lift,
    judgeRatio: fast.judge_cpu_time_ms > 0 ? parsed.slow_reference.judge_cpu_time_ms / fast.judge_cpu_time_ms : undefined,
    pieSlowSeconds: parsed.slow_reference.pie_measured_runtime_s,
    tests: parsed.tests.map((t) => ({ input: t.input, expectedOutput: t.expected_output })),
    passesHere: parsed.verification_here.both_pass_all,
    ...(slowSeconds && fastSeconds ? { recordedSeconds: { slow: slowSeconds, fast: fastSeconds } } : {}),
  };
}

export function loadPiePairs(file: string): PiePair[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line, index) => {
      try {
        return parsePieRow(JSON.parse(line));
      } catch (error) {
        throw new Error(`${file}:${index + 1}: not a PIE pair (${error instanceof Error ? error.message.slice(0, 300) : String(error)})`);
      }
    });
}

/**
 * The sample test to time: the longest input (a larger case as a rule: more numbers, or larger ones). The run times the
 * data set recorded decide ties only — they are single runs dominated by start-up, and picked the trivial case of
 * many problems when tried first. Then the earlier test.
 */
export function heaviestTestIndex(pair: PiePair): number {
  if (pair.tests.length === 0) throw new Error(`${pair.id} has no sample tests`);
  const recorded = (i: number): number => (pair.recordedSeconds ? (pair.recordedSeconds.slow[i] as number) + (pair.recordedSeconds.fast[i] as number) : 0);
  const bytes = (i: number): number => Buffer.byteLength((pair.tests[i] as PieTest).input);
  let best = 0;
  for (let i = 1; i < pair.tests.length; i++) {
    const byLength = bytes(i) - bytes(best);
    if (byLength > 0 || (byLength === 0 && recorded(i) > recorded(best))) best = i;
  }
  return best;
}

export interface SelectionOptions {
  /** Pairs wanted; at least the number eligible means all of them. */
  count: number;
  seed: number;
  /** Leave out pairs whose slowest recorded sample run took longer (keeps the tiny tier within seconds). */
  maxRecordedSeconds?: number;
}

export interface PairSelection {
  eligible: number;
  /**
   * Groups of interchangeable pairs in measuring order: one pair is measured from each group, the next one in the
   * group standing in when a pair fails verification here. Groups are strata of the published lift, so a small
   * selection still spans its range (what a rank correlation needs).
   */
  strata: PiePair[][];
}

function shuffled<T>(items: readonly T[], random: ReturnType<typeof createRandom>): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

export function isEligible(pair: PiePair, maxRecordedSeconds?: number): boolean {
  if (!pair.passesHere || pair.tests.length === 0) return false;
  if (maxRecordedSeconds === undefined) return true;
  const recorded = pair.recordedSeconds;
  return recorded !== undefined && Math.max(...recorded.slow, ...recorded.fast) <= maxRecordedSeconds;
}

export function selectPairs(pairs: readonly PiePair[], options: SelectionOptions): PairSelection {
  if (!(Number.isInteger(options.count) && options.count > 0)) throw new Error(`selectPairs: count must be a positive integer, got ${options.count}`);
  const eligible = pairs
    .filter((pair) => isEligible(pair, options.maxRecordedSeconds))
    .sort((a, b) => a.publishedLift - b.publishedLift || a.id.localeCompare(b.id));
  const random = createRandom(options.seed);
  const groups = Math.min(options.count, eligible.length);
  const strata: PiePair[][] = [];
  for (let g = 0; g < groups; g++) {
    const start = Math.floor((g * eligible.length) / groups);
    const end = Math.floor(((g + 1) * eligible.length) / groups);
    strata.push(shuffled(eligible.slice(start, end), random));
  }
  // Measuring in random order keeps machine drift from lining up with the published lift.
  return { eligible: eligible.length, strata: shuffled(strata, random) };
}
