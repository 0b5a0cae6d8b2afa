/**
 * Python's workload profiler: hotspots/sitecustomize.py, first on PYTHONPATH, profiles every Python process the command
 * starts (cProfile, the standard library's deterministic profiler) and writes its project functions as JSON at exit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readCapturedCalls } from '../hotspots/captureStore.js';
import { FOREIGN_FOLDERS } from '../hotspots/projectFiles.js';
import type { CapturedModuleFacts, FunctionTimes, RecordedProfile, WorkloadProfiler } from '../hotspots/types.js';
import { findResource } from '../resources.js';

const recorded = z.object({
  seconds: z.number(),
  functions: z.array(
    z.object({
      file: z.string(),
      line: z.number().int(),
      qualname: z.string(),
      calls: z.number().int(),
      selfSeconds: z.number(),
      inclusiveSeconds: z.number(),
    }),
  ),
});

function searchPath(inherited: Readonly<Record<string, string | undefined>>): string {
  return [findResource('profilers/python/hotspots'), inherited.PYTHONPATH].filter(Boolean).join(path.delimiter);
}

/** The captured calls as an inputs module (README, "Inputs"): every call is checked, the largest are timed. */
function capturedInputsModule({ files, file, qualname, command, capturedAt, performance }: CapturedModuleFacts): string {
  return `"""The real inputs of ${qualname} (${file}), captured by perfloop profile from \`${command.join(' ')}\` on ${capturedAt.slice(0, 10)}.

Written by Perfloop; perfloop profile replaces it. The calls are pickles made in your own program's process, smallest first.
"""
import os
import pickle

_HERE = os.path.dirname(os.path.abspath(__file__))
_FILES = ${JSON.stringify(files)}
# The largest calls, by position: the ones timed.
_TIMED = ${JSON.stringify(performance)}


def _calls():
    calls = []
    for name in _FILES:
        with open(os.path.join(_HERE, name), "rb") as handle:
            calls.extend(pickle.loads(data) for data in pickle.load(handle))
    return calls


def correctness_inputs():
    return _calls()


def performance_inputs():
    calls = _calls()
    return [calls[i] for i in _TIMED if i < len(calls)]
`;
}

export const pythonWorkloadProfiler: WorkloadProfiler = {
  language: 'python',
  languages: ['python'],
  environment(outDir, projectRoot, inherited) {
    return {
      PYTHONPATH: searchPath(inherited),
      PERFLOOP_PROFILE_DIR: outDir,
      PERFLOOP_PROJECT_ROOT: projectRoot,
      PERFLOOP_FOREIGN_FOLDERS: FOREIGN_FOLDERS.join(path.delimiter),
    };
  },
  async read(outDir): Promise<RecordedProfile> {
    const functions: FunctionTimes[] = [];
    let processes = 0;
    for (const name of readdirSync(outDir).filter((f) => /^python-\d+\.json$/.test(f))) {
      const parsed = recorded.safeParse(JSON.parse(readFileSync(path.join(outDir, name), 'utf8')));
      if (!parsed.success) continue; // a process that wrote something else is left out, not the whole profile
      processes++;
      for (const f of parsed.data.functions) functions.push({ language: 'python', ...f });
    }
    return { processes, functions };
  },
  capture: {
    // Python's pickles, of deep copies made at entry: arguments by name ({"xs": [...]}, "self" for a method's receiver).
    environment: (outDir, targets, inherited) => ({ PYTHONPATH: searchPath(inherited), PERFLOOP_PROFILE_DIR: outDir, PERFLOOP_CAPTURE: JSON.stringify(targets) }),
    read: async (outDir) => readCapturedCalls(outDir, /^capture-\d+-\d+\.json$/, '.pickle'),
    inputsModule: { fileName: 'inputs.perfloop.py', source: capturedInputsModule },
  },
};
