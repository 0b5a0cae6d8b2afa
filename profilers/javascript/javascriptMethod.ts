/**
 * Methods of module-level classes as targets (`Cart.total`). The program holds the whole class (and the classes that
 * extend it, so receivers of a subclass also run this side's code) with what they need from the module; the prompt's
 * context shows the class with the method elided. A candidate is the method in its class (`class Cart { total() {…} }`,
 * other members left out or unchanged, new helper methods allowed) or the bare method.
 */
import type { Node } from 'web-tree-sitter';
import type { CandidateBuild, ExtractedTarget, LanguageId, MethodTarget, Program } from '../runner.js';
import { escapeRegExp } from '../languageDescriptor.js';
import { neededDefinitions } from '../neededDefinitions.js';
import { RunnerError } from '../runner.js';
import type { GrammarName } from '../treeSitter.js';
import {
  CLASS_TYPES,
  grammarForFile,
  importInsertionOffset,
  insertImports,
  lineRangeOf,
  missingImports,
  normalise,
  parameterNames,
  parametersOf,
  parse,
  hasSyntaxError,
  syntaxErrorReason,
  topLevelStatements,
  unwrapExport,
} from './javascriptSyntax.js';
import { methodModule } from './programModule.js';

/** A method of a module-level class, as found in a file. */
export interface MethodSite {
  /** The class's statement in the file, `export` included. */
  classStatement: Node;
  classNode: Node;
  className: string;
  member: Node;
  name: string;
  qualifiedName: string;
  isStatic: boolean;
  kind: 'method' | 'get' | 'set' | 'constructor';
}

function isStaticMember(member: Node): boolean {
  return member.children.some((c) => c?.type === 'static');
}

/** How a class member is told apart from the others: name, static-ness and kind (a getter `x` is not a method `x`). */
function memberKey(member: Node): string {
  const name = member.childForFieldName('name') ?? member.childForFieldName('property');
  // Unnamed members (static blocks, index signatures) are told apart by their text.
  if (!name) return normalise(member.text);
  const kind = member.type === 'method_definition' ? (member.children.find((c) => c?.type === 'get' || c?.type === 'set')?.type ?? 'method') : member.type;
  return `${isStaticMember(member) ? 'static ' : ''}${kind} ${name.text}`;
}

function classBody(classNode: Node): Node[] {
  return (classNode.childForFieldName('body')?.namedChildren ?? []).filter((m): m is Node => m !== null && m.type !== 'comment');
}

function methodSitesOf(statement: Node): MethodSite[] {
  const classNode = unwrapExport(statement);
  const className = classNode.childForFieldName('name')?.text;
  if (!CLASS_TYPES.has(classNode.type) || !className) return [];
  return classBody(classNode).flatMap((member) => {
    const nameNode = member.childForFieldName('name');
    if (member.type !== 'method_definition' || !nameNode || nameNode.type === 'computed_property_name') return [];
    const name = nameNode.text;
    const accessor = member.children.find((c) => c?.type === 'get' || c?.type === 'set')?.type as 'get' | 'set' | undefined;
    const kind = name === 'constructor' ? 'constructor' : (accessor ?? 'method');
    return [{ classStatement: statement, classNode, className, member, name, qualifiedName: `${className}.${name}`, isStatic: isStaticMember(member), kind }];
  });
}

export function methodSites(root: Node): MethodSite[] {
  return root.namedChildren.flatMap((child) => (child ? methodSitesOf(child) : []));
}

function topLevelClasses(root: Node): Map<string, Node> {
  const classes = new Map<string, Node>();
  for (const child of root.namedChildren) {
    const inner = child ? unwrapExport(child) : null;
    const name = inner && CLASS_TYPES.has(inner.type) ? inner.childForFieldName('name')?.text : undefined;
    if (inner && name) classes.set(name, inner);
  }
  return classes;
}

