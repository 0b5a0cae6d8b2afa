/**
 * Python's workload profiler: hotspots/sitecustomize.py, first on PYTHONPATH, profiles every Python process the command
 * starts (cProfile, the standard library's deterministic profiler) and writes its project functions as JSON at exit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FOREIGN_FOLDERS } from '../hotspots/projectFiles.js';
import type { FunctionTimes, RecordedProfile, WorkloadProfiler } from '../hotspots/types.js';
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

export const pythonWorkloadProfiler: WorkloadProfiler = {
  language: 'python',
  environment(outDir, projectRoot, inherited) {
    const own = findResource('profilers/python/hotspots');
    return {
      PYTHONPATH: [own, inherited.PYTHONPATH].filter(Boolean).join(path.delimiter),
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
};
