/**
 * C's and C++'s workload profiler: a command whose program is an executable of the project runs under callgrind, which
 * counts the instructions of every function (inclusive and self, with call counts); shares are of the program's
 * instructions. Build with `-g` for file and line names. Functions the compiler inlined count as their caller.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { isProjectFile } from '../hotspots/projectFiles.js';
import { ProfileCommandError } from '../hotspots/profileCommand.js';
import type { FunctionTimes, RecordedProfile, WorkloadProfiler } from '../hotspots/types.js';

interface Fn {
  file: string;
  name: string;
  self: number;
  /** The first line with a cost while in the function's own file: where its body starts. */
  line: number;
  calls: number;
}

/** Whether `file` is an ELF executable (the magic bytes). */
function isElf(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(4);
      readSync(fd, head, 0, 4, 0);
      return head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** `Cart::total() const` → `Cart::total`; `dupes(std::vector<int> const&)` → `dupes`. */
function plainName(name: string): string {
  const open = name.indexOf('(');
  return open > 0 ? name.slice(0, open) : name;
}

/** One callgrind output file (written with --compress-strings=no --compress-pos=no). */
export function parseCallgrind(text: string): { total: number; functions: Map<string, Fn>; edges: Map<string, Map<string, number>> } {
  const functions = new Map<string, Fn>();
  const edges = new Map<string, Map<string, number>>();
  let total = 0;
  let fl = '';
  let current = ''; // the source file the next cost lines are in (fi=/fe= switch it inside a function)
  let fn: Fn | undefined;
  let fnKey = '';
  let calleeFile: string | undefined;
  let calleeName: string | undefined;
  let pendingCall: { key: string; count: number } | undefined;
  // Keyed by name (C++ names carry their parameters): a call names its callee's file as the caller's view of it (a
  // template from a header is named from the file that instantiated it), the definition by where its code is.
  const fnOf = (file: string, name: string, defining = false): [string, Fn] => {
    let found = functions.get(name);
    if (!found) functions.set(name, (found = { file, name, self: 0, line: Infinity, calls: 0 }));
    if (defining) found.file = file;
    return [name, found];
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('fl=')) fl = current = line.slice(3);
    else if (line.startsWith('fi=') || line.startsWith('fe=')) current = line.slice(3);
    else if (line.startsWith('fn=')) {
      [fnKey, fn] = fnOf(fl, line.slice(3), true);
      current = fl;
    } else if (line.startsWith('cfi=') || line.startsWith('cfl=')) calleeFile = line.slice(4);
    else if (line.startsWith('cfn=')) calleeName = line.slice(4);
    else if (line.startsWith('calls=')) {
      const [key, callee] = fnOf(calleeFile ?? fl, calleeName ?? '');
      const count = Number(line.slice(6).split(' ')[0]);
      callee.calls += count;
      pendingCall = { key, count };
      calleeFile = undefined;
      calleeName = undefined;
    } else if (/^[0-9]/.test(line)) {
      const [where, cost] = line.split(' ').map(Number) as [number, number];
      if (!fn || !Number.isFinite(cost)) continue;
      if (pendingCall) {
        // The line after calls= is the inclusive cost of those calls.
        const out = edges.get(fnKey) ?? new Map<string, number>();
        out.set(pendingCall.key, (out.get(pendingCall.key) ?? 0) + cost);
        edges.set(fnKey, out);
        pendingCall = undefined;
      } else {
        fn.self += cost;
        // The first line with a cost in the function's own file: its entry (addresses come in order; the smallest line
        // can be a function of the same file inlined into it).
        if (current === fl && where > 0 && !Number.isFinite(fn.line)) fn.line = where;
      }
    } else if (line.startsWith('totals:') || line.startsWith('summary:')) total = Math.max(total, Number(line.split(':')[1]));
  }
  return { total, functions, edges };
}

/**
 * Self and inclusive instruction counts of the project's functions. Self includes the library code each calls (less the
 * project code that library code calls back); inclusive is self plus every call's inclusive cost (recursion once).
 */
function projectCosts(parsed: ReturnType<typeof parseCallgrind>, projectRoot: string): { fn: Fn; self: number; inclusive: number }[] {
  const { functions, edges } = parsed;
  const isProject = new Map([...functions].map(([key, f]) => [key, Number.isFinite(f.line) && isProjectFile(f.file, projectRoot)]));
  const inclusiveOf = (key: string): number => {
    let sum = functions.get(key)?.self ?? 0;
    for (const [callee, cost] of edges.get(key) ?? []) if (callee !== key) sum += cost;
    return sum;
  };
  const beneath = new Map<string, number>();
  const projectBeneath = (key: string, active: Set<string>): number => {
    const known = beneath.get(key);
    if (known !== undefined) return known;
    if (active.has(key)) return 0;
    active.add(key);
    let sum = 0;
    for (const [callee, cost] of edges.get(key) ?? []) {
      if (isProject.get(callee)) sum += cost;
      else {
        const inclusive = inclusiveOf(callee);
        sum += inclusive > 0 ? cost * (projectBeneath(callee, active) / inclusive) : 0;
      }
    }
    active.delete(key);
    beneath.set(key, sum);
    return sum;
  };
  const out: { fn: Fn; self: number; inclusive: number }[] = [];
  for (const [key, fn] of functions) {
    if (!isProject.get(key)) continue;
    let self = fn.self;
    for (const [callee, cost] of edges.get(key) ?? []) {
      if (isProject.get(callee)) continue;
      const inclusive = inclusiveOf(callee);
      self += inclusive > 0 ? cost * Math.max(0, 1 - projectBeneath(callee, new Set()) / inclusive) : 0;
    }
    const inclusive = Math.min(parsed.total, inclusiveOf(key));
    out.push({ fn, self: Math.min(self, inclusive), inclusive });
  }
  return out;
}

export const nativeWorkloadProfiler: WorkloadProfiler = {
  language: 'native',
  languages: ['c', 'cpp'],
  environment: () => ({}),
  wrap(command, outDir, projectRoot) {
    const program = path.resolve(projectRoot, command[0] ?? '');
    if (!isElf(program) || !isProjectFile(program, projectRoot)) return undefined;
    if (spawnSync('valgrind', ['--version']).status !== 0) {
      throw new ProfileCommandError(`${command[0]} is a compiled program: profiling it needs valgrind (callgrind), which is not installed (Debian: apt-get install valgrind).`);
    }
    return [
      'valgrind', '--tool=callgrind', `--callgrind-out-file=${path.join(outDir, 'callgrind.%p')}`, '--compress-strings=no', '--compress-pos=no', '--quiet',
      ...command,
    ];
  },
  async read(outDir, projectRoot): Promise<RecordedProfile> {
    const functions: FunctionTimes[] = [];
    let processes = 0;
    for (const name of readdirSync(outDir).filter((f) => /^callgrind\.\d+$/.test(f))) {
      const parsed = parseCallgrind(readFileSync(path.join(outDir, name), 'utf8'));
      if (parsed.total <= 0) continue;
      processes++;
      for (const { fn, self, inclusive } of projectCosts(parsed, projectRoot)) {
        functions.push({
          language: /\.(c)$/.test(fn.file) ? 'c' : 'cpp',
          file: fn.file,
          line: Number.isFinite(fn.line) ? fn.line : 0,
          qualname: plainName(fn.name),
          calls: fn.calls,
          // Instructions as shares of the program's: the run's wall time is valgrind's, not the program's.
          selfSeconds: self / parsed.total,
          inclusiveSeconds: inclusive / parsed.total,
          unit: 'instruction-share',
        });
      }
    }
    return { processes, functions };
  },
};
