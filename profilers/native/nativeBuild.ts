/**
 * The C/C++ toolchain as Perfloop uses it: which compiler and flags (a setting, else the project's
 * compile_commands.json, else `-O2`), compiles inside the sandbox (code from an LLM is only compiled and run there), and
 * a content-addressed cache of objects and executables so an original is compiled once per run, not once per question.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunnerError } from '../runner.js';
import { visibleDirectories } from '../harnessRun.js';
import { runSandboxed } from '../sandbox/sandbox.js';
import type { SandboxMode } from '../sandbox/types.js';
import type { NativeDialect } from './nativeTarget.js';

export interface NativeToolchainOptions {
  /** C compiler (default: `gcc`, else `clang`, else `cc`). */
  cCompiler?: string;
  /** C++ compiler (default: `g++`, else `clang++`, else `c++`); also compiles the harness of C functions. */
  cxxCompiler?: string;
  /** Flags that replace compile_commands.json and the default `-O2`, e.g. `-O3 -march=native`. */
  flags?: readonly string[];
  /** Run every equivalence check a second time under AddressSanitizer and UBSan (default true). */
  sanitizers?: boolean;
}

export interface Toolchain {
  /** The compiler of the user's language (C or C++). */
  compiler: string;
  /** The C++ compiler of the same family: the harness is always C++. */
  cxx: string;
  /** Flags for the user's code (and, minus language-specific ones, the harness). `-g` is always added. */
  flags: string[];
  /** Where the flags came from, for the report. */
  origin: string;
}

/** What the sanitizer build adds to every compile and to the link. */
export const SANITIZER_FLAGS = ['-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer'];

const COMPILE_TIMEOUT_MS = 120_000;

function onPath(command: string): boolean {
  if (command.includes('/')) return existsSync(command);
  return (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter).some((dir) => dir !== '' && existsSync(path.join(dir, command)));
}

function firstOnPath(candidates: string[]): string | undefined {
  return candidates.find(onPath);
}

/** The C++ driver of the same family as a C compiler: gcc → g++, clang-15 → clang++-15, cc → c++. */
export function cxxCompanion(compiler: string): string {
  const dir = path.dirname(compiler);
  const base = path.basename(compiler);
  const swapped = base
    .replace(/^(.*-)?gcc(-\d+)?$/, (_m, prefix: string | undefined, version: string | undefined) => `${prefix ?? ''}g++${version ?? ''}`)
    .replace(/^clang(-\d+)?$/, (_m, version: string | undefined) => `clang++${version ?? ''}`)
    .replace(/^cc$/, 'c++');
  return dir === '.' && !compiler.startsWith('.') ? swapped : path.join(dir, swapped);
}

