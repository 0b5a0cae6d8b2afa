/**
 * Finds a Python function with tree-sitter and collects what it needs from its module: the imports, helpers, classes and
 * constants it refers to (transitively). The harness then runs that self-contained excerpt, not the user's whole module,
 * so unrelated top-level code (a `main()` call, a server start) never runs.
 */
import type { Node, Parser, Tree } from 'web-tree-sitter';
import { assertParses } from '../syntaxErrors.js';
import type { CandidateBuild, ExtractedTarget, LineRange, MethodTarget, Program, TargetSpec } from '../runner.js';
import { neededDefinitions } from '../neededDefinitions.js';
import { RunnerError } from '../runner.js';
import { dedent, indentationAt } from '../sourceText.js';
import { createParser } from '../treeSitter.js';
import { restoreOmittedParts } from './pythonOmissions.js';

interface TopLevelStatement {
  node: Node;
  /** Names the statement binds at module level. */
  binds: Set<string>;
  /** Identifiers the statement reads (over-approximated: every identifier inside it). */
  uses: Set<string>;
  isImport: boolean;
  /** Always kept (`from __future__ import ...`, star imports). */
  alwaysKeep: boolean;
}

let parserPromise: Promise<Parser> | undefined;
function pythonParser(): Promise<Parser> {
  parserPromise ??= createParser('python');
  return parserPromise;
}

async function parse(text: string): Promise<Tree> {
  const tree = (await pythonParser()).parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree for a Python source');
  return tree;
}

function identifiersIn(node: Node, into: Set<string> = new Set()): Set<string> {
  for (const id of node.descendantsOfType('identifier')) {
    if (id) into.add(id.text);
  }
  return into;
}

/** The function_definition or class_definition under an optional decorated_definition wrapper. */
function definitionOf(node: Node): Node | null {
  if (node.type === 'decorated_definition') return node.childForFieldName('definition');
  if (node.type === 'function_definition' || node.type === 'class_definition') return node;
  return null;
}

function bindingsOfTarget(target: Node | null, into: Set<string>): void {
  if (!target) return;
  if (target.type === 'identifier') {
    into.add(target.text);
    return;
  }
  // Tuple/list unpacking: every identifier on the left binds; attribute/subscript targets bind nothing new.
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'tuple', 'list'].includes(target.type)) {
    for (const child of target.namedChildren) if (child) bindingsOfTarget(child, into);
  }
}

function importBindings(node: Node, into: Set<string>): boolean {
  let star = false;
  if (node.type === 'import_statement') {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'aliased_import') {
        const alias = child.childForFieldName('alias');
        if (alias) into.add(alias.text);
      } else if (child.type === 'dotted_name') {
        const first = child.namedChildren[0];
        if (first) into.add(first.text);
      }
    }
  } else if (node.type === 'import_from_statement') {
    const moduleName = node.childForFieldName('module_name');
    for (const child of node.namedChildren) {
      if (!child || child.id === moduleName?.id) continue;
      if (child.type === 'wildcard_import') star = true;
      else if (child.type === 'aliased_import') {
        const alias = child.childForFieldName('alias');
        if (alias) into.add(alias.text);
      } else if (child.type === 'dotted_name') into.add(child.text);
    }
  }
  return star;
}

/** Names bound anywhere in a compound statement (if/try/with at module level), not descending into functions. */
function bindingsInside(node: Node, into: Set<string>): void {
  for (const child of node.namedChildren) {
    if (!child) continue;
    const definition = definitionOf(child);
    if (definition) {
      const name = definition.childForFieldName('name');
      if (name) into.add(name.text);
      continue;
    }
    if (child.type === 'import_statement' || child.type === 'import_from_statement') importBindings(child, into);
    else if (child.type === 'assignment' || child.type === 'augmented_assignment') {
      bindingsOfTarget(child.childForFieldName('left'), into);
    } else bindingsInside(child, into);
  }
}