/** The class a class declaration extends, when it names one (`extends Base`, not `extends mixin(Base)`). */
function superclassName(classNode: Node): string | undefined {
  const heritage = classNode.namedChildren.find((c) => c?.type === 'class_heritage');
  return heritage ? /\bextends\s+([A-Za-z_$][\w$]*)\s*(?:[{<]|implements\b|$)/.exec(heritage.text)?.[1] : undefined;
}

/** Refuses what Perfloop cannot run: constructors, accessors, #private methods and receivers with #private state. */
function refuseUnsupported(site: MethodSite, classes: Map<string, Node>): void {
  const what = `\`${site.qualifiedName}\``;
  if (site.kind === 'constructor') {
    throw new RunnerError(`${what} is a constructor; Perfloop optimizes methods and functions. Move the costly part into a method and optimize that.`);
  }
  if (site.kind !== 'method') {
    throw new RunnerError(`${what} is a ${site.kind === 'get' ? 'getter' : 'setter'}; Perfloop optimizes methods and functions, not accessors. Move its body into a method and optimize that.`);
  }
  if (site.name.startsWith('#')) {
    throw new RunnerError(`${what} is a #private method, which only objects made by the constructor can call; Perfloop calls methods on copies. Name it \`_${site.name.slice(1)}\` (or use TypeScript \`private\`) to optimize it.`);
  }
  if (site.isStatic) return;
  // The receiver is copied before each call; a copy has the class's prototype but none of the #private slots the
  // constructor would have added, so `this.#x` would throw on every copy.
  const seen = new Set<string>();
  for (let name: string | undefined = site.className; name && classes.has(name) && !seen.has(name); name = superclassName(classes.get(name) as Node)) {
    seen.add(name);
    for (const member of classBody(classes.get(name) as Node)) {
      const memberName = member.childForFieldName('name') ?? member.childForFieldName('property');
      if (memberName?.type !== 'private_property_identifier' || isStaticMember(member)) continue;
      const kind = member.type === 'method_definition' ? 'method' : 'field';
      const plain = memberName.text.slice(1);
      throw new RunnerError(
        `${what} cannot be optimized: \`${name}\` has the #private ${kind} \`${memberName.text}\`. Perfloop calls the method on copies of the ` +
          `object, and copies cannot carry #private ${kind}s. Name it \`_${plain}\` (or use TypeScript \`private ${plain}\`) to optimize ${what}.`,
      );
    }
  }
}

/** The line that stands for the method where its class is shown without it. */
function elisionComment(site: MethodSite): string {
  return `// ${site.isStatic ? 'static ' : ''}${site.name}(...): the method being optimized, shown separately`;
}

/** Whitespace before `node` on its line, or '' when code precedes it there. */
function indentationOf(node: Node, text: string): string {
  const lineStart = text.lastIndexOf('\n', node.startIndex - 1) + 1;
  const before = text.slice(lineStart, node.startIndex);
  return /^[ \t]*$/.test(before) ? before : '';
}

export function methodTarget(root: Node, site: MethodSite, fileText: string, filePath: string, language: LanguageId): ExtractedTarget {
  const classes = topLevelClasses(root);
  refuseUnsupported(site, classes);
  const statements = topLevelStatements(root);
  // The class, and every class of the file extending it (transitively): a receiver may be one of those.
  const kept = new Set([site.className]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const [name, node] of classes) {
      const parent = superclassName(node);
      if (kept.has(name) || !parent || !kept.has(parent)) continue;
      kept.add(name);
      grown = true;
    }
  }
  const isKept = (s: (typeof statements)[number]): boolean => CLASS_TYPES.has(s.inner.type) && [...s.binds].some((b) => kept.has(b));
  const seeds = new Set<string>();
  for (const s of statements) if (isKept(s)) for (const used of s.uses) seeds.add(used);
  const needed = neededDefinitions(statements, seeds, site.className, (s) => (s.isImport && s.binds.size === 0) || isKept(s));
  const classNode = site.classNode;
  const elided = (s: (typeof statements)[number]): string => {
    if (s.inner.id !== classNode.id) return s.inner.text;
    const text = classNode.text;
    const from = site.member.startIndex - classNode.startIndex;
    return text.slice(0, from) + elisionComment(site) + text.slice(site.member.endIndex - classNode.startIndex);
  };
  // The method's first line with its indentation, so that every line of functionSource is as in the file.
  const startOffset = site.member.startIndex - indentationOf(site.member, fileText).length;
  const declared = parameterNames(parametersOf(site.member));
  const method: MethodTarget = {
    className: site.className,
    name: site.name,
    isStatic: site.isStatic,
    programContext: needed.map((s) => s.inner.text).join('\n\n'),
  };
  return {
    language,
    filePath,
    fileText,
    functionName: site.qualifiedName,
    range: lineRangeOf(site.member),
    startOffset,
    endOffset: site.member.endIndex,
    functionSource: fileText.slice(startOffset, site.member.endIndex),
    contextSource: needed.map(elided).join('\n\n'),
    contextNames: [...new Set(needed.flatMap((s) => [...s.binds]))],
    parameters: site.isStatic ? declared : ['this', ...declared],
    method,
  };
}

