/**
 * Hot-spot localization (issue 14): generated workloads with one function known to take most of the time, profiled as
 * `perfloop profile -- COMMAND` profiles them; the figure is how often that function ranks first, per language, and the
 * profiler's overhead (profiled ÷ plain wall time of the command).
 *
 * Each workload is a small project of ten functions in three modules, called from a main script through "stage"
 * functions (so the callers' inclusive time is large and their own small), with library calls (sorting, JSON), and one
 * chatty helper called thousands of times with a little work each: a deterministic profiler charges every call its own
 * overhead, which is how small functions get over-ranked. The known hot function does at least HOT_MARGIN times the
 * work of any other, by construction (iteration counts scaled by each kind of work's measured cost per iteration).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { profileCommand } from '../../profilers/hotspots/profileCommand.js';
import { WORKLOAD_PROFILERS } from '../../profilers/hotspots/workloadProfilers.js';
import { wilsonInterval } from '../benchStats.js';
import type { BenchContext, BenchSection, Figure, SectionOutcome } from '../types.js';

const TRIALS = { tiny: 1, quick: 10, full: 20 } as const;
/** The hot function's work over the largest other function's. */
const HOT_MARGIN = 4;
const NAMES = ['tally', 'scan', 'blend', 'index', 'score', 'merge', 'sift', 'weigh', 'group', 'rank', 'trim', 'fold', 'probe', 'pack'];

type Kind = 'loop' | 'member' | 'sort' | 'json';
const KINDS: readonly Kind[] = ['loop', 'member', 'sort', 'json'];
/**
 * Cost of one iteration of each kind of work relative to `loop`, measured on this machine (CPU time, 200,000 iterations
 * in Python, 2,000,000 in Node), and the ordinary function's work in `loop` iterations: Node's JIT runs the loop ~20×
 * faster, and a workload must last long enough for a sampling profiler.
 */
const KIND_COST: Record<'python' | 'javascript', Record<Kind, number>> = {
  python: { loop: 1, member: 4.3, sort: 0.18, json: 65 },
  javascript: { loop: 1, member: 1.4, sort: 3.6, json: 16 },
};
const BASE_ITERATIONS = { python: 150_000, javascript: 3_000_000 } as const;

interface Planned {
  name: string;
  module: number;
  kind: Kind;
  iterations: number;
  /** Called this many times (the chatty helper), else once per stage call. */
  calls: number;
}

function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Ten functions: one hot, one chatty, eight ordinary; work in `loop` iterations (up to BASE for the ordinary ones). */
function plan(seed: number, language: 'python' | 'javascript'): { functions: Planned[]; hot: string } {
  const cost = KIND_COST[language];
  const random = rng(seed);
  const names = [...NAMES].sort(() => random() - 0.5).slice(0, 10);
  const BASE = BASE_ITERATIONS[language];
  const functions: Planned[] = names.map((name, i) => {
    const kind = KINDS[Math.floor(random() * KINDS.length)] as Kind;
    const share = 0.25 + random() * 0.75; // of BASE
    return { name, module: i % 3, kind, iterations: Math.max(1, Math.round((BASE * share) / cost[kind])), calls: 1 };
  });
  const hot = functions[Math.floor(random() * functions.length)] as Planned;
  hot.iterations = Math.round((BASE * HOT_MARGIN * 1.25) / cost[hot.kind]);
  const chatty = functions.find((f) => f !== hot) as Planned;
  chatty.kind = 'loop';
  chatty.calls = 20_000;
  chatty.iterations = Math.max(1, Math.round((BASE * 0.5) / chatty.calls));
  return { functions, hot: hot.name };
}

const PYTHON_BODY: Record<Kind, string> = {
  loop: '    total = 0\n    for i in range(n):\n        total += i * i % 7\n    return total\n',
  member: '    seen = []\n    for i in range(n):\n        if i % 50 not in seen:\n            seen.append(i % 50)\n    return len(seen)\n',
  sort: '    out = 0\n    for i in range(0, n, 100):\n        out += sorted(range((i * 7919) % 100 + 100, 0, -1))[0]\n    return out\n',
  json: '    return len([json.dumps({"k": i, "v": [i, i]}, sort_keys=True) for i in range(n)])\n',
};

const JS_BODY: Record<Kind, string> = {
  loop: '  let total = 0;\n  for (let i = 0; i < n; i++) total += (i * i) % 7;\n  return total;\n',
  member: '  const seen = [];\n  for (let i = 0; i < n; i++) if (!seen.includes(i % 50)) seen.push(i % 50);\n  return seen.length;\n',
  sort: '  let out = 0;\n  for (let i = 0; i < n; i += 100) out += Array.from({ length: ((i * 7919) % 100) + 100 }, (_, k) => 200 - k).sort((a, b) => a - b)[0];\n  return out;\n',
  json: '  let length = 0;\n  for (let i = 0; i < n; i++) length += JSON.stringify({ k: i, v: [i, i] }).length;\n  return length;\n',
};

