/**
 * What function and method targets share about JavaScript/TypeScript source: parsing with tree-sitter, the module-level
 * statements and what they bind and use, parameter lists, and where imports go.
 */
import path from 'node:path';
import type { Node, Tree } from 'web-tree-sitter';
import type { Parser } from 'web-tree-sitter';
import type { LineRange } from '../runner.js';
import { createParser, type GrammarName } from '../treeSitter.js';

const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

export function grammarForFile(filePath: string): GrammarName {
  const extension = path.extname(filePath).toLowerCase();
  if (extension === '.tsx') return 'tsx';
  return TYPESCRIPT_EXTENSIONS.has(extension) ? 'typescript' : 'javascript';
}

export function isTypeScriptFile(filePath: string): boolean {
  return grammarForFile(filePath) !== 'javascript';
}

export function grammarLabel(grammar: GrammarName): string {
  return grammar === 'javascript' ? 'JavaScript' : 'TypeScript';
}

const parsers = new Map<GrammarName, Promise<Parser>>();

export async function parse(text: string, grammar: GrammarName): Promise<Tree> {
  let parser = parsers.get(grammar);
  if (!parser) {
    parser = createParser(grammar);
    parsers.set(grammar, parser);
  }
  const tree = (await parser).parse(text);
  if (!tree) throw new Error(`tree-sitter returned no tree for a ${grammar} source`);
  return tree;
}

/** A module-level statement with `export` peeled off: `inner` is what the program modules contain. */
export interface TopLevelStatement {
  outer: Node;
  inner: Node;
  binds: Set<string>;
  /** Identifiers the statement reads (over-approximated: every identifier inside it). */
  uses: Set<string>;
  isImport: boolean;
}

export const CLASS_TYPES = new Set(['class_declaration', 'abstract_class_declaration']);
const DECLARATION_TYPES = new Set([
  'function_declaration',
  'generator_function_declaration',
  ...CLASS_TYPES,
  'type_alias_declaration',
  'interface_declaration',
  'enum_declaration',
]);
export const VARIABLE_TYPES = new Set(['lexical_declaration', 'variable_declaration']);
export const USE_TYPES = ['identifier', 'type_identifier', 'shorthand_property_identifier'];
const PATTERN_BINDING_TYPES = ['identifier', 'shorthand_property_identifier_pattern'];

export function collect(node: Node, types: string[], into: Set<string> = new Set()): Set<string> {
  if (types.includes(node.type)) into.add(node.text);
  for (const found of node.descendantsOfType(types)) if (found) into.add(found.text);
  return into;
}

export function unwrapExport(node: Node): Node {
  if (node.type !== 'export_statement') return node;
  return node.childForFieldName('declaration') ?? node;
}

export function describeTopLevel(outer: Node): TopLevelStatement | undefined {
  const inner = unwrapExport(outer);
  const binds = new Set<string>();
  const uses = collect(inner, USE_TYPES);
  if (inner.type === 'import_statement') {
    const clause = inner.namedChildren.find((c) => c?.type === 'import_clause');
    if (clause) collect(clause, ['identifier'], binds);
    // A bare `import './polyfill.js'` binds nothing but may matter: kept with the imports (isImport, no binds).
    return { outer, inner, binds, uses, isImport: true };
  }
  if (DECLARATION_TYPES.has(inner.type)) {
    const name = inner.childForFieldName('name');
    if (name) binds.add(name.text);
    return { outer, inner, binds, uses, isImport: false };
  }
  if (VARIABLE_TYPES.has(inner.type)) {
    for (const declarator of inner.namedChildren) {
      const name = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name') : null;
      if (name) collect(name, PATTERN_BINDING_TYPES, binds);
    }
    return { outer, inner, binds, uses, isImport: false };
  }
  // Bare expressions (calls, `module.exports = …`), re-exports and control flow are never pulled in.
  return undefined;
}

export function topLevelStatements(root: Node): TopLevelStatement[] {
  return root.namedChildren.flatMap((child) => (child ? (describeTopLevel(child) ?? []) : []));
}

export function parametersOf(fn: Node): Node | null {
  return fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
}