function isMainGuard(node: Node): boolean {
  if (node.type !== 'if_statement') return false;
  const condition = node.childForFieldName('condition');
  return !!condition && /__name__\s*==\s*['"]__main__['"]/.test(condition.text);
}

function describeTopLevel(node: Node): TopLevelStatement | undefined {
  const binds = new Set<string>();
  const uses = identifiersIn(node);
  const definition = definitionOf(node);
  if (definition) {
    const name = definition.childForFieldName('name');
    if (name) binds.add(name.text);
    return { node, binds, uses, isImport: false, alwaysKeep: false };
  }
  switch (node.type) {
    case 'future_import_statement':
      return { node, binds, uses, isImport: true, alwaysKeep: true };
    case 'import_statement':
    case 'import_from_statement': {
      const star = importBindings(node, binds);
      return { node, binds, uses, isImport: true, alwaysKeep: star };
    }
    case 'expression_statement': {
      for (const child of node.namedChildren) {
        if (child && (child.type === 'assignment' || child.type === 'augmented_assignment')) {
          bindingsOfTarget(child.childForFieldName('left'), binds);
        }
      }
      // Bare expressions (calls, docstrings) bind nothing and are never needed by the function.
      return binds.size > 0 ? { node, binds, uses, isImport: false, alwaysKeep: false } : undefined;
    }
    case 'if_statement':
    case 'try_statement':
    case 'with_statement':
      if (isMainGuard(node)) return undefined;
      bindingsInside(node, binds);
      return binds.size > 0 ? { node, binds, uses, isImport: false, alwaysKeep: false } : undefined;
    default:
      return undefined;
  }
}

interface FunctionSite {
  /** The decorated_definition when decorated, else the function_definition. */
  outer: Node;
  name: string;
  parameters: Node | null;
  /** Class name when this is a method. */
  className?: string;
  /** The class statement (decorated_definition or class_definition) when this is a method. */
  classOuter?: Node;
}

function functionSites(root: Node): FunctionSite[] {
  const sites: FunctionSite[] = [];
  const visit = (node: Node, owner: { name: string; outer: Node } | undefined, depth: number): void => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      const definition = definitionOf(child);
      if (definition?.type === 'function_definition') {
        const name = definition.childForFieldName('name')?.text ?? '';
        const site: FunctionSite = { outer: child, name, parameters: definition.childForFieldName('parameters') };
        if (owner) Object.assign(site, { className: owner.name, classOuter: owner.outer });
        if (depth === 0 || owner) sites.push(site);
      } else if (definition?.type === 'class_definition' && depth === 0) {
        const body = definition.childForFieldName('body');
        const name = definition.childForFieldName('name')?.text;
        if (body && name) visit(body, { name, outer: child }, depth + 1);
      }
    }
  };
  visit(root, undefined, 0);
  return sites;
}

/** `@lru_cache`, `@functools.cache`, ... on the function itself: caching across calls of the target fakes speedups. */
function memoizingDecorator(outer: Node | null): string | undefined {
  if (!outer || outer.type !== 'decorated_definition') return undefined;
  for (const decorator of outer.namedChildren) {
    if (decorator?.type === 'decorator' && /\b(lru_cache|cache|cached|memoize\w*)\b/.test(decorator.text)) return decorator.text.trim();
  }
  return undefined;
}

function lineRangeOf(node: Node): LineRange {
  return { start: node.startPosition.row + 1, end: node.endPosition.row + 1 };
}

function chooseSite(sites: FunctionSite[], spec: TargetSpec, filePath: string): FunctionSite {
  const topLevel = sites.filter((s) => !s.className);
  if (spec.functionName) {
    const wanted = spec.functionName;
    const dotted = wanted.includes('.');
    const match = sites.find((s) => (dotted ? `${s.className}.${s.name}` === wanted : !s.className && s.name === wanted));
    if (match) return match;
    const method = sites.find((s) => s.className && s.name === wanted);
    if (method) return method;
    const known = topLevel.map((s) => s.name).join(', ') || 'none';
    throw new RunnerError(`No function named \`${wanted}\` in ${filePath}. Module-level functions there: ${known}.`);
  }
  const lines = spec.lines;
  if (!lines) throw new RunnerError('Say which function to optimize: a function name or a line range.');
  const containing = sites
    .filter((s) => {
      const r = lineRangeOf(s.outer);
      return r.start <= lines.start && lines.end <= r.end;
    })
    .sort((a, b) => lineRangeOf(a.outer).end - lineRangeOf(a.outer).start - (lineRangeOf(b.outer).end - lineRangeOf(b.outer).start));
  if (containing[0]) return containing[0];
  const overlapping = topLevel.filter((s) => {
    const r = lineRangeOf(s.outer);
    return r.start <= lines.end && lines.start <= r.end;
  });
  if (overlapping.length > 1) {
    throw new RunnerError(
      `Lines ${lines.start}-${lines.end} span several functions (${overlapping.map((s) => s.name).join(', ')}); select one function.`,
    );
  }
  throw new RunnerError(`Lines ${lines.start}-${lines.end} of ${filePath} are not inside a function; Perfloop optimizes functions.`);
}

