/**
 * The JSON the runner writes for the JavaScript harness (job.json) and reads back (result.json, progress.json). The
 * per-mode data are the Python harness's schemas: both harnesses answer the same LanguageRunner questions.
 */
import { z } from 'zod';

export {
  complexityData,
  countData,
  harnessProgress,
  memoryData,
  timeData,
  verifyData,
  workloadData,
  type HarnessProgress,
} from '../python/harnessProtocol.js';

export const JS_HARNESS_PROTOCOL_VERSION = 1;

export const jsHarnessModes = ['workload', 'verify', 'time', 'count', 'memory', 'profile', 'complexity'] as const;
export type JsHarnessMode = (typeof jsHarnessModes)[number];

const programSpec = z.object({
  /** The program module in the work directory (already JavaScript: TypeScript is transpiled before it is written). */
  path: z.string(),
  functionName: z.string(),
  /** The user's file: the program's imports resolve from there. */
  filePath: z.string().optional(),
});

export const jsHarnessJob = z.object({
  mode: z.enum(jsHarnessModes),
  programs: z.object({ original: programSpec.optional(), candidate: programSpec.optional(), program: programSpec.optional() }),
  workload: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('json'), correctness: z.array(z.array(z.unknown())), performance: z.array(z.array(z.unknown())) }),
    /** `path` is the user's module (imports resolve from it); its transpiled text is at `sourcePath`. */
    z.object({ kind: z.literal('module'), path: z.string(), sourcePath: z.string() }),
  ]),
  floatTolerance: z.number().nonnegative(),
  resultPath: z.string(),
  progressPath: z.string(),
  /** Size for sizedInput; null = calibrate on the original (timing-dependent, so the runner fixes it afterwards). */
  sizedN: z.number().int().positive().nullable(),
  perfCallSeconds: z.number().positive(),
  maxSizedN: z.number().int().positive(),
  mutatesArguments: z.boolean(),
  samples: z.number().int().nonnegative(),
  sampleSeconds: z.number().positive(),
  budgetSeconds: z.number().positive(),
  maxPoints: z.number().int().nonnegative(),
  maxSecondsPerCall: z.number().positive(),
  complexityStartSize: z.number().int().positive(),
  /** profile mode: how long to keep calling the program under the CPU profiler. */
  profileSeconds: z.number().positive(),
  /** count mode: 0 = everything but the calls, 1 = one call per performance input. */
  calls: z.number().int().nonnegative(),
  /** Echoed in result.json; the harness deletes job.json before loading any program (see harness/main.mjs). */
  nonce: z.string(),
});
export type JsHarnessJob = z.infer<typeof jsHarnessJob>;

const harnessError = z.object({
  kind: z.enum(['program', 'workload', 'internal']),
  side: z.enum(['original', 'candidate', 'program', 'workload']).optional(),
  message: z.string(),
  detail: z.string().optional(),
});

const envelope = { protocol: z.literal(JS_HARNESS_PROTOCOL_VERSION), node: z.string(), nonce: z.string() };

export const jsHarnessResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), mode: z.enum(jsHarnessModes), sizedN: z.number().int().nullable(), data: z.unknown(), ...envelope }),
  z.object({ ok: z.literal(false), error: harnessError, ...envelope }),
]);
export type JsHarnessResult = z.infer<typeof jsHarnessResult>;

/** Self-time ticks per line of the program module (1-based lines of the module, not of the function). */
export const jsProfileData = z.object({
  lines: z.array(z.object({ line: z.number().int().positive(), ticks: z.number().int().nonnegative(), seconds: z.number().nonnegative() })),
  secondsPerTick: z.number().nonnegative(),
  callsProfiled: z.number().int().nonnegative(),
});