/** Splits a shell command line as compile_commands.json's `command` field holds it (quotes and backslashes). */
export function splitCommandLine(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < command.length) current += command[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < command.length) {
      current += command[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

interface CompileCommandEntry {
  directory: string;
  file: string;
  command?: string;
  arguments?: string[];
}

/** The nearest compile_commands.json above the file (also in a `build/` directory at each level). */
export function findCompileCommands(filePath: string): string | undefined {
  let dir = path.dirname(path.resolve(filePath));
  for (;;) {
    for (const candidate of [path.join(dir, 'compile_commands.json'), path.join(dir, 'build', 'compile_commands.json')]) {
      if (existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Options that take a separate value. */
const WITH_VALUE = new Set(['-o', '-MF', '-MT', '-MQ', '-I', '-isystem', '-iquote', '-include', '-D', '-U', '-x', '-Xclang', '-idirafter']);
/** Dropped: output, dependency files, the compile-only switch, and -Werror (the harness is not warning-clean in every setting). */
const DROPPED = /^(?:-c|-o|-M[DM]?|-MMD|-MF|-MT|-MQ|-MP|-Werror.*|-fdiagnostics-color.*|-S|-E)$/;

/**
 * The flags one compile_commands.json entry gives the file: compiler, sources, outputs and dependency files removed,
 * include directories made absolute (they are relative to the entry's directory).
 */
export function flagsFromCompileCommand(entry: CompileCommandEntry): { compiler: string; flags: string[] } {
  const argv = entry.arguments ?? splitCommandLine(entry.command ?? '');
  const [compiler = '', ...rest] = argv;
  const flags: string[] = [];
  const absolute = (p: string) => (path.isAbsolute(p) ? p : path.resolve(entry.directory, p));
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const takesValue = WITH_VALUE.has(arg);
    const value = takesValue ? rest[++i] : undefined;
    if (DROPPED.test(arg)) continue;
    if (!arg.startsWith('-')) continue; // the source file(s)
    if (takesValue && value === undefined) continue;
    if (arg === '-I' || arg === '-isystem' || arg === '-iquote' || arg === '-idirafter') flags.push(arg, absolute(value as string));
    else if (arg === '-include') flags.push(arg, absolute(value as string));
    else if (takesValue) flags.push(arg, value as string);
    else if (/^-I./.test(arg)) flags.push(`-I${absolute(arg.slice(2))}`);
    else flags.push(arg);
  }
  return { compiler, flags };
}

function readCompileCommand(commandsFile: string, filePath: string): CompileCommandEntry | undefined {
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(commandsFile, 'utf8'));
  } catch (error) {
    throw new RunnerError(`Cannot read ${commandsFile}: ${(error as Error).message}`);
  }
  if (!Array.isArray(entries)) return undefined;
  const wanted = path.resolve(filePath);
  return (entries as CompileCommandEntry[]).find(
    (e) => typeof e?.file === 'string' && typeof e.directory === 'string' && path.resolve(e.directory, e.file) === wanted,
  );
}

/** Compiler and flags for the user's file: the setting, else compile_commands.json, else the defaults. */
export function resolveToolchain(filePath: string, dialect: NativeDialect, options: NativeToolchainOptions = {}): Toolchain {
  const defaultCompiler = () => {
    const found = dialect === 'c' ? firstOnPath(['gcc', 'clang', 'cc']) : firstOnPath(['g++', 'clang++', 'c++']);
    if (!found) {
      throw new RunnerError(`No ${dialect === 'c' ? 'C' : 'C++'} compiler found on PATH (looked for ${dialect === 'c' ? 'gcc, clang, cc' : 'g++, clang++, c++'}); install one or set perfloop.native.${dialect === 'c' ? 'cCompiler' : 'cxxCompiler'}.`);
    }
    return found;
  };
  const configured = dialect === 'c' ? options.cCompiler : options.cxxCompiler;
  let compiler = configured ?? defaultCompiler();
  let flags: string[];
  let origin: string;
  const commandsFile = options.flags ? undefined : findCompileCommands(filePath);
  const entry = commandsFile ? readCompileCommand(commandsFile, filePath) : undefined;
  if (options.flags) {
    flags = [...options.flags];
    origin = 'perfloop.native.flags';
  } else if (entry && commandsFile) {
    const fromEntry = flagsFromCompileCommand(entry);
    if (!configured && fromEntry.compiler && onPath(fromEntry.compiler)) compiler = fromEntry.compiler;
    flags = fromEntry.flags;
    origin = commandsFile;
  } else {
    flags = ['-O2'];
    origin = 'default';
  }
  if (!flags.some((f) => /^-g(?:\d|gdb|dwarf.*)?$/.test(f))) flags.push('-g');
  // valgrind 3.19 (Debian 12) cannot read clang's default DWARF 5: the line profile and counts would be lost.
  if (/clang/.test(path.basename(compiler)) && !flags.some((f) => f.startsWith('-gdwarf'))) flags.push('-gdwarf-4');
  if (!onPath(compiler)) throw new RunnerError(`The compiler ${compiler} was not found.`);
  const cxx = dialect === 'cpp' ? compiler : (options.cxxCompiler ?? cxxCompanion(compiler));
  if (!onPath(cxx)) throw new RunnerError(`The C++ compiler ${cxx} (needed for Perfloop's harness) was not found; set perfloop.native.cxxCompiler.`);
  return { compiler, cxx, flags, origin };
}

/** The user's flags as the C++ harness can take them: optimisation, defines, include paths, machine flags; no -std=c11. */
export function harnessFlags(flags: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i] as string;
    if (flag.startsWith('-std=')) {
      if (/^-std=(?:gnu|c)\+\+(?:1[7-9]|2\w|3\w)$/.test(flag)) kept.push(flag);
      continue;
    }
    if (/^-W/.test(flag)) continue;
    if (flag === '-x' || flag === '-include') {
      i++;
      continue;
    }
    kept.push(flag);
    if (WITH_VALUE.has(flag) && i + 1 < flags.length) kept.push(flags[++i] as string);
  }
  if (!kept.some((f) => f.startsWith('-std='))) kept.unshift('-std=gnu++17');
  return kept;
}

/** `gcc --version`'s first line. */
export function compilerVersion(compiler: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(compiler, ['--version'], { timeout: 10_000 }, (error, stdout) => {
      resolve(error ? `${compiler} (version unknown)` : (stdout.split('\n')[0] ?? compiler).trim());
    });
  });
}

export class CompileError extends Error {
  constructor(
    message: string,
    readonly diagnostics: string,
  ) {
    super(message);
    this.name = 'CompileError';
  }
}

export interface CompileRequest {
  compiler: string;
  flags: readonly string[];
  /** `.c` or `.cpp`: the language the compiler takes the source as. */
  extension: '.c' | '.cpp';
  source: string;
  /** Directories the compile must read (the user's file's directory, include directories, the harness). */
  readable: readonly string[];
  sandbox: SandboxMode;
  signal?: AbortSignal;
}