function parameterNames(parameters: Node | null): string[] {
  if (!parameters) return [];
  const names: string[] = [];
  for (const p of parameters.namedChildren) {
    if (!p) continue;
    if (p.type === 'identifier') names.push(p.text);
    else {
      const name = p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier') ?? null;
      if (name) names.push(p.type === 'list_splat_pattern' ? `*${name.text}` : p.type === 'dictionary_splat_pattern' ? `**${name.text}` : name.text);
    }
  }
  return names;
}


export async function extractPythonTarget(fileText: string, filePath: string, spec: TargetSpec): Promise<ExtractedTarget> {
  const tree = await parse(fileText);
  const root = tree.rootNode;
  const site = chooseSite(functionSites(root), spec, filePath);
  assertParses(filePath, [{ node: site.outer, subject: `\`${site.name}\`` }]);
  const statements: TopLevelStatement[] = [];
  for (const child of root.namedChildren) {
    if (!child || child.id === site.outer.id || child.id === site.classOuter?.id) continue;
    const statement = describeTopLevel(child);
    if (statement) statements.push(statement);
  }
  if (site.className && site.classOuter) return extractMethod(fileText, filePath, site as MethodSite, statements);
  const needed = neededDefinitions(statements, identifiersIn(site.outer), site.name, (s) => s.alwaysKeep);
  assertParses(filePath, needed.map((s) => ({ node: s.node, subject: `\`${[...s.binds][0] ?? s.node.text.split('\n')[0]}\`, which \`${site.name}\` uses` })));
  const contextNames = [...new Set(needed.flatMap((s) => [...s.binds]))];
  return {
    language: 'python',
    filePath,
    fileText,
    functionName: site.name,
    range: lineRangeOf(site.outer),
    startOffset: site.outer.startIndex,
    endOffset: site.outer.endIndex,
    functionSource: site.outer.text,
    contextSource: needed.map((s) => s.node.text).join('\n\n'),
    contextNames,
    parameters: parameterNames(site.parameters),
  };
}

type MethodSite = FunctionSite & { className: string; classOuter: Node };

/** Text of `node` as it sits in its file, the first line's indentation included, dedented as a whole. */
function dedentedText(node: Node, fileText: string): string {
  const lineStart = fileText.lastIndexOf('\n', node.startIndex - 1) + 1;
  return dedent(fileText.slice(lineStart, node.endIndex));
}

/** `text` (dedented) re-indented to sit at column `indent` of a class body, its first line left for the caller to place. */
function reindent(text: string, indent: string): string {
  return dedent(text)
    .split('\n')
    .map((line, i) => (i === 0 || line.trim() === '' ? line : indent + line))
    .join('\n');
}

function decoratorTexts(outer: Node): string[] {
  if (outer.type !== 'decorated_definition') return [];
  return outer.namedChildren.filter((c): c is Node => c?.type === 'decorator').map((c) => c.text.replace(/^@\s*/, '').trim());
}

/** How a method is bound: the decorators that change how it is called. */
function methodBinding(outer: Node): 'instance' | 'static' | 'class' | 'property' {
  for (const decorator of decoratorTexts(outer)) {
    if (/^(?:builtins\.)?staticmethod$/.test(decorator)) return 'static';
    if (/^(?:builtins\.)?classmethod$/.test(decorator)) return 'class';
    if (/^(?:(?:functools\.)?cached_property|property|\w+\.(?:setter|getter|deleter))$/.test(decorator)) return 'property';
  }
  return 'instance';
}

/**
 * A method: the programs hold its whole class (so `self.helper()` and recursion run that side's code), the prompt shows
 * the class with the method left out. The receiver is the first input of an instance method.
 */
