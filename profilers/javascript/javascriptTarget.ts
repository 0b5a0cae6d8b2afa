/**
 * Finds a JavaScript/TypeScript function with tree-sitter and collects what it needs from its module: the imports,
 * helpers, classes, types and constants it refers to (transitively). The harness then runs that self-contained excerpt,
 * never the user's whole module, so unrelated top-level code (a server start, a CLI entry) does not run. Methods of
 * module-level classes (`Cart.total`) are handled in javascriptMethod.ts.
 */
import type { Node } from 'web-tree-sitter';
import type { CandidateBuild, ExtractedTarget, LanguageId, LineRange, Program, TargetSpec } from '../runner.js';
import { neededDefinitions } from '../neededDefinitions.js';
import { assertParses } from '../syntaxErrors.js';
import { RunnerError } from '../runner.js';
import { applyMethodCandidate, buildMethodCandidate, methodSites, methodTarget, originalMethodProgram, type MethodSite } from './javascriptMethod.js';
import {
  collect,
  grammarForFile,
  hasSyntaxError,
  importInsertionOffset,
  insertImports,
  isTypeScriptFile,
  lineRangeOf,
  missingImports,
  normalise,
  parameterNames,
  parametersOf,
  parse,
  syntaxErrorReason,
  topLevelStatements,
  unwrapExport,
  USE_TYPES,
  VARIABLE_TYPES,
} from './javascriptSyntax.js';
import { functionModule } from './programModule.js';

export { grammarForFile, isTypeScriptFile } from './javascriptSyntax.js';
export { TARGET_EXPORT } from './programModule.js';

/** Casts until runner.ts's LanguageId lists these two (that wiring is outside this directory); then drop the casts. */
export const JAVASCRIPT_LANGUAGE: LanguageId = 'javascript';
export const TYPESCRIPT_LANGUAGE: LanguageId = 'typescript';

const FUNCTION_VALUE_TYPES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);

export interface FunctionSite {
  /** The whole statement in the file: `export …` included. */
  outer: Node;
  /** The declaration without `export`: the function declaration or the `const f = …` statement. */
  inner: Node;
  name: string;
  parameters: Node | null;
  /** The function as an expression: a `const`'s or a CommonJS export's value (undefined for a declaration). */
  value?: Node;
  /** `exports.f = ` or `module.exports.f = ` when the function is defined as a CommonJS export. */
  commonJsExport?: string;
}

/** `exports.f = …` / `module.exports.f = …` at the start of a statement: the name, as CommonJS modules define functions. */
const COMMONJS_EXPORT = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=\s*/;

/** `exports.f = function (…) {…}` or `module.exports.f = (…) => …`: a function site whose program form is a `const`. */
function commonJsSiteOf(outer: Node): FunctionSite | undefined {
  const assignment = outer.type === 'expression_statement' ? outer.namedChildren[0] : undefined;
  if (assignment?.type !== 'assignment_expression') return undefined;
  const value = assignment.childForFieldName('right');
  const prefix = COMMONJS_EXPORT.exec(outer.text.slice(0, value ? value.startIndex - outer.startIndex : 0));
  if (!value || !prefix?.[1] || !FUNCTION_VALUE_TYPES.has(value.type) || prefix[0].length !== value.startIndex - outer.startIndex) return undefined;
  return { outer, inner: outer, name: prefix[1], parameters: parametersOf(value), value, commonJsExport: prefix[0] };
}

/** The function's declaration as the program module holds it: a CommonJS export becomes a `const` of the same value. */
export function programDeclaration(functionText: string): string {
  return functionText.replace(/^export\s+(?:default\s+)?/, '').replace(COMMONJS_EXPORT, (_, name: string) => `const ${name} = `);
}

function functionSiteOf(outer: Node): FunctionSite | undefined {
  const commonJs = commonJsSiteOf(outer);
  if (commonJs) return commonJs;
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
    return { outer, inner, name: name.text, parameters: parametersOf(value), value };
  }
  return undefined;
}

function functionSites(root: Node): FunctionSite[] {
  return root.namedChildren.flatMap((child) => (child ? (functionSiteOf(child) ?? []) : []));
}

type Site = { kind: 'function'; site: FunctionSite } | { kind: 'method'; site: MethodSite };

const siteName = (site: Site): string => (site.kind === 'function' ? site.site.name : site.site.qualifiedName);
const siteNode = (site: Site): Node => (site.kind === 'function' ? site.site.outer : site.site.member);

