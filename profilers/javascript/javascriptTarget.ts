/**
 * Finds a JavaScript/TypeScript function with tree-sitter and collects what it needs from its module: the imports,
 * helpers, classes, types and constants it refers to (transitively). The harness then runs that self-contained excerpt,
 * never the user's whole module, so unrelated top-level code (a server start, a CLI entry) does not run.
 */
import path from 'node:path';
import type { Node, Parser, Tree } from 'web-tree-sitter';
import type { CandidateBuild, ExtractedTarget, LanguageId, LineRange, Program, TargetSpec } from '../runner.js';
import { neededDefinitions } from '../neededDefinitions.js';
import { RunnerError } from '../runner.js';
import { createParser, type GrammarName } from '../treeSitter.js';

/** The name under which every program module exports the function it defines, whatever the function is called. */
export const TARGET_EXPORT = '__perfloopTarget';

/** Casts until runner.ts's LanguageId lists these two (that wiring is outside this directory); then drop the casts. */
export const JAVASCRIPT_LANGUAGE: LanguageId = 'javascript';
export const TYPESCRIPT_LANGUAGE: LanguageId = 'typescript';

const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

export function grammarForFile(filePath: string): GrammarName {
  const extension = path.extname(filePath).toLowerCase();
  if (extension === '.tsx') return 'tsx';
  return TYPESCRIPT_EXTENSIONS.has(extension) ? 'typescript' : 'javascript';
}

export function isTypeScriptFile(filePath: string): boolean {
  return grammarForFile(filePath) !== 'javascript';
}

const parsers = new Map<GrammarName, Promise<Parser>>();