export interface LinkRequest {
  linker: string;
  flags: readonly string[];
  objects: readonly string[];
  sandbox: SandboxMode;
  signal?: AbortSignal;
}

/** The first compiler errors, trimmed: what a user (or the LLM repairing its code) needs to see. */
export function compilerDiagnostics(stderr: string, limit = 2500): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const errorAt = lines.findIndex((l) => /\berror\b/.test(l));
  const from = errorAt > 3 ? errorAt - 3 : 0;
  const text = lines.slice(from).join('\n');
  return text.length <= limit ? text : `${text.slice(0, limit)}\n...`;
}

/** Every cache's directory, removed when the process exits (best effort: they hold only derived files). */
const BUILD_DIRS = new Set<string>();

function removeBuildDirs(): void {
  for (const dir of BUILD_DIRS) rmSync(dir, { recursive: true, force: true });
  BUILD_DIRS.clear();
}

/**
 * Objects and executables by content: the same source compiled with the same compiler and flags is compiled once per
 * process. Compiles and links run in the sandbox (compilers fork their back ends, so subprocesses are allowed there,
 * but the network and the user's files stay out of reach).
 */
export class NativeBuildCache {
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'perfloop-native-build-'));
  private readonly builds = new Map<string, Promise<string>>();

  constructor() {
    BUILD_DIRS.add(this.dir);
    if (BUILD_DIRS.size === 1) process.once('exit', removeBuildDirs);
  }

  get directory(): string {
    return this.dir;
  }

  private static key(parts: readonly string[]): string {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part).update('\0');
    return hash.digest('hex').slice(0, 24);
  }

  compile(request: CompileRequest): Promise<string> {
    const key = NativeBuildCache.key(['compile', request.compiler, ...request.flags, request.extension, request.source]);
    return this.once(key, async () => {
      const sourcePath = path.join(this.dir, `${key}${request.extension}`);
      const objectPath = path.join(this.dir, `${key}.o`);
      writeFileSync(sourcePath, request.source);
      const result = await runSandboxed({
        argv: [request.compiler, ...request.flags, '-c', sourcePath, '-o', objectPath],
        mode: request.sandbox,
        workDir: this.dir,
        timeoutMs: COMPILE_TIMEOUT_MS,
        allowSubprocesses: true,
        // The compiler and linker, not the code, write here: trusted tools whose output files they name themselves.
        persistentWorkDir: true,
        limits: { cpuSeconds: COMPILE_TIMEOUT_MS / 1000, addressSpaceBytes: 16 * 1024 ** 3 },
        readOnlyPaths: visibleDirectories([...request.readable]),
        ...(request.signal ? { signal: request.signal } : {}),
      });
      if (result.aborted) throw request.signal?.reason instanceof Error ? request.signal.reason : new Error('cancelled');
      if (result.timedOut) throw new CompileError(`takes longer to compile than ${COMPILE_TIMEOUT_MS / 1000} s`, result.stderr);
      if (result.exitCode !== 0 || !existsSync(objectPath)) {
        throw new CompileError(`does not compile (${path.basename(request.compiler)})`, compilerDiagnostics(result.stderr || result.stdout));
      }
      return objectPath;
    });
  }

  link(request: LinkRequest): Promise<string> {
    const key = NativeBuildCache.key(['link', request.linker, ...request.flags, ...request.objects]);
    return this.once(key, async () => {
      const exePath = path.join(this.dir, `${key}.exe`);
      const result = await runSandboxed({
        argv: [request.linker, ...request.objects, ...request.flags, '-o', exePath],
        mode: request.sandbox,
        workDir: this.dir,
        timeoutMs: COMPILE_TIMEOUT_MS,
        allowSubprocesses: true,
        // The compiler and linker, not the code, write here: trusted tools whose output files they name themselves.
        persistentWorkDir: true,
        limits: { cpuSeconds: COMPILE_TIMEOUT_MS / 1000, addressSpaceBytes: 16 * 1024 ** 3 },
        ...(request.signal ? { signal: request.signal } : {}),
      });
      if (result.aborted) throw request.signal?.reason instanceof Error ? request.signal.reason : new Error('cancelled');
      if (result.exitCode !== 0 || !existsSync(exePath)) {
        throw new CompileError('does not link', compilerDiagnostics(result.stderr || result.stdout));
      }
      return exePath;
    });
  }

  /** One build per key. Compile errors are remembered (they are deterministic); a cancelled or crashed build is retried. */
  private once(key: string, build: () => Promise<string>): Promise<string> {
    let pending = this.builds.get(key);
    if (!pending) {
      const started = build();
      pending = started;
      this.builds.set(key, started);
      started.catch((error: unknown) => {
        if (!(error instanceof CompileError) && this.builds.get(key) === started) this.builds.delete(key);
      });
    }
    return pending;
  }

}