export function originalMethodProgram(target: ExtractedTarget, method: MethodTarget): Program {
  return { id: 'original', source: methodModule(method.programContext, method), functionName: target.functionName };
}

/** The class and the target method in a module's text (the program context, or the user's file). */
async function findMethod(text: string, grammar: GrammarName, method: MethodTarget): Promise<{ classStatement: Node; member: Node }> {
  const site = methodSites((await parse(text, grammar)).rootNode).find(
    (s) => s.className === method.className && s.name === method.name && s.isStatic === method.isStatic && s.kind === 'method',
  );
  if (!site) throw new RunnerError(`\`${method.className}.${method.name}\` is no longer in the file; extract the target again.`);
  return { classStatement: site.classStatement, member: site.member };
}

interface MethodCandidate {
  imports: string[];
  /** Module-level statements new to the module, `export` peeled off. */
  helpers: string[];
  /** The candidate method, then the members it adds, each re-indented for a class body at `indent` stepping by `step`. */
  members: (indent: string, step: number) => string[];
}

/** Multi-line template literals in `node`: their lines are text, not code, and keep their indentation. */
function templateLiterals(node: Node): Node[] {
  return node.descendantsOfType('template_string').filter((t): t is Node => t !== null && t.startPosition.row !== t.endPosition.row);
}

/** `node`'s lines after the first, with the offset each starts at, minus those inside multi-line template literals. */
function codeLines(node: Node): { line: string; index: number }[] {
  const templates = templateLiterals(node);
  let offset = node.startIndex;
  return node.text.split('\n').flatMap((line, index) => {
    const lineStart = offset;
    offset += line.length + 1;
    return index > 0 && !templates.some((t) => t.startIndex < lineStart && lineStart < t.endIndex) ? [{ line, index }] : [];
  });
}

/** The indentation step inside `node` (spaces beyond its own line's), e.g. 2 or 4; 0 when there is none to see. */
function indentStep(node: Node): number {
  const base = indentationOf(node, node.tree.rootNode.text);
  const steps = codeLines(node)
    .map(({ line }) => /^ */.exec(line.slice(base.length))?.[0].length ?? 0)
    .filter((n) => n > 0);
  return steps.length > 0 && /^ *$/.test(base) ? Math.min(...steps) : 0;
}

/**
 * `node`'s text re-indented from its own indentation to `indent`, its indentation step scaled to `step` (a reply
 * indented by 4 in a file indented by 2); the first line is left to the caller.
 */
function reindent(node: Node, indent: string, step: number): string {
  const from = indentationOf(node, node.tree.rootNode.text);
  const own = indentStep(node);
  const lines = node.text.split('\n');
  for (const { line, index } of codeLines(node)) {
    if (line.trim() === '') lines[index] = '';
    else if (line.startsWith(from)) {
      const rest = line.slice(from.length);
      const spaces = /^ */.exec(rest)?.[0].length ?? 0;
      const scaled = own > 0 && step > 0 && spaces % own === 0 ? ' '.repeat((spaces / own) * step) : rest.slice(0, spaces);
      lines[index] = indent + scaled + rest.slice(spaces);
    }
  }
  return lines.join('\n');
}