function extractMethod(fileText: string, filePath: string, site: MethodSite, statements: TopLevelStatement[]): ExtractedTarget {
  const qualified = `${site.className}.${site.name}`;
  const binding = methodBinding(site.outer);
  if (binding === 'property') {
    throw new RunnerError(
      `\`${qualified}\` is a property; Perfloop optimizes methods it can call. Move the work into a method (the property can call it) and optimize that.`,
    );
  }
  assertParses(filePath, [{ node: site.classOuter, subject: `the class \`${site.className}\`` }]);
  const needed = neededDefinitions(statements, identifiersIn(site.classOuter), site.className, (st) => st.alwaysKeep);
  const inOrder = [...needed.map((st) => st.node), site.classOuter].sort((a, b) => a.startIndex - b.startIndex);
  const classText = site.classOuter.text;
  const methodStart = site.outer.startIndex - site.classOuter.startIndex;
  const methodEnd = site.outer.endIndex - site.classOuter.startIndex;
  const parameters = parameterNames(site.parameters);
  const placeholder = `# ${site.name}(${parameters.join(', ')}): the method being optimized, shown on its own`;
  const elidedClass = classText.slice(0, methodStart) + placeholder + classText.slice(methodEnd);
  const join = (nodes: Node[], classVersion: string): string =>
    nodes.map((node) => (node.id === site.classOuter.id ? classVersion : node.text)).join('\n\n');
  return {
    language: 'python',
    filePath,
    fileText,
    functionName: qualified,
    range: lineRangeOf(site.outer),
    startOffset: site.outer.startIndex,
    endOffset: site.outer.endIndex,
    functionSource: dedentedText(site.outer, fileText),
    contextSource: join(inOrder, elidedClass),
    contextNames: [...new Set(inOrder.flatMap((node) => [...(describeTopLevel(node)?.binds ?? [])]))],
    // A classmethod is called bound to its class: its `cls` is not an input.
    parameters: binding === 'class' ? parameters.slice(1) : parameters,
    method: { className: site.className, name: site.name, isStatic: binding !== 'instance', programContext: join(inOrder, classText) },
  };
}

interface MethodParts {
  /** The method's new text, dedented. */
  method: string;
  /** New methods the candidate adds to the class, dedented. */
  helperMethods: string[];
  /** Module-level statements besides imports that the context does not already have (helper functions, constants). */
  moduleBody: string[];
  imports: string[];
}

function classSite(root: Node, className: string): { outer: Node; body: Node } | undefined {
  let found: { outer: Node; body: Node } | undefined;
  for (const child of root.namedChildren) {
    const definition = child ? definitionOf(child) : null;
    const body = definition?.childForFieldName('body');
    if (child && definition?.type === 'class_definition' && body && definition.childForFieldName('name')?.text === className) {
      found = { outer: child, body };
    }
  }
  return found;
}

function memberName(member: Node): string | undefined {
  const definition = definitionOf(member);
  return definition ? definition.childForFieldName('name')?.text : undefined;
}

/** The class statements that define nothing: a docstring, `pass`, `...`. */
function isInertMember(member: Node): boolean {
  if (member.type === 'pass_statement' || member.type === 'comment') return true;
  const only = member.type === 'expression_statement' && member.namedChildCount === 1 ? member.namedChildren[0] : null;
  return !!only && (only.type === 'string' || only.type === 'ellipsis');
}

/** The reply's method (in its class, or bare) with the original's left-out decorators, `async` and docstring put back. */
async function withOmittedMethodParts(target: ExtractedTarget & { method: MethodTarget }, code: string): Promise<string> {
  const root = (await parse(code)).rootNode;
  if (root.hasError) return code;
  const { className, name } = target.method;
  const inClass = classSite(root, className)?.body.namedChildren.find((m): m is Node => !!m && memberName(m) === name);
  const method = inClass ?? root.namedChildren.find((c): c is Node => !!c && memberName(c) === name);
  const original = (await parse(target.functionSource)).rootNode.namedChildren[0];
  return method && original ? restoreOmittedParts(code, method, original, target.functionSource) : code;
}

