/**
 * The JSON the runner writes for the JavaScript harness (job.json) and reads back (result.json, progress.json). The
 * per-mode data are the shared schemas (profilers/harnessProtocol.ts): both harnesses answer the same LanguageRunner questions.
 */
import { z } from 'zod';
import { harnessError, harnessModes, sharedJobFields, workloadData } from '../harnessProtocol.js';

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

/** The shared modes, and `inputs`: an LLM-written generator's inputs made apart from the code under test (harness/inputsData.mjs). */
export const jsHarnessModes = [...harnessModes, 'inputs'] as const;
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
  /** outcomes, serve, count and memory: the inputs made by an inputs process, read instead of running the generator. */
  inputsFile: z.string().optional(),
  /** inputs mode: where the inputs file is written. */
  inputsOutPath: z.string().optional(),
  /** workload mode: whether to check that the inputs survive being passed as data (an LLM-written generator's). */
  inputsApart: z.boolean().optional(),
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

/** workload mode, with why an LLM-written generator's inputs cannot be data (then it runs beside the code under test). */
export const jsWorkloadData = workloadData.extend({ generatorBesideCode: z.string().optional() });

/** inputs mode: the inputs file was written, or why the inputs cannot be data. */
export const jsInputsData = z.union([z.object({ written: z.literal(true) }), z.object({ besideCode: z.string() })]);
