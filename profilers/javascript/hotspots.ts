/**
 * JavaScript's and TypeScript's workload profiler: hotspots/preload.cjs runs V8's sampling CPU profiler in every Node
 * process the command starts; here the samples become times per function of the project. A sampling profiler cannot
 * count calls, so functions have none. Compiled TypeScript is mapped back through the `.js.map` files next to the output.
 * Capturing the real arguments of hot functions: capturedInputs.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isProjectFile } from '../hotspots/projectFiles.js';
import type { FunctionTimes, RecordedProfile, WorkloadProfiler } from '../hotspots/types.js';
import { javascriptCapture, preloadOption } from './capturedInputs.js';
import { methodSites } from './javascriptMethod.js';
import { grammarForFile, isTypeScriptFile, parse } from './javascriptSyntax.js';
import { generatedToOriginalLines } from './sourceMap.js';

const cpuProfile = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number(), columnNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
type CpuProfile = z.infer<typeof cpuProfile>;

/** Where a frame's function is in the user's source (through a source map when there is one), or undefined for others' code. */
interface Site {
  file: string;
  line: number;
  name: string;
}

interface SourceMapped {
  source: string;
  lines: Map<number, number>;
}

class SiteResolver {
  private readonly maps = new Map<string, SourceMapped | null>();
  private readonly methods = new Map<string, Promise<Map<string, string>>>();

  constructor(private readonly projectRoot: string) {}

  /** The generated file's single-source map, when it has one (`//# sourceMappingURL=` or `<file>.map`). */
  private sourceMap(file: string): SourceMapped | null {
    if (this.maps.has(file)) return this.maps.get(file) ?? null;
    let mapped: SourceMapped | null = null;
    try {
      const text = readFileSync(file, 'utf8');
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
      const mapFile = url && !url.startsWith('data:') ? path.resolve(path.dirname(file), url) : `${file}.map`;
      if (existsSync(mapFile)) {
        const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources?: string[]; sourceRoot?: string; mappings?: string };
        if (map.sources?.length === 1 && typeof map.mappings === 'string') {
          mapped = { source: path.resolve(path.dirname(mapFile), map.sourceRoot ?? '', map.sources[0] as string), lines: generatedToOriginalLines(map.mappings) };
        }
      }
    } catch {
      mapped = null;
    }
    this.maps.set(file, mapped);
    return mapped;
  }

  site(url: string, line0: number, name: string): Site | undefined {
    if (!url.startsWith('file://') || name === '') return undefined;
    let file = fileURLToPath(url);
    let line = line0 + 1;
    const map = this.sourceMap(file);
    if (map) {
      const original = map.lines.get(line);
      if (original !== undefined) {
        file = map.source;
        line = original;
      }
    }
    return isProjectFile(file, this.projectRoot) ? { file, line, name } : undefined;
  }

  /** `Class.method` for a method defined on `line` of `file`; the plain name otherwise. */
  async qualname(site: Site): Promise<string> {
    let table = this.methods.get(site.file);
    if (!table) {
      table = (async () => {
        const names = new Map<string, string>();
        try {
          const tree = await parse(readFileSync(site.file, 'utf8'), grammarForFile(site.file));
          for (const m of methodSites(tree.rootNode)) names.set(`${m.member.startPosition.row + 1}\0${m.name}`, m.qualifiedName);
          tree.delete();
        } catch {
          /* an unreadable file keeps V8's names */
        }
        return names;
      })();
      this.methods.set(site.file, table);
    }
    return (await table).get(`${site.line}\0${site.name}`) ?? site.name;
  }
}

/**
 * Self and inclusive seconds per project function of one profile. A sample's time goes to the innermost named project
 * function on its stack: library code, built-ins and anonymous callbacks count as the function that called them, and a
 * project callback called from library code keeps its own time. Inclusive time counts each function once per sample.
 */
function attribute(profile: CpuProfile, resolver: SiteResolver): Map<string, { site: Site; self: number; inclusive: number }> {
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const siteOf = new Map<number, Site | undefined>();
  for (const n of profile.nodes) siteOf.set(n.id, resolver.site(n.callFrame.url, n.callFrame.lineNumber, n.callFrame.functionName));
  const times = new Map<string, { site: Site; self: number; inclusive: number }>();
  const key = (s: Site): string => `${s.file}\0${s.line}\0${s.name}`;
  for (let i = 0; i < profile.samples.length; i++) {
    // The time until the next sample is this sample's (the last one gets the previous interval).
    const seconds = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1e6;
    if (seconds <= 0) continue;
    const seen = new Set<string>();
    let charged = false;
    for (let id: number | undefined = profile.samples[i]; id !== undefined && byId.has(id); id = parent.get(id)) {
      const site = siteOf.get(id);
      if (!site) continue;
      const k = key(site);
      let entry = times.get(k);
      if (!entry) times.set(k, (entry = { site, self: 0, inclusive: 0 }));
      if (!charged) {
        entry.self += seconds;
        charged = true;
      }
      if (!seen.has(k)) {
        entry.inclusive += seconds;
        seen.add(k);
      }
    }
  }
  return times;
}

export const javascriptWorkloadProfiler: WorkloadProfiler = {
  language: 'javascript',
  languages: ['javascript', 'typescript'],
  environment(outDir, _projectRoot, inherited) {
    return {
      NODE_OPTIONS: preloadOption(inherited),
      PERFLOOP_PROFILE_DIR: outDir,
    };
  },
  async read(outDir, projectRoot): Promise<RecordedProfile> {
    const resolver = new SiteResolver(projectRoot);
    const functions: FunctionTimes[] = [];
    let processes = 0;
    for (const name of readdirSync(outDir).filter((f) => /^node-\d+\.cpuprofile$/.test(f))) {
      const parsed = cpuProfile.safeParse(JSON.parse(readFileSync(path.join(outDir, name), 'utf8')));
      if (!parsed.success) continue;
      processes++;
      for (const { site, self, inclusive } of attribute(parsed.data, resolver).values()) {
        functions.push({
          language: isTypeScriptFile(site.file) ? 'typescript' : 'javascript',
          file: site.file,
          line: site.line,
          qualname: await resolver.qualname(site),
          selfSeconds: self,
          inclusiveSeconds: inclusive,
        });
      }
    }
    return { processes, functions };
  },
  capture: javascriptCapture,
};
