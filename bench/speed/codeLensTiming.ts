/**
 * The cost of the CodeLens provider's function index (extension/codeLens/functionIndex.ts, plain TypeScript over
 * tree-sitter) on generated files of a chosen size: the first parse of a document, the incremental re-parse after a
 * one-character edit, and, as the naive baseline, a regular-expression scan of the whole text. Everything in this
 * process, one measurement after another.
 */
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FunctionIndex, type TextChange } from '../../extension/codeLens/functionIndex.js';
import { createParser, type GrammarName } from '../../profilers/treeSitter.js';
import { spreadOf, type Spread } from './spread.js';

export type LensLanguage = 'python' | 'javascript' | 'typescript' | 'cpp';
export const LENS_LANGUAGES: readonly LensLanguage[] = ['python', 'javascript', 'typescript', 'cpp'];

/** The marker every generated function carries in its comment or docstring: the one-character edit goes before it. */
const EDIT_MARKER = 'Sum of the values';

interface Generator {
  header: string[];
  fn(name: string, i: number): string[];
}

/** Small top-level functions, as in test/vscode/bigModule.ts (whose Python layout this generalizes to any length). */
const GENERATORS: Record<LensLanguage, Generator> = {
  python: {
    header: ['"""Generated for the CodeLens bench: many small top-level functions."""', '', 'import math', '', ''],
    fn: (name, i) => [
      `def ${name}(values):`,
      `    """${EDIT_MARKER} shifted by ${i}, then square-rooted."""`,
      `    total = sum(value + ${i} for value in values)`,
      '    return math.sqrt(abs(total))',
      '',
    ],
  },
  javascript: {
    header: ['// Generated for the CodeLens bench: many small top-level functions.', ''],
    fn: (name, i) => [
      `export function ${name}(values) {`,
      `  // ${EDIT_MARKER} shifted by ${i}, then square-rooted.`,
      `  const total = values.reduce((sum, value) => sum + value + ${i}, 0);`,
      '  return Math.sqrt(Math.abs(total));',
      '}',
      '',
    ],
  },
  typescript: {
    header: ['// Generated for the CodeLens bench: many small top-level functions.', ''],
    fn: (name, i) => [
      `export function ${name}(values: readonly number[]): number {`,
      `  // ${EDIT_MARKER} shifted by ${i}, then square-rooted.`,
      `  const total = values.reduce((sum, value) => sum + value + ${i}, 0);`,
      '  return Math.sqrt(Math.abs(total));',
      '}',
      '',
    ],
  },
  cpp: {
    header: ['// Generated for the CodeLens bench: many small free functions.', '#include <cmath>', '#include <vector>', ''],
    fn: (name, i) => [
      `double ${name}(const std::vector<double>& values) {`,
      `    // ${EDIT_MARKER} shifted by ${i}, then square-rooted.`,
      '    double total = 0;',
      `    for (double value : values) total += value + ${i};`,
      '    return std::sqrt(std::abs(total));',
      '}',
      '',
    ],
  },
};

/** A module of about `lines` lines (never more) made of small functions; returns its text and function count. */
export function generatedModule(language: LensLanguage, lines: number): { text: string; functions: number } {
  const { header, fn } = GENERATORS[language];
  const perFunction = fn('f', 0).length;
  const functions = Math.max(1, Math.floor((lines - header.length) / perFunction));
  const out = [...header];
  for (let i = 0; i < functions; i++) out.push(...fn(`function_${String(i).padStart(5, '0')}`, i));
  return { text: out.join('\n'), functions };
}

