/**
 * The parts of the harness protocol both language harnesses share: the modes, the error shape, the per-mode data the
 * runner reads back from result.json and the progress file. Each harness adds its own job and result envelope.
 */
import { z } from 'zod';

/**
 * `outcomes` (one side's behaviour on every input, for profilers/judge/outcomes.ts) and `serve` (one side's timing worker,
 * driven by profilers/judge/timingCoordinator.ts) run a single program: comparisons happen in Perfloop, not in the harness.
 * `inputs` runs an LLM-written generator with the original only and writes what it made as data for the sides
 * (profilers/sizedWorkloads.ts, generatedInputs).
 */
export const harnessModes = ['workload', 'verify', 'time', 'count', 'memory', 'profile', 'complexity', 'outcomes', 'serve', 'equal', 'inputs'] as const;
export type HarnessMode = (typeof harnessModes)[number];

/** inputs mode (an LLM-written generator apart from the code): the size of the inputs file written, or why the inputs cannot be data. */
export const inputsData = z.union([z.object({ written: z.number().int() }), z.object({ besideCode: z.string() })]);

export const harnessSides = z.enum(['original', 'candidate', 'program', 'workload']);

export const harnessError = z.object({
  kind: z.enum(['program', 'workload', 'internal']),
  side: harnessSides.optional(),
  message: z.string(),
  detail: z.string().optional(),
});

/** The job fields both harnesses read alike; each job adds its programs, workload and harness-specific fields. */
export const sharedJobFields = {
  floatTolerance: z.number().nonnegative(),
  resultPath: z.string(),
  progressPath: z.string(),
  /** Size for the sized input when the workload has no performance inputs; null = calibrate (timing-dependent). */
  sizedN: z.number().int().positive().nullable(),
  /** Calibration target: one original call on the sized input should take about this long. */
  perfCallSeconds: z.number().positive(),
  maxSizedN: z.number().int().positive(),
  mutatesArguments: z.boolean(),
  samples: z.number().int().nonnegative(),
  sampleSeconds: z.number().positive(),
  /** count mode: 0 = everything but the calls, 1 = one call per performance input. */
  calls: z.number().int().nonnegative(),
  /** count mode: serialise each counted call's result after the calls, for the runner to check (counters/countedCalls.ts). */
  results: z.boolean(),
  /** profile mode: how long to keep calling the program under the profiler. */
  profileSeconds: z.number().positive(),
  maxPoints: z.number().int().nonnegative(),
  maxSecondsPerCall: z.number().positive(),
  complexityStartSize: z.number().int().positive(),
  /** complexity mode stops growing sizes after this long. */
  budgetSeconds: z.number().positive(),
  /** outcomes and serve modes: which side the one program is (its module is named after it). */
  side: z.enum(['original', 'candidate']).optional(),
  /**
   * equal mode: pairs of return values (snapshot texts, the original's first) for the user's `equal(a, b)` in their inputs
   * module. That process runs the user's inputs module and the original's classes only, on values that arrive as data.
   */
  pairs: z.array(z.tuple([z.string(), z.string()])).optional(),
  /** outcomes mode: a time limit per input, seconds (the candidate's, from the original's times). */
  limits: z.array(z.number().positive()).optional(),
  /**
   * serve mode: the original's results are lazy (Python iterators, JavaScript promises) and are finished inside the timed
   * call on both sides: the work of a generator or an async function is what it yields or resolves.
   */
  lazyResults: z.boolean().optional(),
};

export const workloadData = z.object({
  correctnessCount: z.number().int(),
  performanceCount: z.number().int(),
  sizeable: z.boolean(),
  /** The n of `sized_input(n)` when that made the timed input (no fixed performance inputs): the size figures hold at. */
  timedSizedN: z.number().int().positive().optional(),
  examples: z.array(z.string()),
  originalMutatesArguments: z.boolean(),
  originalRaisedOn: z.number().int(),
  callsChecked: z.number().int().optional(),
  performanceRaisedOn: z.number().int().optional(),
  firstRaised: z
    .object({ type: z.string(), message: z.string(), set: z.enum(['correctness', 'performance']), index: z.number().int(), input: z.string() })
    .optional(),
  /** Why an LLM-written generator's inputs cannot be passed to the sides as data (WorkloadSummary.generatorBesideCode). */
  generatorBesideCode: z.string().optional(),
});

/** equal mode: whether the inputs module defines `equal`, and its answer for each pair (false when it raised). */
export const equalData = z.object({ hook: z.boolean(), same: z.array(z.boolean()) });

export const counterexampleData = z.object({
  kind: z.enum(['return', 'mutation', 'exception', 'stdout', 'crash']),
  input: z.string(),
  expected: z.string(),
  actual: z.string(),
  inputSize: z.number(),
});

export const verifyData = z.discriminatedUnion('status', [
  z.object({ status: z.literal('equivalent'), inputsChecked: z.number().int() }),
  z.object({
    status: z.literal('different'),
    inputsChecked: z.number().int(),
    mismatches: z.number().int(),
    counterexample: counterexampleData,
  }),
  z.object({ status: z.literal('error'), reason: z.string(), detail: z.string().optional() }),
  z.object({ status: z.literal('timeout'), reason: z.string() }),
]);

const positiveSeconds = z.number().nonnegative();

export const timeData = z.object({
  original: z.array(positiveSeconds),
  candidate: z.array(positiveSeconds),
  loopsPerSample: z.number().int().positive(),
  timer: z.string(),
});

/** `results`: the counted calls' results as snapshot texts, when the job asked for them (profilers/counters/countedCalls.ts). */
export const countData = z.object({
  calls: z.number().int(),
  raised: z.number().int(),
  results: z.array(z.object({ value: z.string(), args: z.string() })).default([]),
});

export const memoryData = z.object({ peakBytes: z.number().nonnegative(), maxRssBytes: z.number().nonnegative() });

export const complexityData = z.object({
  points: z.array(z.object({ size: z.number().int().positive(), seconds: positiveSeconds })),
});

/** Which input the harness was on; read when the process died or was killed before writing a result. */
export const harnessProgress = z.object({
  side: z.string(),
  set: z.string(),
  index: z.number().int(),
  input: z.string(),
});
export type HarnessProgress = z.infer<typeof harnessProgress>;