async function splitMethodCandidate(target: ExtractedTarget & { method: MethodTarget }, replyCode: string): Promise<MethodParts | { reason: string }> {
  const { className, name } = target.method;
  const code = await withOmittedMethodParts(target, replyCode);
  const root = (await parse(code)).rootNode;
  if (root.hasError) {
    const bad = root.descendantsOfType('ERROR')[0] ?? root;
    return { reason: `the code does not parse as Python (syntax error near line ${bad.startPosition.row + 1})` };
  }
  const contextRoot = (await parse(target.method.programContext)).rootNode;
  const originalClass = classSite(contextRoot, className);
  if (!originalClass) return { reason: `internal: the class \`${className}\` is missing from the context` };
  const originalMembers = new Map<string, Node>();
  const originalInert = new Set<string>();
  for (const member of originalClass.body.namedChildren) {
    if (!member) continue;
    const memberKey = memberName(member);
    if (memberKey) originalMembers.set(memberKey, member);
    else originalInert.add(normalise(member.text));
  }
  const originalMethod = originalMembers.get(name);
  if (!originalMethod) return { reason: `internal: \`${className}.${name}\` is missing from the context` };

  const replyClass = classSite(root, className);
  let method: Node | undefined;
  const helperMethods: string[] = [];
  if (replyClass) {
    for (const member of replyClass.body.namedChildren) {
      if (!member || isInertMember(member)) continue;
      const memberKey = memberName(member);
      if (memberKey === name) {
        method = member;
        continue;
      }
      const before = memberKey ? originalMembers.get(memberKey) : undefined;
      if (memberKey && !before) helperMethods.push(dedentedText(member, code));
      else if (before ? normalise(before.text) !== normalise(member.text) : !originalInert.has(normalise(member.text))) {
        const what = memberKey ? `\`${className}.${memberKey}\`` : `the class body of \`${className}\` (\`${member.text.split('\n')[0]?.trim()}\`)`;
        return { reason: `the candidate changes ${what}; only \`${className}.${name}\` may change (new helper methods may be added)` };
      }
    }
  }
  // A bare method (`def total(self, ...)` at column 0) is accepted too.
  const bare = !method ? root.namedChildren.find((c): c is Node => !!c && memberName(c) === name && definitionOf(c)?.type === 'function_definition') : undefined;
  method ??= bare;
  if (!method || definitionOf(method)?.type !== 'function_definition') {
    return { reason: `the code defines neither \`class ${className}\` with \`def ${name}\` nor a bare \`def ${name}(...)\`` };
  }
  const originalParameters = parameterNames(definitionOf(originalMethod)?.childForFieldName('parameters') ?? null);
  const candidateParameters = parameterNames(definitionOf(method)?.childForFieldName('parameters') ?? null);
  if (originalParameters.join(',') !== candidateParameters.join(',')) {
    return {
      reason: `the candidate changes the signature of \`${className}.${name}\` (${candidateParameters.join(', ')} instead of ${originalParameters.join(', ')})`,
    };
  }
  if (methodBinding(method) !== methodBinding(originalMethod)) {
    return { reason: `the candidate changes how \`${className}.${name}\` is bound (${methodBinding(method)} method instead of ${methodBinding(originalMethod)} method)` };
  }
  const cache = memoizingDecorator(method);
  if (cache && !memoizingDecorator(originalMethod)) {
    return {
      reason: `the candidate memoizes \`${className}.${name}\` across calls (${cache}); repeated calls would then time cache hits, not the work, so this is not allowed`,
    };
  }
  const contextStatements = new Set(contextRoot.namedChildren.map((c) => (c ? normalise(c.text) : '')));
  const imports: string[] = [];
  const moduleBody: string[] = [];
  for (const child of root.namedChildren) {
    if (!child || child.id === replyClass?.outer.id || child.id === bare?.id) continue;
    if (IMPORT_TYPES.includes(child.type)) imports.push(child.text);
    else if (!contextStatements.has(normalise(child.text)) && !isInertMember(child)) moduleBody.push(child.text);
  }
  return { method: dedentedText(method, code), helperMethods, moduleBody, imports };
}

/**
 * `source` (the programs' context, or the user's file) with the method replaced and the candidate's additions placed:
 * helper methods after it in the class, module-level helpers before the class, new imports where `importsAt` says.
 */
async function placeMethodCandidate(
  source: string,
  method: { start: number; end: number },
  classStart: number,
  parts: MethodParts,
  importsAt: number,
): Promise<string> {
  const indent = indentationAt(source, method.start);
  const methodText = [parts.method, ...parts.helperMethods].map((m) => reindent(m, indent)).join(`\n\n${indent}`);
  const newImports = await missingImports(parts.imports, source);
  const edits = [
    { at: method.start, end: method.end, text: methodText, order: 2 },
    ...(parts.moduleBody.length > 0 ? [{ at: classStart, end: classStart, text: `${parts.moduleBody.join('\n\n\n')}\n\n\n`, order: 1 }] : []),
    ...(newImports.length > 0 ? [{ at: importsAt, end: importsAt, text: importsAt === 0 ? `${newImports.join('\n')}\n` : `\n${newImports.join('\n')}`, order: 0 }] : []),
  ].sort((a, b) => b.at - a.at || b.order - a.order);
  let text = source;
  for (const edit of edits) text = text.slice(0, edit.at) + edit.text + text.slice(edit.end);
  return text;
}