function chooseByName(functions: FunctionSite[], methods: MethodSite[], wanted: string, filePath: string): Site {
  const fn = functions.find((s) => s.name === wanted);
  if (fn) return { kind: 'function', site: fn };
  // An instance and a static method of one name: the instance method, unless a line range picks the other.
  const method = methods.find((s) => s.qualifiedName === wanted && !s.isStatic) ?? methods.find((s) => s.qualifiedName === wanted);
  if (method) return { kind: 'method', site: method };
  const sameName = methods.filter((s) => s.name === wanted && s.kind === 'method').map((s) => `\`${s.qualifiedName}\``);
  const hint = sameName.length > 0 ? ` \`${wanted}\` is a method: name it ${sameName.join(' or ')}.` : '';
  const methodNames = methods.filter((s) => s.kind === 'method').map((s) => s.qualifiedName);
  const inClasses = methodNames.length > 0 ? ` Methods there: ${methodNames.join(', ')}.` : '';
  const what = wanted.includes('.') ? 'method' : 'module-level function';
  throw new RunnerError(`No ${what} named \`${wanted}\` in ${filePath}.${hint} Functions there: ${functions.map((s) => s.name).join(', ') || 'none'}.${inClasses}`);
}

/** The function or method around the lines: innermost first (a method, not its class). */
function chooseByLines(functions: FunctionSite[], methods: MethodSite[], lines: LineRange, filePath: string): Site {
  const sites: Site[] = [...functions.map((site) => ({ kind: 'function' as const, site })), ...methods.map((site) => ({ kind: 'method' as const, site }))];
  const contains = (node: Node): boolean => {
    const r = lineRangeOf(node);
    return r.start <= lines.start && lines.end <= r.end;
  };
  const containing = sites.find((s) => contains(siteNode(s)));
  if (containing) return containing;
  const overlapping = sites.filter((s) => {
    const r = lineRangeOf(siteNode(s));
    return r.start <= lines.end && lines.start <= r.end;
  });
  if (overlapping.length > 1) {
    throw new RunnerError(`Lines ${lines.start}-${lines.end} span several functions or methods (${overlapping.map(siteName).join(', ')}); select one.`);
  }
  const inClass = methods.find((s) => contains(s.classNode));
  if (inClass) {
    throw new RunnerError(`Lines ${lines.start}-${lines.end} of ${filePath} are in class \`${inClass.className}\` but not inside one of its methods; select a method.`);
  }
  throw new RunnerError(`Lines ${lines.start}-${lines.end} of ${filePath} are not inside a module-level function or a class method; Perfloop optimizes functions and methods.`);
}

function chooseSite(root: Node, spec: TargetSpec, filePath: string): Site {
  const functions = functionSites(root);
  const methods = methodSites(root);
  if (spec.functionName) return chooseByName(functions, methods, spec.functionName, filePath);
  if (!spec.lines) throw new RunnerError('Say which function or method to optimize: a name or a line range.');
  return chooseByLines(functions, methods, spec.lines, filePath);
}

