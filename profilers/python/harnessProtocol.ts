/**
 * The JSON the runner writes for the Python harness (job.json) and reads back (result.json, progress.json). The harness
 * is a separate program, so its answers are validated here like any other outside input.
 */
import { z } from 'zod';

export const HARNESS_PROTOCOL_VERSION = 1;

export const harnessModes = ['workload', 'verify', 'time', 'count', 'memory', 'profile', 'complexity'] as const;
export type HarnessMode = (typeof harnessModes)[number];

const programSpec = z.object({
  /** File in the work directory holding the module source. */
  path: z.string(),
  functionName: z.string(),
  /** The user's file the program came from, when known: becomes the module's `__file__`. */
  filePath: z.string().optional(),
});

const workloadSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('json'), correctness: z.array(z.array(z.unknown())), performance: z.array(z.array(z.unknown())) }),
  /** `path` is the user's module (for `__file__` and tracebacks); its text is copied to `sourcePath`. */
  z.object({ kind: z.literal('module'), path: z.string(), sourcePath: z.string() }),
  z.object({ kind: z.literal('generator'), sourcePath: z.string() }),
]);

export const harnessJob = z.object({
  mode: z.enum(harnessModes),
  /** `original` + `candidate` for verify/time; `original` for workload; `program` for single-program modes. */
  programs: z.object({ original: programSpec.optional(), candidate: programSpec.optional(), program: programSpec.optional() }),
  workload: workloadSpec,
  /** Prepended to sys.path: directories of the user's file and workload module. */
  searchPaths: z.array(z.string()),
  seed: z.number().int(),
  floatTolerance: z.number().nonnegative(),
  /** Limit of one call (SIGALRM) for the original, the generator and imports; candidates get less (see verify.py). */
  callTimeoutSeconds: z.number().positive(),
  resultPath: z.string(),
  progressPath: z.string(),
  /** Size for `sized_input` when the workload has no performance inputs; null = calibrate (timing-dependent). */
  sizedN: z.number().int().positive().nullable(),
  /** Calibration target: one original call on the sized input should take about this long. */
  perfCallSeconds: z.number().positive(),
  maxSizedN: z.number().int().positive(),
  mutatesArguments: z.boolean(),
  samples: z.number().int().nonnegative(),
  sampleSeconds: z.number().positive(),
  /** count mode: 0 = everything but the calls, 1 = one call per performance input. */
  calls: z.number().int().nonnegative(),
  profileSeconds: z.number().positive(),
  maxPoints: z.number().int().nonnegative(),
  maxSecondsPerCall: z.number().positive(),
  complexityStartSize: z.number().int().positive(),
  /** complexity mode stops growing sizes after this long. */
  budgetSeconds: z.number().positive(),
});
export type HarnessJob = z.infer<typeof harnessJob>;

const sides = z.enum(['original', 'candidate', 'program', 'workload']);

const harnessError = z.object({
  kind: z.enum(['program', 'workload', 'internal']),
  side: sides.optional(),
  message: z.string(),
  line: z.number().int().nullable().optional(),
  detail: z.string().optional(),
});
export type HarnessError = z.infer<typeof harnessError>;

const envelope = {
  protocol: z.literal(HARNESS_PROTOCOL_VERSION),
  python: z.string(),
  hashRandomization: z.boolean(),
};

export const harnessResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), mode: z.enum(harnessModes), sizedN: z.number().int().nullable(), data: z.unknown(), ...envelope }),
  z.object({ ok: z.literal(false), error: harnessError, ...envelope }),
]);
export type HarnessResult = z.infer<typeof harnessResult>;

export const workloadData = z.object({
  correctnessCount: z.number().int(),
  performanceCount: z.number().int(),
  sizeable: z.boolean(),
  examples: z.array(z.string()),
  originalMutatesArguments: z.boolean(),
  originalRaisedOn: z.number().int(),
});

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

export const countData = z.object({ calls: z.number().int(), raised: z.number().int() });

export const memoryData = z.object({ peakBytes: z.number().nonnegative(), maxRssBytes: z.number().nonnegative() });

export const profileData = z.object({
  entries: z.array(z.object({
    line: z.number().int(),
    text: z.string(),
    hits: z.number().int(),
    timeSeconds: z.number(),
    timeShare: z.number(),
    memoryBytes: z.number(),
  })),
  totalSeconds: z.number(),
  callsProfiled: z.number().int(),
  truncated: z.boolean(),
});

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