async function methodInSource(source: string, className: string, name: string, at?: number): Promise<{ start: number; end: number; classStart: number }> {
  const sites = functionSites((await parse(source)).rootNode).filter((site) => site.className === className && site.name === name);
  const site = at === undefined ? sites[sites.length - 1] : sites.find((candidate) => candidate.outer.startIndex === at);
  if (!site?.classOuter) throw new RunnerError(`\`${className}.${name}\` is no longer where it was; run Perfloop again.`);
  return { start: site.outer.startIndex, end: site.outer.endIndex, classStart: site.classOuter.startIndex };
}

function isMethodTarget(target: ExtractedTarget): target is ExtractedTarget & { method: MethodTarget } {
  return target.method !== undefined;
}

function joinModule(context: string, body: string): string {
  return context.trim().length > 0 ? `${context}\n\n\n${body}\n` : `${body}\n`;
}

export function originalPythonProgram(target: ExtractedTarget): Program {
  if (target.method) return { id: 'original', source: `${target.method.programContext}\n`, functionName: target.functionName };
  return { id: 'original', source: joinModule(target.contextSource, target.functionSource), functionName: target.functionName };
}

const normalise = (code: string): string => code.replace(/\s+/g, ' ').trim();

interface CandidateParts {
  /** The import statements the candidate's code needs. */
  imports: string[];
  /** The function and the definitions it needs that `existing` lacks, in the reply's order. */
  body: string;
}

/**
 * What of a reply goes in: the target function (with what the reply merely left out restored) and the statements it
 * needs, transitively. A whole-file reply's module docstring, demo code, `__main__` block and unrelated functions are
 * not needed, and a definition identical to one of `existing` (the context for a build, the file for Apply) is already
 * there.
 */
async function splitCandidate(target: ExtractedTarget, replyCode: string, existing: string): Promise<CandidateParts | { reason: string }> {
  const parsed = await parse(replyCode);
  if (parsed.rootNode.hasError) {
    const bad = parsed.rootNode.descendantsOfType('ERROR')[0] ?? parsed.rootNode;
    return { reason: `the code does not parse as Python (syntax error near line ${bad.startPosition.row + 1})` };
  }
  const replyFunction = functionSites(parsed.rootNode).find((s) => !s.className && s.name === target.functionName);
  const original = (await parse(target.functionSource)).rootNode.namedChildren[0];
  const code = replyFunction && original ? restoreOmittedParts(replyCode, replyFunction.outer, original, target.functionSource) : replyCode;
  const root = (await parse(code)).rootNode;
  const sites = functionSites(root).filter((s) => !s.className);
  const fn = sites.find((s) => s.name === target.functionName);
  if (!fn) {
    const defined = sites.map((s) => s.name).join(', ') || 'no function';
    return { reason: `the code does not define \`${target.functionName}\` at module level (it defines ${defined})` };
  }
  const originalParameters = parameterNames((await parse(target.functionSource)).rootNode.descendantsOfType('parameters')[0] ?? null);
  const candidateParameters = parameterNames(fn.parameters);
  if (originalParameters.join(',') !== candidateParameters.join(',')) {
    return {
      reason: `the candidate changes the signature of \`${target.functionName}\` (${candidateParameters.join(', ')} instead of ${originalParameters.join(', ')})`,
    };
  }
  const cache = memoizingDecorator(fn.outer);
  if (cache && !memoizingDecorator(original ?? null)) {
    return {
      reason: `the candidate memoizes \`${target.functionName}\` across calls (${cache}); repeated calls would then time cache hits, not the work, so this is not allowed`,
    };
  }
  const statements = root.namedChildren.flatMap((child) => (child && child.id !== fn.outer.id ? (describeTopLevel(child) ?? []) : []));
  const needed = new Set(neededDefinitions(statements, identifiersIn(fn.outer), fn.name, (s) => s.alwaysKeep).map((s) => s.node.id));
  const known = new Set((await parse(existing)).rootNode.namedChildren.map((c) => (c ? normalise(c.text) : '')));
  const imports: string[] = [];
  const body: string[] = [];
  for (const child of root.namedChildren) {
    if (!child) continue;
    if (child.id === fn.outer.id) body.push(child.text);
    else if (!needed.has(child.id)) continue;
    else if (IMPORT_TYPES.includes(child.type)) imports.push(child.text);
    else if (!known.has(normalise(child.text))) body.push(child.text);
  }
  return { imports, body: body.join('\n\n\n') };
}