/** Writes the workload; returns the command that runs it. */
function writeWorkload(dir: string, language: 'python' | 'javascript', planned: Planned[]): string[] {
  mkdirSync(dir, { recursive: true });
  const stages = [0, 1, 2].map((m) => planned.filter((f) => f.module === m));
  if (language === 'python') {
    mkdirSync(path.join(dir, 'app'), { recursive: true });
    writeFileSync(path.join(dir, 'app', '__init__.py'), '');
    stages.forEach((fns, m) => {
      const defs = fns.map((f) => `def ${f.name}(n):\n${PYTHON_BODY[f.kind]}`).join('\n\n');
      const calls = fns.map((f) => (f.calls > 1 ? `    for _ in range(${f.calls}):\n        ${f.name}(${f.iterations})\n` : `    ${f.name}(${f.iterations})\n`)).join('');
      writeFileSync(path.join(dir, 'app', `part${m}.py`), `import json\n\n\n${defs}\n\ndef stage${m}():\n${calls || '    pass\n'}`);
    });
    writeFileSync(path.join(dir, 'main.py'), `${[0, 1, 2].map((m) => `from app.part${m} import stage${m}`).join('\n')}\n\nfor stage in (stage0, stage1, stage2):\n    stage()\n`);
    return ['python3', 'main.py'];
  }
  stages.forEach((fns, m) => {
    const defs = fns.map((f) => `export function ${f.name}(n) {\n${JS_BODY[f.kind]}}`).join('\n\n');
    const calls = fns.map((f) => (f.calls > 1 ? `  for (let k = 0; k < ${f.calls}; k++) ${f.name}(${f.iterations});\n` : `  ${f.name}(${f.iterations});\n`)).join('');
    writeFileSync(path.join(dir, `part${m}.mjs`), `${defs}\n\nexport function stage${m}() {\n${calls}}\n`);
  });
  writeFileSync(path.join(dir, 'main.mjs'), `${[0, 1, 2].map((m) => `import { stage${m} } from './part${m}.mjs';`).join('\n')}\n\nfor (const stage of [stage0, stage1, stage2]) stage();\n`);
  return [process.execPath, 'main.mjs'];
}

interface Trial {
  language: string;
  seed: number;
  hot: string;
  ranked: string[];
  hit: boolean;
  overhead: number;
  wallSeconds: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : (sorted[Math.floor(sorted.length / 2)] as number);
}

export const hotspotLocalizationSection: BenchSection = {
  id: 'hotspot-localization',
  title: 'Hot spots: the known-hot function ranked first, and the profiler’s overhead',
  async run(ctx: BenchContext): Promise<SectionOutcome> {
    const trials: Trial[] = [];
    for (const language of ['python', 'javascript'] as const) {
      for (let t = 0; t < TRIALS[ctx.tier]; t++) {
        const seed = 1000 + t;
        const { functions, hot } = plan(seed, language);
        const dir = path.join(ctx.scratchDir, 'hotspots', `${language}-${seed}`);
        const command = writeWorkload(dir, language, functions);
        const report = await profileCommand(command, { projectRoot: dir, profilers: WORKLOAD_PROFILERS, timeoutMs: 120_000, ...(ctx.signal ? { signal: ctx.signal } : {}) });
        const ranked = report.hotspots.slice(0, 3).map((h) => h.function);
        const trial = { language, seed, hot, ranked, hit: ranked[0] === hot, overhead: report.profilerOverhead, wallSeconds: report.wallSeconds };
        trials.push(trial);
        ctx.log(`${language} ${seed}: hot ${hot}, ranked ${ranked.join(', ')}${trial.hit ? '' : ' ✗'} (overhead ${trial.overhead.toFixed(2)}×)`);
      }
    }
    const figures: Figure[] = [];
    for (const language of ['python', 'javascript']) {
      const mine = trials.filter((t) => t.language === language);
      const hits = mine.filter((t) => t.hit).length;
      const [low, high] = wilsonInterval(hits, mine.length);
      figures.push({
        name: `Known-hot function ranked first, ${language} (${mine.length} generated workloads)`,
        perfloop: { value: hits / mine.length, display: `${hits} of ${mine.length}` },
        target: { display: 'first in every workload', met: hits === mine.length },
        noise: `Wilson 95% interval ${(low * 100).toFixed(0)}–${(high * 100).toFixed(0)}%`,
      });
      const overheads = mine.map((t) => t.overhead);
      figures.push({
        name: `Profiler overhead, ${language} (profiled ÷ plain CPU time of the command)`,
        perfloop: { value: median(overheads), display: `median ${median(overheads).toFixed(2)}× (${Math.min(...overheads).toFixed(2)}–${Math.max(...overheads).toFixed(2)}×)` },
        noise: `one plain and one profiled run per workload; commands of ${Math.min(...mine.map((t) => t.wallSeconds)).toFixed(2)}–${Math.max(...mine.map((t) => t.wallSeconds)).toFixed(2)} s`,
      });
    }
    return {
      figures,
      tables: [
        {
          title: 'Workloads',
          columns: ['language', 'seed', 'hot function', 'ranked 1–3', 'first?', 'overhead'],
          rows: trials.map((t) => [t.language, String(t.seed), t.hot, t.ranked.join(', '), t.hit ? 'yes' : 'no', `${t.overhead.toFixed(2)}×`]),
        },
      ],
      notes: [
        `Ten functions in three modules, called through stage functions, with sorting and JSON library calls and a helper called 20,000 times; the hot one does ${HOT_MARGIN}–5× the work of the largest other (iterations scaled by a rough cost per kind of work).`,
        'Each workload is profiled as `perfloop profile -- python3 main.py` / `-- node main.mjs` profiles it: one plain run, one profiled run.',
      ],
      details: { trials },
    };
  },
};