/** The class named `className` at the top of a reply, or the reply's members when it is a bare method (or several). */
async function candidateClass(code: string, grammar: GrammarName, className: string): Promise<{ root: Node; classNode: Node; statement?: Node } | { reason: string }> {
  const root = (await parse(code, grammar)).rootNode;
  const broken = await hasSyntaxError(root, code, grammar);
  const statement = broken
    ? undefined
    : root.namedChildren.find((c): c is Node => c !== null && CLASS_TYPES.has(unwrapExport(c).type) && unwrapExport(c).childForFieldName('name')?.text === className);
  if (statement) return { root, classNode: unwrapExport(statement), statement };
  const bare = (await parse(`class __PerfloopBare {\n${code}\n}`, grammar)).rootNode;
  const wrapper = bare.namedChildren[0];
  if (!bare.hasError && bare.namedChildren.length === 1 && wrapper) return { root: bare, classNode: wrapper };
  return { reason: (await syntaxErrorReason(root, code, grammar)) ?? `the code does not define the class \`${className}\` (reply with the method inside \`class ${className} { … }\`)` };
}

async function splitMethodCandidate(target: ExtractedTarget, method: MethodTarget, code: string): Promise<MethodCandidate | { reason: string }> {
  const grammar = grammarForFile(target.filePath);
  const qualified = `\`${method.className}.${method.name}\``;
  const found = await candidateClass(code, grammar, method.className);
  if ('reason' in found) {
    const functions = found.reason.startsWith('the code does not define') && new RegExp(`\\bfunction\\s*\\*?\\s*${escapeRegExp(method.name)}\\s*\\(`).test(code);
    return { reason: functions ? `the code defines \`${method.name}\` as a function; it must stay a method of \`${method.className}\`` : found.reason };
  }
  const original = await findMethod(method.programContext, grammar, method);
  const originalClass = unwrapExport(original.classStatement);
  const originalMembers = new Map(classBody(originalClass).map((m) => [memberKey(m), m]));
  if (found.statement) {
    const heritage = (n: Node): string => normalise(n.namedChildren.find((c) => c?.type === 'class_heritage')?.text ?? '');
    if (heritage(found.classNode) !== '' && heritage(found.classNode) !== heritage(originalClass)) {
      return { reason: `the candidate changes what \`${method.className}\` extends; only ${qualified} may change` };
    }
  }
  let candidate: Node | undefined;
  const added: Node[] = [];
  for (const member of classBody(found.classNode)) {
    const name = (member.childForFieldName('name') ?? member.childForFieldName('property'))?.text;
    const key = memberKey(member);
    if (member.type === 'method_definition' && name === method.name && key.endsWith(`method ${name}`)) {
      if (isStaticMember(member) !== method.isStatic) {
        return { reason: `the candidate makes ${qualified} ${method.isStatic ? 'an instance method' : 'static'}; it must stay ${method.isStatic ? 'static' : 'an instance method'}` };
      }
      candidate = member;
      continue;
    }
    // TypeScript overload signatures of the method are types only.
    if (name === method.name && member.type.endsWith('signature')) continue;
    const same = originalMembers.get(key);
    if (same) {
      if (normalise(same.text) === normalise(member.text)) continue;
      const what = name === 'constructor' ? `the constructor of \`${method.className}\`` : `\`${method.className}.${name ?? member.text.split('\n')[0]}\``;
      return { reason: `the candidate changes ${what}; only ${qualified} may change (new helper methods may be added)` };
    }
    const reason = refuseAddedMember(member, name, method.className);
    if (reason) return { reason };
    added.push(member);
  }
  if (!candidate) return { reason: `the code does not define ${qualified} (a method \`${method.name}\` inside \`class ${method.className} { … }\`, or on its own)` };
  const before = parameterNames(parametersOf(original.member));
  const after = parameterNames(parametersOf(candidate));
  if (before.join(',') !== after.join(',')) {
    return { reason: `the candidate changes the signature of ${qualified} (${after.join(', ')} instead of ${before.join(', ')})` };
  }
  const known = new Set(topLevelStatements((await parse(method.programContext, grammar)).rootNode).map((s) => normalise(s.inner.text)));
  const parts: MethodCandidate = {
    imports: [],
    helpers: [],
    members: (indent, step) => [candidate, ...added].map((m) => reindent(m, indent, step)),
  };
  if (!found.statement) return parts;
  for (const child of found.root.namedChildren) {
    if (!child || child.id === found.statement.id || child.type === 'comment') continue;
    const inner = unwrapExport(child);
    // Re-exports and `export default Cart` add nothing runnable; LLMs often append them.
    if (inner === child && child.type === 'export_statement') continue;
    if (inner.type === 'import_statement') parts.imports.push(inner.text);
    else if (!known.has(normalise(inner.text))) parts.helpers.push(inner.text);
  }
  return parts;
}

