/**
 * JavaScript's and TypeScript's half of `perfloop profile --capture`: the environment that makes hotspots/preload.cjs
 * record the arguments of chosen functions (hotspots/capture.cjs), the calls it wrote, and the inputs module that later
 * runs on those functions read them with (README, "Inputs": correctnessInputs / performanceInputs).
 */
import { createRequire } from 'node:module';
import { readCapturedCalls } from '../hotspots/captureStore.js';
import type { CapturedModuleFacts, CaptureTarget, WorkloadProfiler } from '../hotspots/types.js';
import { findResource } from '../resources.js';

export function preloadOption(inherited: Readonly<Record<string, string | undefined>>): string {
  const preload = findResource('profilers/javascript/hotspots/preload.cjs');
  return [inherited.NODE_OPTIONS, `--require ${JSON.stringify(preload)}`].filter(Boolean).join(' ');
}

/** The harness's walk that places class instances in a copy (harness/objectWalk.cjs), as source the module embeds. */
function objectWalkSource(): string {
  const file = findResource('profilers/javascript/harness/objectWalk.cjs');
  const walk = createRequire(file)(file) as { isLeaf: () => unknown; walkObjects: () => unknown };
  return `${walk.isLeaf.toString()}\n\n${walk.walkObjects.toString()}`;
}

/**
 * The captured calls as an inputs module: every call is checked, the largest are timed (captureStore.ts, capturedRoles). Each file holds the kept
 * calls of one process ({ size, data, classes }: v8.serialize's bytes of the argument list and the places of the
 * instances of the function file's classes in it), which get the classes the runner hands to correctnessInputs.
 */
function capturedInputsModule({ files, folder, file, qualname, command, capturedAt, performance }: CapturedModuleFacts): string {
  return `// The real inputs of ${qualname} (${file}), captured by perfloop profile from \`${command.join(' ')}\` on ${capturedAt.slice(0, 10)}.
//
// Written by Perfloop; perfloop profile replaces it. Each call's arguments (a method's receiver first) were copied with
// v8.serialize in your own program's process as the function was entered; objects of the file's classes get them back.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { types } from 'node:util';
import { deserialize } from 'node:v8';

const FILES = ${JSON.stringify(files)};
// Beside this module, or where perfloop profile wrote them (a runner loads a copy of this module from elsewhere).
const HERE = fileURLToPath(new URL('.', import.meta.url));
const FOLDER = existsSync(join(HERE, FILES[0])) ? HERE : ${JSON.stringify(folder)};
// The largest calls, by position in the order the files are read (each smallest first): the ones timed.
const TIMED = ${JSON.stringify(performance)};

${objectWalkSource()}

function calls(classes = {}) {
  const kept = FILES.flatMap((name) => deserialize(readFileSync(join(FOLDER, name))));
  return kept.map(({ data, classes: named }) => {
    const args = deserialize(data);
    const byPlace = new Map(named);
    if (byPlace.size > 0) {
      walkObjects(args, undefined, (value, _, index) => {
        const cls = classes[byPlace.get(index)];
        if (cls) Object.setPrototypeOf(value, cls.prototype);
      });
    }
    return args;
  });
}

export function correctnessInputs(classes) {
  return calls(classes);
}

export function performanceInputs(classes) {
  const all = calls(classes);
  return TIMED.filter((i) => i < all.length).map((i) => all[i]);
}
`;
}

export const javascriptCapture: NonNullable<WorkloadProfiler['capture']> = {
  // Own variables, not Python's PERFLOOP_CAPTURE: one command may run both languages' targets.
  environment: (outDir: string, targets: readonly CaptureTarget[], inherited: Readonly<Record<string, string | undefined>>) => ({
    NODE_OPTIONS: preloadOption(inherited),
    PERFLOOP_JS_CAPTURE: JSON.stringify(targets),
    PERFLOOP_JS_CAPTURE_DIR: outDir,
  }),
  read: async (outDir: string) => readCapturedCalls(outDir, /^node-capture-\d+-\d+\.json$/, '.v8'),
  inputsModule: { fileName: 'inputs.perfloop.mjs', source: capturedInputsModule },
};
