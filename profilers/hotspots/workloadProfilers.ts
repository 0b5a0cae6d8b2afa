/** Every language's workload profiler: a command is profiled by all of them at once (a script may start Python and Node). */
import { javascriptWorkloadProfiler } from '../javascript/hotspots.js';
import { nativeWorkloadProfiler } from '../native/hotspots.js';
import { pythonWorkloadProfiler } from '../python/hotspots.js';
import type { WorkloadProfiler } from './types.js';

export const WORKLOAD_PROFILERS: readonly WorkloadProfiler[] = [pythonWorkloadProfiler, javascriptWorkloadProfiler, nativeWorkloadProfiler];