/** Why a member the original class does not have cannot be added, or undefined when it can. */
function refuseAddedMember(member: Node, name: string | undefined, className: string): string | undefined {
  const only = `only methods may be added to \`${className}\``;
  if (name === 'constructor') return `the candidate adds a constructor to \`${className}\`; ${only}`;
  if (isStaticMember(member) || member.type === 'class_static_block') return undefined;
  if (member.type !== 'method_definition' && !member.type.endsWith('signature')) {
    return `the candidate adds the field \`${name ?? member.text}\` to \`${className}\`; ${only} (the objects are copies made without the constructor, and their fields are compared after each call)`;
  }
  if (name?.startsWith('#')) {
    return `the candidate adds the #private method \`${name}\`, which copies of the object (made without the constructor) cannot call; name it \`_${name.slice(1)}\``;
  }
  return undefined;
}

/** The class's text in `text` with the method replaced by the candidate's members. */
function replaceMethod(text: string, member: Node, members: MethodCandidate['members']): { text: string; replaced: string } {
  const indent = indentationOf(member, text);
  const replaced = members(indent, indentStep(member)).join(`\n\n${indent}`);
  return { text: text.slice(0, member.startIndex) + replaced + text.slice(member.endIndex), replaced };
}

export async function buildMethodCandidate(target: ExtractedTarget, method: MethodTarget, code: string, id: string): Promise<CandidateBuild> {
  const parts = await splitMethodCandidate(target, method, code);
  if ('reason' in parts) return { ok: false, reason: parts.reason };
  const grammar = grammarForFile(target.filePath);
  const context = method.programContext;
  const { classStatement, member } = await findMethod(context, grammar, method);
  // Module-level helpers go right before the class: after the constants they may use, before any use at class level.
  const withMethod = replaceMethod(context, member, parts.members).text;
  const at = classStatement.startIndex;
  const withHelpers = parts.helpers.length > 0 ? `${withMethod.slice(0, at)}${parts.helpers.join('\n\n')}\n\n${withMethod.slice(at)}` : withMethod;
  const newImports = await missingImports(parts.imports, context, grammar);
  const source = methodModule([...newImports, withHelpers].join('\n'), method);
  return { ok: true, program: { id, source, functionName: target.functionName } };
}

/** The user's file with the method replaced (new helper methods right after it, in the file's indentation). */
export async function applyMethodCandidate(target: ExtractedTarget, method: MethodTarget, code: string): Promise<string> {
  const parts = await splitMethodCandidate(target, method, code);
  if ('reason' in parts) throw new RunnerError(`Cannot apply the candidate: ${parts.reason}.`);
  const grammar = grammarForFile(target.filePath);
  const text = target.fileText;
  const { classStatement, member } = await findMethod(text, grammar, method);
  const newImports = await missingImports(parts.imports, text, grammar);
  // Edits from the end of the file backwards, so each one's offsets are still the original file's.
  const edits: { at: number; end: number; text: string }[] = [
    { at: member.startIndex, end: member.endIndex, text: replaceMethod(text, member, parts.members).replaced },
  ];
  if (parts.helpers.length > 0) edits.push({ at: classStatement.startIndex, end: classStatement.startIndex, text: `${parts.helpers.join('\n\n')}\n\n` });
  let result = text;
  for (const edit of edits.sort((a, b) => b.at - a.at)) result = result.slice(0, edit.at) + edit.text + result.slice(edit.end);
  if (newImports.length === 0) return result;
  // Imports usually come first; when the block follows the class, the edits above moved it.
  let at = await importInsertionOffset(text, grammar);
  for (const edit of edits) if (edit.at < at) at += edit.text.length - (edit.end - edit.at);
  return insertImports(result, at, newImports.join('\n'));
}