export async function extractJavaScriptTarget(fileText: string, filePath: string, spec: TargetSpec): Promise<ExtractedTarget> {
  const grammar = grammarForFile(filePath);
  const root = (await parse(fileText, grammar)).rootNode;
  const chosen = chooseSite(root, spec, filePath);
  const outer = chosen.kind === 'function' ? chosen.site.outer : chosen.site.classStatement;
  // tree-sitter's errors are checked only when the compiler confirms the file is broken (see compilerAccepts).
  const checkSyntax = await hasSyntaxError(root, fileText, grammar);
  if (checkSyntax) assertParses(filePath, [{ node: outer, subject: `\`${siteName(chosen)}\`` }]);
  // Two ids, one runner: the prompts and the reply parser must say TypeScript for .ts files.
  const language = isTypeScriptFile(filePath) ? TYPESCRIPT_LANGUAGE : JAVASCRIPT_LANGUAGE;
  if (chosen.kind === 'method') return methodTarget(root, chosen.site, fileText, filePath, language);
  const site = chosen.site;
  const statements = topLevelStatements(root).filter((s) => s.outer.id !== site.outer.id);
  // Imports without bindings (side effects) always stay.
  const needed = neededDefinitions(statements, collect(site.inner, USE_TYPES), site.name, (s) => s.isImport && s.binds.size === 0);
  if (checkSyntax) assertParses(filePath, needed.map((s) => ({ node: s.outer, subject: `\`${[...s.binds][0] ?? s.inner.text.split('\n')[0]}\`, which \`${site.name}\` uses` })));
  return {
    language,
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

/** The program of the original. Synchronous (the contract's originalProgram is): `export` is peeled off textually. */
export function originalJavaScriptProgram(target: ExtractedTarget): Program {
  if (target.method) return originalMethodProgram(target, target.method);
  const body = programDeclaration(target.functionSource);
  return { id: 'original', source: functionModule(target.contextSource, body, target.functionName), functionName: target.functionName };
}

interface CandidateParts {
  imports: string[];
  /** The statements the function needs that `existing` lacks, `export` peeled off, in the reply's order. */
  helpers: string[];
  /** The function's declaration without `export` (its `async` restored when the reply merely left it out). */
  functionText: string;
}

/** The node whose text starts with `async` when the function is async: the declaration, or the `const`'s value. */
function asyncSlot(site: FunctionSite): Node {
  return site.value ?? site.inner;
}

/** The function as an expression, for a CommonJS export in the user's file: a declaration's text, or a `const`'s value. */
function asExpression(declaration: string): string {
  const constant = /^(?:const|let|var)\s+[A-Za-z_$][\w$]*\s*(?::[^=]+)?=\s*/.exec(declaration);
  return constant ? declaration.slice(constant[0].length).replace(/;\s*$/, '') : declaration;
}

const isAsync = (site: FunctionSite): boolean => asyncSlot(site).children[0]?.type === 'async';

/**
 * What of a reply goes in: the target function and the statements it needs, transitively. A whole-file reply's other
 * functions, demo calls and re-exports are not needed (and a second declaration of a function would not even load), and
 * a definition identical to one of `existing` (the context for a build, the file for Apply) is already there.
 */
async function splitCandidate(target: ExtractedTarget, code: string, existing: string): Promise<CandidateParts | { reason: string }> {
  const grammar = grammarForFile(target.filePath);
  const root = (await parse(code, grammar)).rootNode;
  const syntaxError = await syntaxErrorReason(root, code, grammar);
  if (syntaxError) return { reason: syntaxError };
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
  const restoreAsync = originalSite !== undefined && isAsync(originalSite) && !isAsync(fn);
  const asyncAt = asyncSlot(fn).startIndex - fn.inner.startIndex;
  const functionText = programDeclaration(restoreAsync ? `${fn.inner.text.slice(0, asyncAt)}async ${fn.inner.text.slice(asyncAt)}` : fn.inner.text);
  const statements = topLevelStatements(root).filter((s) => s.outer.id !== fn.outer.id);
  // Imports without bindings (side effects) always stay, as in the original's context.
  const needed = new Set(neededDefinitions(statements, collect(fn.inner, USE_TYPES), fn.name, (s) => s.isImport && s.binds.size === 0));
  const known = new Set(topLevelStatements((await parse(existing, grammar)).rootNode).map((s) => normalise(s.inner.text)));
  const parts: CandidateParts = { imports: [], helpers: [], functionText };
  for (const statement of statements) {
    if (!needed.has(statement)) continue;
    if (statement.isImport) parts.imports.push(statement.inner.text);
    else if (!known.has(normalise(statement.inner.text))) parts.helpers.push(statement.inner.text);
  }
  return parts;
}

export async function buildJavaScriptCandidate(target: ExtractedTarget, code: string, id: string): Promise<CandidateBuild> {
  if (target.method) return buildMethodCandidate(target, target.method, code, id);
  const parts = await splitCandidate(target, code, target.contextSource);
  if ('reason' in parts) return { ok: false, reason: parts.reason };
  const newImports = await missingImports(parts.imports, target.contextSource, grammarForFile(target.filePath));
  const context = [...newImports, target.contextSource].filter((s) => s.trim()).join('\n');
  const body = [...parts.helpers, parts.functionText].join('\n\n');
  return { ok: true, program: { id, source: functionModule(context, body, target.functionName), functionName: target.functionName } };
}

/** The user's file with the function replaced (keeping its `export`); throws RunnerError when it cannot be applied. */
export async function applyJavaScriptCandidate(target: ExtractedTarget, code: string): Promise<string> {
  if (target.method) return applyMethodCandidate(target, target.method, code);
  const parts = await splitCandidate(target, code, target.fileText);
  if ('reason' in parts) throw new RunnerError(`Cannot apply the candidate: ${parts.reason}.`);
  const grammar = grammarForFile(target.filePath);
  const originalSite = functionSites((await parse(target.functionSource, grammar)).rootNode)[0];
  const exportPrefix = originalSite ? target.functionSource.slice(0, originalSite.inner.startIndex - originalSite.outer.startIndex) : '';
  // A CommonJS export stays one: `exports.f = <the candidate as an expression>;`.
  const declaration = originalSite?.commonJsExport ? `${originalSite.commonJsExport}${asExpression(parts.functionText)};` : `${exportPrefix}${parts.functionText}`;
  const body = [...parts.helpers, declaration].join('\n\n');
  const text = target.fileText;
  const replaced = text.slice(0, target.startOffset) + body + text.slice(target.endOffset);
  const newImports = await missingImports(parts.imports, text, grammar);
  if (newImports.length === 0) return replaced;
  let at = await importInsertionOffset(text, grammar);
  // Offsets are the original file's; shift them when the import block comes after the function.
  if (at >= target.endOffset) at += body.length - (target.endOffset - target.startOffset);
  return insertImports(replaced, at, newImports.join('\n'));
}