const IMPORT_TYPES = ['import_statement', 'import_from_statement', 'future_import_statement'];

/** Imports of `imports` that `existingSource` does not already provide (same text, or every name already imported). */
async function missingImports(imports: string[], existingSource: string): Promise<string[]> {
  const existing = (await parse(existingSource)).rootNode.namedChildren.filter((c): c is Node => !!c && IMPORT_TYPES.includes(c.type));
  const texts = new Set(existing.map((c) => normalise(c.text)));
  const names = new Set<string>();
  for (const statement of existing) importBindings(statement, names);
  const missing: string[] = [];
  for (const statement of imports) {
    if (texts.has(normalise(statement))) continue;
    const node = (await parse(statement)).rootNode.namedChildren[0];
    const binds = new Set<string>();
    const star = node ? importBindings(node, binds) : false;
    if (!star && binds.size > 0 && [...binds].every((n) => names.has(n))) continue;
    missing.push(statement);
  }
  return missing;
}

export async function buildPythonCandidate(target: ExtractedTarget, code: string, id: string): Promise<CandidateBuild> {
  if (isMethodTarget(target)) {
    const parts = await splitMethodCandidate(target, code);
    if ('reason' in parts) return { ok: false, reason: parts.reason };
    const context = target.method.programContext;
    const where = await methodInSource(context, target.method.className, target.method.name);
    const source = await placeMethodCandidate(context, where, where.classStart, parts, 0);
    return { ok: true, program: { id, source: `${source}\n`, functionName: target.functionName } };
  }
  const parts = await splitCandidate(target, code, target.contextSource);
  if ('reason' in parts) return { ok: false, reason: parts.reason };
  const newImports = await missingImports(parts.imports, target.contextSource);
  const context = [...newImports, target.contextSource].filter((s) => s.trim()).join('\n');
  return { ok: true, program: { id, source: joinModule(context, parts.body), functionName: target.functionName } };
}

/** Where new imports go: after the last module-level import, else after a module docstring, else at the top. */
async function importInsertionOffset(fileText: string): Promise<number> {
  const root = (await parse(fileText)).rootNode;
  let offset = 0;
  for (const child of root.namedChildren) {
    if (!child) continue;
    if (IMPORT_TYPES.includes(child.type)) offset = child.endIndex;
    else if (offset === 0 && child.type === 'expression_statement' && child.namedChildren[0]?.type === 'string') offset = child.endIndex;
    else if (child.type !== 'comment') break;
  }
  return offset;
}

/** The user's file with the function replaced; throws RunnerError when the candidate cannot be applied. */
export async function applyPythonCandidate(target: ExtractedTarget, code: string): Promise<string> {
  if (isMethodTarget(target)) {
    const parts = await splitMethodCandidate(target, code);
    if ('reason' in parts) throw new RunnerError(`Cannot apply the candidate: ${parts.reason}.`);
    const text = target.fileText;
    const where = await methodInSource(text, target.method.className, target.method.name, target.startOffset);
    return placeMethodCandidate(text, where, where.classStart, parts, await importInsertionOffset(text));
  }
  const parts = await splitCandidate(target, code, target.fileText);
  if ('reason' in parts) throw new RunnerError(`Cannot apply the candidate: ${parts.reason}.`);
  const text = target.fileText;
  const replaced = text.slice(0, target.startOffset) + parts.body + text.slice(target.endOffset);
  const newImports = await missingImports(parts.imports, text);
  if (newImports.length === 0) return replaced;
  let at = await importInsertionOffset(text);
  // Offsets are the original file's; shift them when the import block comes after the function.
  if (at >= target.endOffset) at += parts.body.length - (target.endOffset - target.startOffset);
  const block = newImports.join('\n');
  if (at === 0) return `${block}\n${replaced}`;
  return `${replaced.slice(0, at)}\n${block}${replaced.slice(at)}`;
}
