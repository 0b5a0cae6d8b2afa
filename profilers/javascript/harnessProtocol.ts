/**
 * The JSON the runner writes for the JavaScript harness (job.json) and reads back (result.json, progress.json). The
 * per-mode data are the shared schemas (profilers/harnessProtocol.ts): both harnesses answer the same LanguageRunner questions.
 */
import { z } from 'zod';
import { harnessError, harnessModes, sharedJobFields } from '../harnessProtocol.js';

export {
  complexityData,
  countData,
  harnessProgress,
  memoryData,
  timeData,
  verifyData,
  workloadData,
  type HarnessProgress,
} from '../harnessProtocol.js';

export const JS_HARNESS_PROTOCOL_VERSION = 1;

export const jsHarnessModes = harnessModes;
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
  ...sharedJobFields,
  /** Seeds Math.random before the program and the workload load, and before each checked call (harness/random.mjs). */
  seed: z.number().int(),
  /** Whether imports in the program and workload copies need the resolution hooks (false: already anchored). */
  importHooks: z.boolean(),
  /**
   * The project's resolution where Node's differs (profilers/javascript/projectImports.ts): `importer URL\nspecifier` →
   * URL, and compiled TypeScript copy URL → the user's file URL. Entries, not objects (see harness/main.mjs).
   */
  projectModules: z.object({ redirects: z.array(z.tuple([z.string(), z.string()])), parents: z.array(z.tuple([z.string(), z.string()])) }),
  /** Echoed in result.json; the harness deletes job.json before loading any program (see harness/main.mjs). */
  nonce: z.string(),
});
export type JsHarnessJob = z.infer<typeof jsHarnessJob>;

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