/** What a naive provider would do: one regular expression over the whole text on every request. */
const NAIVE_PATTERNS: Record<LensLanguage, RegExp> = {
  python: /^[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)/gm,
  javascript: /^(?:export[ \t]+)?(?:async[ \t]+)?function\*?[ \t]+([A-Za-z_$][\w$]*)|^(?:export[ \t]+)?(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)[ \t]*=[ \t]*(?:async[ \t]*)?(?:function|\()/gm,
  typescript: /^(?:export[ \t]+)?(?:async[ \t]+)?function\*?[ \t]+([A-Za-z_$][\w$]*)|^(?:export[ \t]+)?(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)[ \t]*=[ \t]*(?:async[ \t]*)?(?:function|\()/gm,
  cpp: /^[A-Za-z_][\w:<>,*& \t]*?\b([A-Za-z_]\w*)[ \t]*\([^;{}\n]*\)[ \t]*(?:const[ \t]*)?\{/gm,
};

export function naiveScan(language: LensLanguage, text: string): number[] {
  const lines: number[] = [];
  const pattern = new RegExp(NAIVE_PATTERNS[language].source, 'gm');
  let line = 0;
  let counted = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < match.index; i = text.indexOf('\n', i + 1)) line++;
    counted = match.index;
    lines.push(line);
  }
  return lines;
}

/** A one-character insertion before the edit marker nearest the middle of the file, as the editor reports it. */
export function middleEdit(text: string): { change: TextChange; edited: string } {
  const offset = text.indexOf(EDIT_MARKER, Math.floor(text.length / 2));
  const at = offset === -1 ? text.indexOf(EDIT_MARKER) : offset;
  if (at === -1) throw new Error('no edit marker in the generated module');
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  const character = at - before.lastIndexOf('\n') - 1;
  const position = { line, character };
  return {
    change: { rangeOffset: at, rangeLength: 0, text: 'x', range: { start: position, end: position } },
    edited: `${text.slice(0, at)}x${text.slice(at)}`,
  };
}

export interface LensTiming {
  language: LensLanguage;
  lines: number;
  functions: number;
  /** Functions the index found, and the regular expression. */
  indexed: number;
  naiveFound: number;
  firstParse: Spread;
  incremental: Spread;
  naive: Spread;
}

const GRAMMAR: Record<LensLanguage, GrammarName> = { python: 'python', javascript: 'javascript', typescript: 'typescript', cpp: 'cpp' };

/** Up to `runs` measurements, fewer once `budgetSeconds` are spent (at least one): a slow case still finishes. */
export async function timeFunctionIndex(language: LensLanguage, lines: number, runs: number, budgetSeconds = Infinity): Promise<LensTiming> {
  const { text, functions } = generatedModule(language, lines);
  const { change, edited } = middleEdit(text);
  await createParser(GRAMMAR[language]); // the grammar's one-time load is timed apart (timeGrammarLoads)
  const first: number[] = [];
  const incremental: number[] = [];
  const naive: number[] = [];
  let indexed = 0;
  let naiveFound = 0;
  const deadline = performance.now() + budgetSeconds * 1000;
  for (let run = 0; run < runs && (run === 0 || performance.now() < deadline); run++) {
    const index = new FunctionIndex(GRAMMAR[language]);
    const key = `file:///bench/${run}`;
    try {
      let started = performance.now();
      indexed = (await index.functions(key, 1, text)).length;
      first.push((performance.now() - started) / 1000);
      started = performance.now();
      index.applyChanges(key, [change], 1, 2);
      const after = await index.functions(key, 2, edited);
      incremental.push((performance.now() - started) / 1000);
      if (after.length !== indexed) throw new Error(`the edit changed the function count (${indexed} → ${after.length})`);
    } finally {
      index.dispose();
    }
    const started = performance.now();
    naiveFound = naiveScan(language, text).length;
    naive.push((performance.now() - started) / 1000);
  }
  return {
    language,
    lines: text.split('\n').length,
    functions,
    indexed,
    naiveFound,
    firstParse: spreadOf(first),
    incremental: spreadOf(incremental),
    naive: spreadOf(naive),
  };
}

const TREE_SITTER_MODULE = fileURLToPath(new URL('../../profilers/treeSitter.js', import.meta.url));

/**
 * Seconds to load web-tree-sitter's runtime and each grammar the first time, in a fresh Node process (what the first
 * lens of a session pays once per language). Grammars load in this order, so each later one excludes the runtime.
 */
export async function timeGrammarLoads(): Promise<Record<string, number>> {
  const script = `
    const started = performance.now();
    const { createParser } = await import(${JSON.stringify(TREE_SITTER_MODULE)});
    const times = { 'import web-tree-sitter': performance.now() - started };
    for (const grammar of ${JSON.stringify(LENS_LANGUAGES.map((l) => GRAMMAR[l]))}) {
      const t = performance.now();
      await createParser(grammar);
      times[grammar] = performance.now() - t;
    }
    console.log(JSON.stringify(times));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 });
  const ms = JSON.parse(stdout.trim()) as Record<string, number>;
  return Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, v / 1000]));
}