/** Parameter names in order; destructured parameters by their pattern text, rest parameters with `...`. */
export function parameterNames(parameters: Node | null): string[] {
  if (!parameters) return [];
  if (parameters.type === 'identifier') return [parameters.text];
  return parameters.namedChildren.flatMap((p) => {
    if (!p || p.type === 'comment') return [];
    // TypeScript wraps each parameter (required_parameter/optional_parameter) with its type; the pattern is its name.
    const pattern = p.childForFieldName('pattern') ?? p;
    const bare = pattern.type === 'assignment_pattern' ? (pattern.childForFieldName('left') ?? pattern) : pattern;
    return [bare.text.replace(/\s+/g, '')];
  });
}

export function lineRangeOf(node: Node): LineRange {
  return { start: node.startPosition.row + 1, end: node.endPosition.row + 1 };
}

export const normalise = (code: string): string => code.replace(/\s+/g, ' ').trim();

/** Imports of `imports` that `existingSource` does not already provide (same text, or every name already bound). */
export async function missingImports(imports: string[], existingSource: string, grammar: GrammarName): Promise<string[]> {
  const existing = topLevelStatements((await parse(existingSource, grammar)).rootNode).filter((s) => s.isImport);
  const texts = new Set(existing.map((s) => normalise(s.inner.text)));
  const names = new Set(existing.flatMap((s) => [...s.binds]));
  const missing: string[] = [];
  for (const statement of imports) {
    if (texts.has(normalise(statement))) continue;
    const node = (await parse(statement, grammar)).rootNode.namedChildren[0];
    const binds = node ? (describeTopLevel(node)?.binds ?? new Set<string>()) : new Set<string>();
    if (binds.size > 0 && [...binds].every((n) => names.has(n))) continue;
    missing.push(statement);
  }
  return missing;
}

/** Where new imports go: after the last module-level import, else at the top (after a shebang or 'use strict'). */
export async function importInsertionOffset(fileText: string, grammar: GrammarName): Promise<number> {
  let offset = 0;
  for (const child of (await parse(fileText, grammar)).rootNode.namedChildren) {
    if (!child) continue;
    if (child.type === 'import_statement' || child.type === 'hash_bang_line') offset = child.endIndex;
    else if (offset === 0 && child.type === 'expression_statement' && child.namedChildren[0]?.type === 'string') offset = child.endIndex;
    else if (child.type !== 'comment') break;
  }
  return offset;
}

/** `text` with the import block `block` inserted at `at` (from importInsertionOffset). */
export function insertImports(text: string, at: number, block: string): string {
  if (at === 0) return `${block}\n${text}`;
  return `${text.slice(0, at)}\n${block}${text.slice(at)}`;
}

const ESBUILD_LOADERS: Partial<Record<GrammarName, 'js' | 'ts' | 'tsx'>> = { javascript: 'js', typescript: 'ts', tsx: 'tsx' };

/**
 * Whether esbuild, the compiler the harness runs the code through, accepts `text`. tree-sitter's TypeScript grammar
 * rejects some valid code (`i < unique.length` starts a `unique symbol` type for it), so a syntax error is only claimed
 * when the compiler agrees. False when esbuild cannot be loaded: then tree-sitter's word stands.
 */
export async function compilerAccepts(text: string, grammar: GrammarName): Promise<boolean> {
  try {
    const { transform } = await import('esbuild');
    await transform(text, { loader: ESBUILD_LOADERS[grammar] ?? 'ts', format: 'esm', logLevel: 'silent' });
    return true;
  } catch {
    return false;
  }
}

/** Whether the parse of `text` has a syntax error the compiler confirms. */
export async function hasSyntaxError(root: Node, text: string, grammar: GrammarName): Promise<boolean> {
  return root.hasError && !(await compilerAccepts(text, grammar));
}

/** The syntax error of a parsed reply, as a reason, or undefined when it parses (or the compiler accepts it). */
export async function syntaxErrorReason(root: Node, text: string, grammar: GrammarName): Promise<string | undefined> {
  if (!(await hasSyntaxError(root, text, grammar))) return undefined;
  const bad = root.descendantsOfType('ERROR')[0] ?? root;
  return `the code does not parse as ${grammarLabel(grammar)} (syntax error near line ${bad.startPosition.row + 1})`;
}
