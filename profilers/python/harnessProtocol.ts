/**
 * The JSON the runner writes for the Python harness (job.json) and reads back (result.json, progress.json). The harness
 * is a separate program, so its answers are validated here like any other outside input.
 */
import { z } from 'zod';
import { harnessError as sharedHarnessError, harnessModes, sharedJobFields } from '../harnessProtocol.js';

export {
  complexityData,
  counterexampleData,
  countData,
  equalData,
  harnessModes,
  harnessProgress,
  memoryData,
  timeData,
  verifyData,
  workloadData,
  type HarnessMode,
  type HarnessProgress,
} from '../harnessProtocol.js';

export const HARNESS_PROTOCOL_VERSION = 1;

const programSpec = z.object({
  /** File in the work directory holding the module source. */
  path: z.string(),
  functionName: z.string(),
  /** The user's file the program came from, when known: becomes the module's `__file__`. */
  filePath: z.string().optional(),
  /** `__package__` of the module, as the project imports it: relative imports resolve against it. */
  packageName: z.string().optional(),
  /** The name the project imports the module by (`inventory.pricing`): for error messages. */
  moduleName: z.string().optional(),
});

const workloadSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('json'), correctness: z.array(z.array(z.unknown())), performance: z.array(z.array(z.unknown())) }),
  /** `path` is the user's module (for `__file__` and tracebacks); its text is copied to `sourcePath`. */
  z.object({ kind: z.literal('module'), path: z.string(), sourcePath: z.string(), packageName: z.string().optional() }),
  z.object({ kind: z.literal('generator'), sourcePath: z.string() }),
]);

export const harnessJob = z.object({
  mode: z.enum(harnessModes),
  /** `original` + `candidate` for verify/time; `original` for workload; `program` for single-program modes. */
  programs: z.object({ original: programSpec.optional(), candidate: programSpec.optional(), program: programSpec.optional() }),
  workload: workloadSpec,
  /** Prepended to sys.path: where the project imports the user's file and workload module from, and the project roots. */
  searchPaths: z.array(z.string()),
  /** sys.path of the interpreter outside the sandbox (PYTHONPATH, `.pth` folders): appended where missing. */
  interpreterPaths: z.array(z.string()).default([]),
  /** The working directory of the user's code: the project root. */
  workingDirectory: z.string().optional(),
  seed: z.number().int(),
  /** Limit of one call (SIGALRM) for the original, the generator and imports; candidates get less (see verify.py). */
  callTimeoutSeconds: z.number().positive(),
  /**
   * The inputs an `inputs` process made (an LLM-written generator's, made apart from the code under test): that process
   * writes them here; outcomes, serve, count and memory processes read them instead of running the generator.
   */
  inputsFile: z.string().optional(),
  ...sharedJobFields,
});
export type HarnessJob = z.infer<typeof harnessJob>;

/** The shared error shape plus the Python harness's line of the failing statement. */
const harnessError = sharedHarnessError.extend({ line: z.number().int().nullable().optional() });
export type HarnessError = z.infer<typeof harnessError>;

const envelope = {
  protocol: z.literal(HARNESS_PROTOCOL_VERSION),
  python: z.string(),
  hashRandomization: z.boolean(),
  /** Files the code failed to find when reading them (watched in workload mode only). */
  missingFiles: z.array(z.string()).default([]),
};

export const harnessResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), mode: z.enum(harnessModes), sizedN: z.number().int().nullable(), data: z.unknown(), ...envelope }),
  z.object({ ok: z.literal(false), error: harnessError, ...envelope }),
]);
export type HarnessResult = z.infer<typeof harnessResult>;

export { inputsData } from '../harnessProtocol.js';

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