async function parse(text: string, grammar: GrammarName): Promise<Tree> {
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
interface TopLevelStatement {
  outer: Node;
  inner: Node;
  binds: Set<string>;
  /** Identifiers the statement reads (over-approximated: every identifier inside it). */
  uses: Set<string>;
  isImport: boolean;
}

const DECLARATION_TYPES = new Set([
  'function_declaration',
  'generator_function_declaration',
  'class_declaration',
  'abstract_class_declaration',
  'type_alias_declaration',
  'interface_declaration',
  'enum_declaration',
]);
const VARIABLE_TYPES = new Set(['lexical_declaration', 'variable_declaration']);
const FUNCTION_VALUE_TYPES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
const USE_TYPES = ['identifier', 'type_identifier', 'shorthand_property_identifier'];
const PATTERN_BINDING_TYPES = ['identifier', 'shorthand_property_identifier_pattern'];

function collect(node: Node, types: string[], into: Set<string> = new Set()): Set<string> {
  if (types.includes(node.type)) into.add(node.text);
  for (const found of node.descendantsOfType(types)) if (found) into.add(found.text);
  return into;
}

function unwrapExport(node: Node): Node {
  if (node.type !== 'export_statement') return node;
  return node.childForFieldName('declaration') ?? node;
}

function describeTopLevel(outer: Node): TopLevelStatement | undefined {
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

export interface FunctionSite {
  /** The whole statement in the file: `export …` included. */
  outer: Node;
  /** The declaration without `export`: the function declaration or the `const f = …` statement. */
  inner: Node;
  name: string;
  parameters: Node | null;
}

function functionSiteOf(outer: Node): FunctionSite | undefined {
  const inner = unwrapExport(outer);
  if (inner.type === 'function_declaration' || inner.type === 'generator_function_declaration') {
    const name = inner.childForFieldName('name')?.text;
    return name ? { outer, inner, name, parameters: parametersOf(inner) } : undefined;
  }
  if (VARIABLE_TYPES.has(inner.type)) {
    const declarators = inner.namedChildren.filter((c): c is Node => c?.type === 'variable_declarator');
    // `const f = () => …, g = 2`: only a declaration of the function alone can be replaced as a whole.
    const [declarator] = declarators;
    if (!declarator || declarators.length !== 1) return undefined;
    const name = declarator.childForFieldName('name');
    const value = declarator.childForFieldName('value');
    if (name?.type !== 'identifier' || !value || !FUNCTION_VALUE_TYPES.has(value.type)) return undefined;
    return { outer, inner, name: name.text, parameters: parametersOf(value) };
  }
  return undefined;
}

function parametersOf(fn: Node): Node | null {
  return fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
}

function functionSites(root: Node): FunctionSite[] {
  return root.namedChildren.flatMap((child) => (child ? (functionSiteOf(child) ?? []) : []));
}

/** Parameter names in order; destructured parameters by their pattern text, rest parameters with `...`. */
function parameterNames(parameters: Node | null): string[] {
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

function lineRangeOf(node: Node): LineRange {
  return { start: node.startPosition.row + 1, end: node.endPosition.row + 1 };
}

function chooseSite(sites: FunctionSite[], spec: TargetSpec, filePath: string): FunctionSite {
  if (spec.functionName) {
    const match = sites.find((s) => s.name === spec.functionName);
    if (match) return match;
    const known = sites.map((s) => s.name).join(', ') || 'none';
    throw new RunnerError(`No module-level function named \`${spec.functionName}\` in ${filePath}. Functions there: ${known}.`);
  }
  const lines = spec.lines;
  if (!lines) throw new RunnerError('Say which function to optimize: a function name or a line range.');
  const containing = sites.find((s) => {
    const r = lineRangeOf(s.outer);
    return r.start <= lines.start && lines.end <= r.end;
  });
  if (containing) return containing;
  const overlapping = sites.filter((s) => {
    const r = lineRangeOf(s.outer);
    return r.start <= lines.end && lines.start <= r.end;
  });
  if (overlapping.length > 1) {
    throw new RunnerError(`Lines ${lines.start}-${lines.end} span several functions (${overlapping.map((s) => s.name).join(', ')}); select one function.`);
  }
  throw new RunnerError(`Lines ${lines.start}-${lines.end} of ${filePath} are not inside a module-level function; Perfloop optimizes functions.`);
}


export async function extractJavaScriptTarget(fileText: string, filePath: string, spec: TargetSpec): Promise<ExtractedTarget> {
  const root = (await parse(fileText, grammarForFile(filePath))).rootNode;
  const site = chooseSite(functionSites(root), spec, filePath);
  if (site.outer.hasError) {
    throw new RunnerError(`\`${site.name}\` in ${filePath} has a syntax error (line ${site.outer.startPosition.row + 1} or below); fix it first.`);
  }
  const statements = root.namedChildren.flatMap((child) => (child && child.id !== site.outer.id ? (describeTopLevel(child) ?? []) : []));
  // Imports without bindings (side effects) always stay.
  const needed = neededDefinitions(statements, collect(site.inner, USE_TYPES), site.name, (s) => s.isImport && s.binds.size === 0);
  return {
    // Two ids, one runner: the prompts and the reply parser must say TypeScript for .ts files.
    language: isTypeScriptFile(filePath) ? TYPESCRIPT_LANGUAGE : JAVASCRIPT_LANGUAGE,
    filePath,
    fileText,
    functionName: site.name,
    range: lineRangeOf(site.outer),
    startOffset: site.outer.startIndex,
    endOffset: site.outer.endIndex,
    functionSource: site.outer.text,
    // Without `export`: the program is a private module, and `export default` twice would not even parse.
    contextSource: needed.map((s) => s.inner.text).join('\n\n'),
    contextNames: [...new Set(needed.flatMap((s) => [...s.binds]))],
    parameters: parameterNames(site.parameters),
  };
}

function joinModule(context: string, body: string, functionName: string): string {
  const parts = [context.trim(), body.trim(), `export { ${functionName} as ${TARGET_EXPORT} };`].filter((p) => p.length > 0);
  return `${parts.join('\n\n')}\n`;
}

/** The program of the original. Synchronous (the contract's originalProgram is): `export` is peeled off textually. */
export function originalJavaScriptProgram(target: ExtractedTarget): Program {
  const body = target.functionSource.replace(/^export\s+(?:default\s+)?/, '');
  return { id: 'original', source: joinModule(target.contextSource, body, target.functionName), functionName: target.functionName };
}

const normalise = (code: string): string => code.replace(/\s+/g, ' ').trim();

interface CandidateParts {
  imports: string[];
  /** The candidate's other statements, `export` peeled off, minus those identical to the context's. */
  helpers: string[];
  /** The function's declaration without `export`. */
  functionText: string;
}

async function splitCandidate(target: ExtractedTarget, code: string): Promise<CandidateParts | { reason: string }> {
  const grammar = grammarForFile(target.filePath);
  const root = (await parse(code, grammar)).rootNode;
  if (root.hasError) {
    const bad = root.descendantsOfType('ERROR')[0] ?? root;
    return { reason: `the code does not parse as ${grammar === 'javascript' ? 'JavaScript' : 'TypeScript'} (syntax error near line ${bad.startPosition.row + 1})` };
  }
  const sites = functionSites(root);
  const fn = sites.find((s) => s.name === target.functionName);
  if (!fn) {
    const defined = sites.map((s) => s.name).join(', ') || 'no function';
    return { reason: `the code does not define \`${target.functionName}\` at module level (it defines ${defined})` };
  }
  const originalSite = functionSites((await parse(target.functionSource, grammar)).rootNode)[0];
  const before = parameterNames(originalSite?.parameters ?? null);
  const after = parameterNames(fn.parameters);
  if (before.join(',') !== after.join(',')) {
    return { reason: `the candidate changes the signature of \`${target.functionName}\` (${after.join(', ')} instead of ${before.join(', ')})` };
  }
  const contextRoot = (await parse(target.contextSource, grammar)).rootNode;
  const known = new Set(contextRoot.namedChildren.map((c) => (c ? normalise(c.text) : '')));
  const parts: CandidateParts = { imports: [], helpers: [], functionText: fn.inner.text };
  for (const child of root.namedChildren) {
    if (!child || child.id === fn.outer.id || child.type === 'comment') continue;
    const inner = unwrapExport(child);
    // Re-exports and `export default f` add nothing runnable; LLMs often append them.
    if (inner === child && child.type === 'export_statement') continue;
    if (inner.type === 'import_statement') parts.imports.push(inner.text);
    else if (!known.has(normalise(inner.text))) parts.helpers.push(inner.text);
  }
  return parts;
}

/** Imports of `imports` that `existingSource` does not already provide (same text, or every name already bound). */
async function missingImports(imports: string[], existingSource: string, grammar: GrammarName): Promise<string[]> {
  const existing = (await parse(existingSource, grammar)).rootNode.namedChildren
    .flatMap((c) => (c ? (describeTopLevel(c) ?? []) : []))
    .filter((s) => s.isImport);
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

export async function buildJavaScriptCandidate(target: ExtractedTarget, code: string, id: string): Promise<CandidateBuild> {
  const parts = await splitCandidate(target, code);
  if ('reason' in parts) return { ok: false, reason: parts.reason };
  const newImports = await missingImports(parts.imports, target.contextSource, grammarForFile(target.filePath));
  const context = [...newImports, target.contextSource].filter((s) => s.trim()).join('\n');
  const body = [...parts.helpers, parts.functionText].join('\n\n');
  return { ok: true, program: { id, source: joinModule(context, body, target.functionName), functionName: target.functionName } };
}

/** Where new imports go: after the last module-level import, else at the top (after a shebang or 'use strict'). */
async function importInsertionOffset(fileText: string, grammar: GrammarName): Promise<number> {
  let offset = 0;
  for (const child of (await parse(fileText, grammar)).rootNode.namedChildren) {
    if (!child) continue;
    if (child.type === 'import_statement' || child.type === 'hash_bang_line') offset = child.endIndex;
    else if (offset === 0 && child.type === 'expression_statement' && child.namedChildren[0]?.type === 'string') offset = child.endIndex;
    else if (child.type !== 'comment') break;
  }
  return offset;
}

/** The user's file with the function replaced (keeping its `export`); throws RunnerError when it cannot be applied. */
export async function applyJavaScriptCandidate(target: ExtractedTarget, code: string): Promise<string> {
  const parts = await splitCandidate(target, code);
  if ('reason' in parts) throw new RunnerError(`Cannot apply the candidate: ${parts.reason}.`);
  const grammar = grammarForFile(target.filePath);
  const originalSite = functionSites((await parse(target.functionSource, grammar)).rootNode)[0];
  const exportPrefix = originalSite ? target.functionSource.slice(0, originalSite.inner.startIndex - originalSite.outer.startIndex) : '';
  const body = [...parts.helpers, `${exportPrefix}${parts.functionText}`].join('\n\n');
  const text = target.fileText;
  const replaced = text.slice(0, target.startOffset) + body + text.slice(target.endOffset);
  const newImports = await missingImports(parts.imports, text, grammar);
  if (newImports.length === 0) return replaced;
  let at = await importInsertionOffset(text, grammar);
  // Offsets are the original file's; shift them when the import block comes after the function.
  if (at >= target.endOffset) at += body.length - (target.endOffset - target.startOffset);
  const block = newImports.join('\n');
  if (at === 0) return `${block}\n${replaced}`;
  return `${replaced.slice(0, at)}\n${block}${replaced.slice(at)}`;
}
