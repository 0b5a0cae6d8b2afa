/**
 * C and C++ targets, with tree-sitter (grammars `c` and `cpp`): finds the function to optimize, collects what it needs
 * from its file, builds and applies candidates, and cuts a program into the parts the build compiles separately
 * (`splitProgram`, then `assembleProgramUnit` / `assembleHarnessPrelude`). See README.md, "How a program becomes an
 * executable".
 *
 * Unlike the Python and JavaScript runners, a program is the user's whole file (minus `main`): C and C++ functions lean
 * on macros, types and declaration order that an excerpt would lose. The split into shared and per-side parts is what
 * lets the original and a candidate live in one executable.
 */
import path from 'node:path';
import type { Node, Parser, Tree } from 'web-tree-sitter';
import type { CandidateBuild, ExtractedTarget, LineRange, Program, TargetSpec } from '../runner.js';
import { neededDefinitions } from '../neededDefinitions.js';
import { RunnerError } from '../runner.js';
import { createParser } from '../treeSitter.js';

export type NativeDialect = 'c' | 'cpp';

// ---------------------------------------------------------------------------------------------------------------------
// Dialects and parsing

const CPP_EXTENSIONS = new Set(['.cpp', '.cc', '.cxx', '.c++', '.cp', '.hpp', '.hh', '.hxx', '.h++', '.ipp', '.tpp', '.inl']);

/** Things only C++ has, looked for in a `.h` file's text (comments and strings removed first). */
const CPP_HINTS: RegExp[] = [
  /^\s*#\s*include\s*<[A-Za-z_]\w*>/m, // <vector>, <cstdio>: standard C++ headers have no extension
  /\bnamespace\s+[A-Za-z_][\w:]*\s*\{/,
  /\busing\s+namespace\b/,
  /\btemplate\s*</,
  /\bstd::/,
  /^\s*class\s+[A-Za-z_]\w*/m,
  /\b(?:public|private|protected)\s*:/,
  /\b(?:constexpr|nullptr|static_cast|reinterpret_cast|dynamic_cast|noexcept|decltype)\b/,
];

function withoutCommentsAndStrings(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, ' ');
}

/**
 * `.c` → C; the usual C++ extensions → C++; `.h` → C++ when its text looks like C++ (namespaces, templates, classes,
 * `std::`, extension-less standard includes…), else C. Unknown extensions follow the same text test.
 */
export function dialectForFile(filePath: string, fileText?: string): NativeDialect {
  if (path.extname(filePath) === '.C') return 'cpp';
  const extension = path.extname(filePath).toLowerCase();
  if (extension === '.c') return 'c';
  if (CPP_EXTENSIONS.has(extension)) return 'cpp';
  if (fileText === undefined) return 'c';
  const code = withoutCommentsAndStrings(fileText);
  return CPP_HINTS.some((hint) => hint.test(code)) ? 'cpp' : 'c';
}

function dialectOf(target: ExtractedTarget): NativeDialect {
  return target.language === 'c' ? 'c' : 'cpp';
}

const parserPromises = new Map<NativeDialect, Promise<Parser>>();
/** Parsers already created, for the synchronous `originalNativeProgram`. */
const readyParsers = new Map<NativeDialect, Parser>();

function parserFor(dialect: NativeDialect): Promise<Parser> {
  let parser = parserPromises.get(dialect);
  if (!parser) {
    parser = createParser(dialect).then((created) => {
      readyParsers.set(dialect, created);
      return created;
    });
    parserPromises.set(dialect, parser);
  }
  return parser;
}

function parseWith(parser: Parser, text: string, dialect: NativeDialect): Tree {
  const tree = parser.parse(text);
  if (!tree) throw new Error(`tree-sitter returned no tree for a ${dialect === 'c' ? 'C' : 'C++'} source`);
  return tree;
}

/** Runs `use` on the parse of `text`, then frees the tree (nodes must not escape `use`). */
async function withTree<T>(text: string, dialect: NativeDialect, use: (root: Node) => T): Promise<T> {
  const tree = parseWith(await parserFor(dialect), text, dialect);
  try {
    return use(tree.rootNode);
  } finally {
    tree.delete();
  }
}

function withTreeNow<T>(text: string, dialect: NativeDialect, use: (root: Node) => T): T {
  const parser = readyParsers.get(dialect);
  if (!parser) throw new Error('the C/C++ parser is not loaded yet: extract the target (extractNativeTarget) first');
  const tree = parseWith(parser, text, dialect);
  try {
    return use(tree.rootNode);
  } finally {
    tree.delete();
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Small tree and text helpers

function named(node: Node | null | undefined): Node[] {
  return node ? node.namedChildren.filter((c): c is Node => c !== null) : [];
}

function all(node: Node): Node[] {
  return node.children.filter((c): c is Node => c !== null);
}

/** A 1-based line lookup for offsets into `source`. */
function lineIndex(source: string): (offset: number) => number {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits (offsets into `text`); insertions at an offset go before a replacement starting there. */
function applyEdits(text: string, edits: readonly Edit[], base = 0): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start));
  let out = '';
  let position = base;
  for (const edit of sorted) {
    if (edit.start < position) throw new Error('overlapping edits');
    out += text.slice(position - base, edit.start - base) + edit.text;
    position = edit.end;
  }
  return out + text.slice(position - base);
}

/** The text of `node` with comments (and the nodes in `drop`) removed and `replace` applied, whitespace collapsed. */
function rewrite(node: Node, source: string, replace: readonly Edit[] = [], drop: readonly Node[] = []): string {
  const edits: Edit[] = [...replace];
  const covered = (n: Node): boolean => edits.some((e) => e.start <= n.startIndex && n.endIndex <= e.end);
  for (const n of drop) if (!covered(n)) edits.push({ start: n.startIndex, end: n.endIndex, text: ' ' });
  for (const comment of node.descendantsOfType('comment')) {
    if (comment && !covered(comment)) edits.push({ start: comment.startIndex, end: comment.endIndex, text: ' ' });
  }
  return collapse(applyEdits(source.slice(node.startIndex, node.endIndex), edits, node.startIndex));
}

/** Whitespace runs → one space, outside string and character literals. */
function collapse(text: string): string {
  return text
    .split(/("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\s+/g, ' ')))
    .join('')
    .trim();
}

/** A comparison key for code: comments dropped, whitespace only where two words would otherwise merge. */
function normalise(code: string): string {
  return collapse(withoutComments(code)).replace(/ (?=\W)|(?<=\W) /g, '');
}

function withoutComments(code: string): string {
  return code.replace(/("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (match, literal: string | undefined) =>
    literal ?? ' ',
  );
}

function escapeCString(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

// ---------------------------------------------------------------------------------------------------------------------
// Declarators and signatures

const NAME_TYPES = new Set([
  'identifier',
  'qualified_identifier',
  'field_identifier',
  'operator_name',
  'destructor_name',
  'template_function',
  'operator_cast',
  'type_identifier',
]);
const NOT_DECLARATOR = new Set(['type_qualifier', 'attribute_specifier', 'attribute_declaration', 'ms_declspec_modifier', 'comment', 'ms_pointer_modifier']);

interface DeclaratorName {
  /** The declarator holding the name: a `function_declarator` for functions. */
  holder: Node | null;
  name: Node;
}

/** Follows a declarator (`*f(int)`, `(*p)[3]`, `x = 1`) down to its name. */
function nameOf(declarator: Node | null): DeclaratorName | undefined {
  let current = declarator;
  let holder: Node | null = null;
  for (let depth = 0; current && depth < 50; depth++) {
    if (NAME_TYPES.has(current.type)) return { holder, name: current };
    const next: Node | null =
      current.childForFieldName('declarator') ?? named(current).filter((c) => !NOT_DECLARATOR.has(c.type) && c.type !== 'parameter_list').at(-1) ?? null;
    holder = current;
    current = next;
  }
  return undefined;
}

/** The name parts of a (possibly qualified) name node: `a::b::f` → ['a', 'b', 'f']. */
function nameParts(name: Node): string[] {
  if (name.type === 'template_function') return [name.childForFieldName('name')?.text ?? name.text];
  return name.text
    .replace(/\s+/g, '')
    .split('::')
    .filter((part, i) => i > 0 || part !== '');
}

const STORAGE_TYPES = new Set(['storage_class_specifier']);
const ATTRIBUTE_TYPES = new Set(['attribute_specifier', 'attribute_declaration', 'ms_declspec_modifier', 'alignas_qualifier']);
const NOT_TYPE_QUALIFIERS = new Set(['constexpr', 'consteval', 'constinit']);

/** Children of a declaration/definition before its (first) declarator: specifiers, attributes, the type. */
function specifiersOf(node: Node): Node[] {
  const declarator = node.childForFieldName('declarator');
  const out: Node[] = [];
  for (const child of named(node)) {
    if (declarator && child.startIndex >= declarator.startIndex) break;
    if (child.type === 'comment') continue;
    out.push(child);
  }
  return out;
}

function isTypeSpecifier(node: Node): boolean {
  if (STORAGE_TYPES.has(node.type) || ATTRIBUTE_TYPES.has(node.type)) return false;
  if (node.type === 'type_qualifier' && NOT_TYPE_QUALIFIERS.has(node.text)) return false;
  return !['virtual', 'explicit_function_specifier', 'virtual_function_specifier'].includes(node.type);
}

interface ParameterInfo {
  name: string;
  type: string;
  defaultValue: string;
}

interface Signature {
  /** As written, normalised: `const char*`, `std::vector<int>`, `int(*)(int)`. */
  returnType: string;
  /** The parameter list as written: `(const int *a, size_t n)`. */
  parameters: string;
  /** `R NAME(PARAMS);` with storage specifiers, `constexpr` and attributes removed; default arguments kept. */
  prototype: string;
  /** Parameter types without names and default values, normalised (`const int*`); `...` for varargs. */
  parameterTypes: string[];
  /** The function's type, for a pointer to it: `long (const std::vector<int>&, int)`. */
  functionType: string;
}

interface FunctionInfo {
  name: string;
  /** Namespaces of a namespace-qualified name (`int util::f()` → ['util']); [] otherwise. */
  qualifier: string[];
  /** The name's node kind: identifier, qualified_identifier, operator_name… */
  nameType: string;
  nameNode: Node;
  signature: Signature;
  parameters: ParameterInfo[];
  /** The storage class specifiers (`static`, `inline`, `extern`) written on it. */
  storage: Node[];
  isKnR: boolean;
  /** `auto f()` without a trailing return type. */
  deducedReturn: boolean;
}

/** Describes a function definition or prototype (`node` is a function_definition or a declaration). */
function functionInfo(node: Node, source: string): FunctionInfo | undefined {
  const declarator = node.childForFieldName('declarator');
  const found = nameOf(declarator);
  if (!declarator || !found || found.holder?.type !== 'function_declarator') return undefined;
  const fd = found.holder;
  const parameterList = fd.childForFieldName('parameters');
  const specifiers = specifiersOf(node);
  const storage = specifiers.filter((s) => STORAGE_TYPES.has(s.type));
  const typeText = specifiers
    .filter(isTypeSpecifier)
    .map((s) => collapse(withoutComments(s.text)))
    .join(' ');
  const trailing = named(fd).find((c) => c.type === 'trailing_return_type');
  const typeNode = node.childForFieldName('type');
  const deducedReturn = typeNode?.type === 'placeholder_type_specifier' && !trailing;
  const attributes = declarator.descendantsOfType(['attribute_specifier', 'attribute_declaration']).filter((n): n is Node => n !== null);
  const declaratorShape = rewrite(declarator, source, [{ start: fd.startIndex, end: fd.endIndex, text: '' }], attributes);
  const returnType = trailing
    ? normalise(trailing.text.replace(/^\s*->/, ''))
    : normalise(`${typeText} ${declaratorShape}`);

  const parameters: ParameterInfo[] = [];
  let isKnR = named(node).some((c) => c.type === 'declaration' && c.startIndex > fd.endIndex && c.endIndex <= (node.childForFieldName('body')?.startIndex ?? 0));
  if (parameterList) {
    for (const p of all(parameterList)) {
      if (p.type === '...' || p.type === 'variadic_parameter') {
        parameters.push({ name: '...', type: '...', defaultValue: '' });
        continue;
      }
      if (!p.isNamed || p.type === 'comment') continue;
      if (p.type === 'identifier') {
        isKnR = true;
        parameters.push({ name: p.text, type: '', defaultValue: '' });
        continue;
      }
      const value = p.childForFieldName('default_value');
      const pName = nameOf(p.childForFieldName('declarator'));
      const cut: Edit[] = [];
      if (pName && pName.name.type === 'identifier') cut.push({ start: pName.name.startIndex, end: pName.name.endIndex, text: '' });
      if (value) {
        // From the `=` to the end of the default value.
        const equals = all(p).find((c) => c.type === '=');
        cut.push({ start: equals?.startIndex ?? value.startIndex, end: p.endIndex, text: '' });
      }
      const pAttributes = p.descendantsOfType(['attribute_specifier', 'attribute_declaration']).filter((n): n is Node => n !== null);
      parameters.push({
        name: pName?.name.type === 'identifier' ? pName.name.text : '',
        type: normalise(rewrite(p, source, cut, pAttributes)),
        defaultValue: value ? normalise(value.text) : '',
      });
    }
  }
  const onlyVoid = parameters.length === 1 && parameters[0]?.type === 'void' && parameters[0].name === '';
  if (onlyVoid) parameters.length = 0;
  const parameterTypes = parameters.map((p) => p.type);

  const functionType = parameterList
    ? `${typeText} ${rewrite(
        declarator,
        source,
        [
          { start: found.name.startIndex, end: found.name.endIndex, text: '' },
          { start: parameterList.startIndex, end: parameterList.endIndex, text: `(${parameterTypes.join(', ')})` },
        ],
        attributes,
      )}`.trim()
    : '';
  const prototype = `${typeText} ${rewrite(declarator, source, [], attributes)};`.trim();
  return {
    name: nameParts(found.name).at(-1) ?? found.name.text,
    qualifier: found.name.type === 'qualified_identifier' ? nameParts(found.name).slice(0, -1) : [],
    nameType: found.name.type,
    nameNode: found.name,
    signature: {
      returnType,
      parameters: parameterList ? source.slice(parameterList.startIndex, parameterList.endIndex) : '()',
      prototype,
      parameterTypes,
      functionType,
    },
    parameters,
    storage,
    isKnR,
    deducedReturn,
  };
}

/** A type spelling for comparisons: `std::` and elaborated keywords dropped, integer spellings unified. */
function comparableType(type: string): string {
  return normalise(
    ` ${type} `
      .replace(/(^|[^\w:])(?:::)?std::/g, '$1')
      .replace(/\b(?:struct|class|union|enum|typename)\s+/g, '')
      .replace(/\bsigned\s+(char)\b/g, 'signed_$1')
      .replace(/\bsigned\s+/g, '')
      .replace(/\bsigned\b/g, 'int')
      .replace(/\b(short|long|unsigned)\s+int\b/g, '$1'),
  );
}

/** A parameter's type without its top-level qualifiers (`const int` ≡ `int`, `int *restrict` ≡ `int *`): they are not part of the function's type. */
function parameterType(type: string): string {
  const t = comparableType(type);
  const qualifier = /(?:^|(?<=[\s*]))(?:const|volatile|restrict|__restrict|__restrict__)(?=[\s*]|$)/g;
  if (!/[*&[(]/.test(t)) return normalise(t.replace(qualifier, ' '));
  const star = t.lastIndexOf('*');
  if (star === -1 || /[&[(]/.test(t.slice(star))) return t;
  return normalise(t.slice(0, star + 1) + t.slice(star + 1).replace(qualifier, ' '));
}

/** Why `candidate` does not have `original`'s signature, or undefined when it does. */
function signatureDifference(original: FunctionInfo, candidate: FunctionInfo): string | undefined {
  const show = (f: FunctionInfo): string =>
    `${f.signature.returnType} ${f.name}(${f.parameters.map((p) => (p.defaultValue ? `${p.type} = ${p.defaultValue}` : p.type)).join(', ')})`;
  const same =
    comparableType(original.signature.returnType) === comparableType(candidate.signature.returnType) &&
    original.parameters.length === candidate.parameters.length &&
    original.parameters.every((p, i) => {
      const q = candidate.parameters[i];
      return !!q && parameterType(p.type) === parameterType(q.type) && comparableType(p.defaultValue) === comparableType(q.defaultValue);
    });
  return same ? undefined : `\`${show(candidate)}\` instead of \`${show(original)}\``;
}

// ---------------------------------------------------------------------------------------------------------------------
// Function sites (for choosing the target)

type SiteKind = 'function' | 'method' | 'template' | 'operator' | 'main';

interface Site {
  node: Node;
  /** The node whose range is reported: the template_declaration for templates, else the definition. */
  outer: Node;
  kind: SiteKind;
  name: string;
  /** `ns::name`, `Class::method`, or `name`. */
  qualifiedName: string;
  /** The function's namespace (for a free function). */
  namespacePath: string[];
  info: FunctionInfo;
}

/** The path a namespace_definition adds: `a::b` → ['a', 'b']; anonymous and inline namespaces add nothing. */
function namespaceParts(node: Node): string[] {
  const name = node.childForFieldName('name');
  if (!name || all(node).some((c) => c.type === 'inline')) return [];
  return name.text.replace(/\s+/g, '').split('::').filter(Boolean);
}

/** Names of the namespaces the file declares (every component), to tell `ns::f` definitions from `Class::f` ones. */
function namespaceNames(root: Node): Set<string> {
  const out = new Set<string>();
  for (const ns of root.descendantsOfType('namespace_definition')) {
    const name = ns?.childForFieldName('name');
    if (name) for (const part of name.text.replace(/\s+/g, '').split('::')) if (part) out.add(part);
  }
  return out;
}

function functionSites(root: Node, source: string, knownNamespaces: Iterable<string> = []): Site[] {
  const namespaces = new Set([...namespaceNames(root), ...knownNamespaces]);
  const sites: Site[] = [];
  const visit = (node: Node, namespacePath: string[], className: string | undefined, template: Node | undefined): void => {
    for (const child of named(node)) {
      switch (child.type) {
        case 'namespace_definition': {
          const parts = namespaceParts(child);
          visit(child.childForFieldName('body') ?? child, [...namespacePath, ...parts], className, undefined);
          break;
        }
        case 'template_declaration':
          visit(child, namespacePath, className, template ?? child);
          break;
        case 'class_specifier':
        case 'struct_specifier':
        case 'union_specifier': {
          const body = child.childForFieldName('body');
          const name = child.childForFieldName('name')?.text ?? '(anonymous)';
          if (body) visit(body, namespacePath, className ? `${className}::${name}` : name, template);
          break;
        }
        case 'function_definition':
          addSite(child, namespacePath, className, template);
          break;
        case 'compound_statement':
          break;
        default:
          // Wrappers (preprocessor blocks, extern "C", declarations whose type is a class, friend declarations…).
          if (child.namedChildCount > 0) visit(child, namespacePath, className, template);
      }
    }
  };
  const addSite = (node: Node, namespacePath: string[], className: string | undefined, template: Node | undefined): void => {
    const info = functionInfo(node, source);
    if (!info) return;
    const outer = template ?? node;
    const base = { node, outer, name: info.name, info };
    if (className) {
      sites.push({ ...base, kind: 'method', qualifiedName: `${className}::${info.name}`, namespacePath });
      return;
    }
    if (info.nameType === 'qualified_identifier' && !info.qualifier.every((part) => namespaces.has(part))) {
      sites.push({ ...base, kind: 'method', qualifiedName: info.qualifier.concat(info.name).join('::'), namespacePath });
      return;
    }
    const fnPath = [...namespacePath, ...info.qualifier];
    const qualifiedName = [...fnPath, info.name].join('::');
    let kind: SiteKind = 'function';
    if (info.nameType === 'operator_name' || info.nameType === 'operator_cast') kind = 'operator';
    else if (template) kind = 'template';
    else if (info.name === 'main' && fnPath.length === 0) kind = 'main';
    sites.push({ ...base, kind, qualifiedName, namespacePath: fnPath });
  };
  visit(root, [], undefined, undefined);
  return sites;
}

function lineRangeOf(node: Node): LineRange {
  return { start: node.startPosition.row + 1, end: node.endPosition.row + 1 };
}

function describeSites(sites: Site[]): string {
  return [...new Set(sites.filter((s) => s.kind === 'function').map((s) => s.qualifiedName))].join(', ') || 'none';
}

function chooseSite(sites: Site[], spec: TargetSpec, filePath: string): Site {
  if (spec.functionName) {
    const wanted = spec.functionName.replace(/\s+/g, '').replace(/^::/, '');
    const qualified = wanted.includes('::');
    const matches = sites.filter((s) => s.qualifiedName === wanted || (!qualified && s.name === wanted));
    if (matches.length === 0) {
      throw new RunnerError(`No function named \`${wanted}\` in ${filePath}. Functions there: ${describeSites(sites)}.`);
    }
    const free = matches.filter((s) => s.kind === 'function');
    const pool = free.length > 0 ? free : matches;
    if (pool.length > 1 && pool.every((s) => s.kind === 'function')) {
      const lines = pool.map((s) => s.outer.startPosition.row + 1).join(', ');
      throw new RunnerError(
        `\`${wanted}\` is defined ${pool.length} times in ${filePath} (lines ${lines}: overloads or preprocessor alternatives); ` +
          'say which one with a line range (--lines START-END) instead of the name.',
      );
    }
    return pool[0] as Site;
  }
  const lines = spec.lines;
  if (!lines) throw new RunnerError('Say which function to optimize: a function name or a line range.');
  const size = (s: Site): number => s.outer.endPosition.row - s.outer.startPosition.row;
  const containing = sites
    .filter((s) => {
      const r = lineRangeOf(s.outer);
      return r.start <= lines.start && lines.end <= r.end;
    })
    .sort((a, b) => size(a) - size(b));
  if (containing[0]) return containing[0];
  const overlapping = sites.filter((s) => {
    const r = lineRangeOf(s.outer);
    return r.start <= lines.end && lines.start <= r.end;
  });
  if (overlapping.length > 1) {
    throw new RunnerError(`Lines ${lines.start}-${lines.end} span several functions (${overlapping.map((s) => s.qualifiedName).join(', ')}); select one function.`);
  }
  if (overlapping[0]) return overlapping[0];
  throw new RunnerError(`Lines ${lines.start}-${lines.end} of ${filePath} are not inside a function; Perfloop optimizes functions.`);
}

/** Refuses targets the build cannot handle, saying why and what to do instead. */
function checkSite(site: Site, filePath: string): void {
  const where = `\`${site.qualifiedName}\` (${filePath}:${site.outer.startPosition.row + 1})`;
  switch (site.kind) {
    case 'main':
      throw new RunnerError(`${where} is the program's entry point; Perfloop optimizes the functions \`main\` calls: pick one of those.`);
    case 'method':
      throw new RunnerError(
        `${where} is a method. Methods are not supported yet: optimize a free function (move the hot part into a function taking plain arguments).`,
      );
    case 'template':
      throw new RunnerError(
        `${where} is a function template. Templates are not supported yet: optimize a non-template function (for example one calling the template with concrete types).`,
      );
    case 'operator':
      throw new RunnerError(`${where} is an operator. Operators are not supported yet: optimize a free function.`);
    case 'function':
      break;
  }
  if (site.info.isKnR) {
    throw new RunnerError(`${where} has a K&R-style definition; rewrite its parameter list with types (\`int f(int a, int b)\`) first.`);
  }
  if (site.info.deducedReturn) {
    throw new RunnerError(`${where} has a deduced return type (\`auto\`); write the return type (or a trailing \`-> T\`) first.`);
  }
  if (site.node.hasError) {
    throw new RunnerError(`${where} has a syntax error (line ${firstErrorLine(site.node)}); fix it first.`);
  }
}

function firstErrorLine(node: Node): number {
  const bad = node.descendantsOfType('ERROR')[0];
  if (bad) return bad.startPosition.row + 1;
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop() as Node;
    if (current.isMissing) return current.startPosition.row + 1;
    for (const child of all(current)) if (child.hasError || child.isMissing) stack.push(child);
  }
  return node.startPosition.row + 1;
}

// ---------------------------------------------------------------------------------------------------------------------
// Items: the file's declarations at namespace scope, classified (README: includes / shared / sharedDefinitions / perSide)

type Category = 'include' | 'shared' | 'sharedDefinition' | 'perSide' | 'main' | 'directive';
type ItemKind =
  | 'include'
  | 'macro'
  | 'pragma'
  | 'type'
  | 'using'
  | 'function'
  | 'template'
  | 'prototype'
  | 'variable'
  | 'method'
  | 'operator'
  | 'conditional'
  | 'other'
  | 'main'
  | 'directive';

interface Item {
  category: Category;
  kind: ItemKind;
  node: Node;
  /** Offsets of the item's text in the source, leading comments included. */
  start: number;
  end: number;
  /** Offsets of the definition itself. */
  nodeStart: number;
  nodeEnd: number;
  /** The text to emit: leading comments, the definition, a same-line trailing comment. */
  text: string;
  /** The definition alone. */
  bodyText: string;
  line: number;
  namespacePath: string[];
  linkage?: string;
  /** Ids of the enclosing preprocessor conditionals that were split (outermost first). */
  conditionals: number[];
  /** Directives only: the conditional they belong to. */
  conditionalId?: number;
  /** Names the item binds (for the context walk). */
  binds: string[];
  uses: string[];
  /** Names shown to the prompt (`Foo::bar`, `operator<`). */
  names: string[];
  /** perSide: the functions and globals it defines or declares. */
  defines: string[];
  /** For matching a candidate's items with the file's. */
  key: string;
  /** The key without namespace, for fallback matching. */
  localKey: string;
  fn?: FunctionInfo;
  alwaysKeep: boolean;
  /** Made up by the split (an operator's prototype): never matched against candidates. */
  synthetic: boolean;
  hasError: boolean;
}

interface Context {
  namespacePath: string[];
  linkage?: string;
  conditionals: number[];
}

const USE_TYPES = ['identifier', 'type_identifier', 'namespace_identifier'];
const IDENTIFIER = /[A-Za-z_]\w*/g;

function usesOf(node: Node): string[] {
  const out = new Set<string>();
  if (USE_TYPES.includes(node.type)) out.add(node.text);
  for (const found of node.descendantsOfType(USE_TYPES)) if (found) out.add(found.text);
  // Macro bodies are opaque to the grammar.
  const opaque = node.type === 'preproc_arg' ? [node] : node.descendantsOfType('preproc_arg');
  for (const arg of opaque) if (arg) for (const word of arg.text.match(IDENTIFIER) ?? []) out.add(word);
  return [...out];
}

const SPECIFIER_TYPES = new Set(['struct_specifier', 'class_specifier', 'union_specifier', 'enum_specifier']);
const SHARED_TYPES = new Set([
  'type_definition',
  'alias_declaration',
  'namespace_alias_definition',
  'static_assert_declaration',
  'concept_definition',
]);

/** Names a type-ish declaration binds: its name, typedef names, enumerators. */
function typeBinds(node: Node): string[] {
  const out = new Set<string>();
  const nameField = node.childForFieldName('name');
  if (nameField) out.add(nameParts(nameField).at(-1) ?? nameField.text);
  if (node.type === 'type_definition') {
    for (const d of node.childrenForFieldName('declarator')) {
      const n = nameOf(d);
      if (n) out.add(n.name.text);
    }
  }
  if (node.type === 'enum_specifier') {
    for (const e of named(node.childForFieldName('body'))) {
      const n = e.type === 'enumerator' ? e.childForFieldName('name') : null;
      if (n) out.add(n.text);
    }
  }
  const inner = node.childForFieldName('type');
  if (inner && SPECIFIER_TYPES.has(inner.type)) for (const b of typeBinds(inner)) out.add(b);
  return [...out];
}

/** Whether every object a declaration defines is itself const (`const int`, `constexpr`, `const char* const`). */
function declaresConstObjects(node: Node): boolean {
  const qualifiers = named(node)
    .filter((c) => c.type === 'type_qualifier')
    .map((c) => c.text);
  if (qualifiers.includes('constexpr')) return true;
  const topConst = qualifiers.includes('const');
  const declarators = node.childrenForFieldName('declarator').filter((d): d is Node => d !== null);
  if (declarators.length === 0) return false;
  return declarators.every((declarator) => {
    let d: Node | null = declarator.type === 'init_declarator' ? declarator.childForFieldName('declarator') : declarator;
    while (d) {
      if (d.type === 'pointer_declarator') return named(d).some((c) => c.type === 'type_qualifier' && c.text === 'const');
      if (d.type === 'reference_declarator' || d.type === 'function_declarator') return false;
      if (d.type === 'identifier' || d.type === 'qualified_identifier') return topConst;
      d = d.childForFieldName('declarator') ?? named(d).find((c) => !NOT_DECLARATOR.has(c.type)) ?? null;
    }
    return false;
  });
}

/** `#ifndef X` + `#define X` + … + `#endif`, nothing else. */
function isIncludeGuard(node: Node): boolean {
  if (node.type !== 'preproc_ifdef' || all(node)[0]?.type !== '#ifndef' || node.childForFieldName('alternative')) return false;
  const guard = node.childForFieldName('name')?.text;
  const first = conditionalBody(node).find((c) => c.type !== 'comment');
  return !!guard && first?.type === 'preproc_def' && first.childForFieldName('name')?.text === guard && !first.childForFieldName('value');
}

/** `#ifdef __cplusplus` / `extern "C" {` / `#endif` … `#ifdef __cplusplus` / `}` / `#endif`, as tree-sitter parses it. */
function cplusplusLinkage(node: Node): Node | undefined {
  if (node.type !== 'preproc_ifdef' || all(node)[0]?.type !== '#ifdef' || node.childForFieldName('name')?.text !== '__cplusplus') return undefined;
  return conditionalBody(node).find((c) => c.type === 'linkage_specification');
}

/** A conditional's own contents: not its name/condition, not its #else/#elif branch. */
function conditionalBody(node: Node): Node[] {
  const skip = new Set<number>();
  for (const field of ['name', 'condition', 'alternative']) {
    const child = node.childForFieldName(field);
    if (child) skip.add(child.id);
  }
  return named(node).filter((c) => !skip.has(c.id));
}

class ItemCollector {
  private nextConditional = 1;
  private readonly namespaces: Set<string>;
  /** `ns::name` of the functions the file defines (prototypes of these are per side; others are external). */
  private readonly definedFunctions = new Set<string>();
  /** `ns::name` of the variables the file defines (an `extern` declaration of these is per side). */
  private readonly definedVariables = new Set<string>();
  readonly lineOf: (offset: number) => number;

  constructor(
    private readonly root: Node,
    private readonly source: string,
    private readonly dialect: NativeDialect,
    knownNamespaces: Iterable<string> = [],
  ) {
    this.namespaces = new Set([...namespaceNames(root), ...knownNamespaces]);
    this.lineOf = lineIndex(source);
    for (const site of functionSites(root, source, this.namespaces)) {
      if (site.kind === 'function' || site.kind === 'template') this.definedFunctions.add([...site.namespacePath, site.name].join('::'));
    }
    this.collectVariables(root, []);
  }

  collect(): Item[] {
    return this.container(named(this.root), { namespacePath: [], conditionals: [] });
  }

  private collectVariables(node: Node, namespacePath: string[]): void {
    for (const child of named(node)) {
      if (child.type === 'namespace_definition') {
        const parts = namespaceParts(child);
        this.collectVariables(child.childForFieldName('body') ?? child, [...namespacePath, ...parts]);
      } else if (child.type === 'declaration') {
        const isExtern = named(child).some((c) => c.type === 'storage_class_specifier' && c.text === 'extern');
        for (const d of child.childrenForFieldName('declarator')) {
          const n = nameOf(d);
          if (!n || n.holder?.type === 'function_declarator') continue;
          if (!isExtern || d?.type === 'init_declarator') this.definedVariables.add([...namespacePath, n.name.text].join('::'));
        }
      } else if (['linkage_specification', 'declaration_list', 'preproc_ifdef', 'preproc_if', 'preproc_else', 'preproc_elif', 'preproc_elifdef'].includes(child.type)) {
        this.collectVariables(child.childForFieldName('body') ?? child, namespacePath);
      }
    }
  }

  /** Classifies a run of siblings; comments go with the item after them (or, on the same line, the one before). */
  private container(children: Node[], context: Context): Item[] {
    const out: Item[] = [];
    let commentStart: number | undefined;
    let previous: Item | undefined;
    let previousNode: Node | undefined;
    for (const child of children) {
      if (child.type === 'comment') {
        const endRow = previousNode ? this.lineOf(previousNode.endIndex - (previousNode.text.endsWith('\n') ? 1 : 0)) - 1 : -1;
        if (commentStart === undefined && child.startPosition.row === endRow) {
          // A trailing comment (`int x; // why`, `}  // namespace geo`): it stays with its item, or goes.
          if (previous && previous.end === previousNode?.endIndex) {
            previous.text += this.source.slice(previous.end, child.endIndex);
            previous.end = child.endIndex;
          }
          continue;
        }
        commentStart ??= child.startIndex;
        continue;
      }
      const created = this.classify(child, context);
      const first = created[0];
      // Only when the item starts the node: a comment before `namespace a {` or an include guard is dropped.
      if (first && commentStart !== undefined && !first.synthetic && first.start === child.startIndex) {
        first.text = this.source.slice(commentStart, first.start) + first.text;
        first.start = commentStart;
        first.line = this.lineOf(commentStart);
      }
      commentStart = undefined;
      previous = created.at(-1);
      previousNode = child;
      out.push(...created);
    }
    return out;
  }

  private item(node: Node, context: Context, category: Category, kind: ItemKind, extra: Partial<Item> = {}): Item {
    const start = extra.nodeStart ?? node.startIndex;
    const end = extra.nodeEnd ?? node.endIndex;
    const text = extra.text ?? this.source.slice(start, end);
    const item: Item = {
      category,
      kind,
      node,
      start,
      end,
      nodeStart: start,
      nodeEnd: end,
      text,
      bodyText: text,
      line: this.lineOf(start),
      namespacePath: context.namespacePath,
      conditionals: context.conditionals,
      binds: [],
      uses: extra.uses ?? (kind === 'directive' ? [] : usesOf(node)),
      names: [],
      defines: [],
      key: '',
      localKey: '',
      alwaysKeep: false,
      synthetic: false,
      hasError: node.hasError,
      ...extra,
    };
    if (context.linkage) item.linkage = context.linkage;
    if (!item.names.length) item.names = [...item.binds];
    const ns = item.namespacePath.join('::');
    if (!item.localKey) item.localKey = `${kind}:${normalise(item.bodyText)}`;
    if (!item.key) item.key = `${ns}|${item.localKey}`;
    return item;
  }

  private keyed(kind: ItemKind, local: string, context: Context): Pick<Item, 'key' | 'localKey'> {
    return { localKey: `${kind}:${local}`, key: `${context.namespacePath.join('::')}|${kind}:${local}` };
  }

  private classify(node: Node, context: Context): Item[] {
    switch (node.type) {
      case 'preproc_include':
        return [this.item(node, context, 'include', 'include', { alwaysKeep: true })];
      case 'preproc_def':
      case 'preproc_function_def': {
        const name = node.childForFieldName('name')?.text ?? '';
        return [this.item(node, context, 'shared', 'macro', { binds: [name], ...this.keyed('macro', name, context) })];
      }
      case 'preproc_call': {
        const text = node.text.trim();
        if (/^#\s*pragma\s+once\b/.test(text) || /^#\s*endif\b/.test(text)) return [];
        return [this.item(node, context, 'shared', 'pragma', { alwaysKeep: true })];
      }
      case 'preproc_ifdef':
      case 'preproc_if':
        return this.conditional(node, context);
      case 'using_declaration': {
        const directive = all(node).some((c) => c.type === 'namespace');
        const last = named(node).at(-1);
        const binds = directive || !last ? [] : [nameParts(last).at(-1) ?? last.text];
        return [this.item(node, context, 'shared', 'using', { binds, alwaysKeep: directive })];
      }
      case 'struct_specifier':
      case 'class_specifier':
      case 'union_specifier':
      case 'enum_specifier': {
        const semicolon = node.nextSibling?.type === ';' ? node.nextSibling : null;
        const binds = typeBinds(node);
        return [
          this.item(node, context, 'shared', 'type', { binds, nodeEnd: semicolon?.endIndex ?? node.endIndex, ...this.keyed('type', typeKey(node, binds), context) }),
        ];
      }
      case 'template_declaration':
        return this.template(node, context);
      case 'template_instantiation': {
        const found = nameOf(node.childForFieldName('declarator'));
        const name = found ? (nameParts(found.name).at(-1) ?? '') : '';
        const own = this.definedFunctions.has([...context.namespacePath, name].join('::'));
        return [this.item(node, context, own ? 'perSide' : 'sharedDefinition', 'other')];
      }
      case 'declaration':
        return this.declaration(node, context);
      case 'function_definition':
        return this.functionDefinition(node, context, undefined);
      case 'linkage_specification': {
        const body = node.childForFieldName('body');
        const inner: Context = this.dialect === 'cpp' ? { ...context, linkage: node.childForFieldName('value')?.text ?? '"C"' } : context;
        if (!body) return [];
        return body.type === 'declaration_list' ? this.container(named(body), inner) : this.classify(body, inner);
      }
      case 'namespace_definition': {
        const parts = namespaceParts(node);
        const body = node.childForFieldName('body');
        return this.container(named(body), { ...context, namespacePath: [...context.namespacePath, ...parts] });
      }
      default:
        if (SHARED_TYPES.has(node.type)) {
          const binds = typeBinds(node);
          const kind: ItemKind = node.type === 'static_assert_declaration' ? 'other' : 'type';
          return [this.item(node, context, 'shared', kind, binds.length ? { binds, ...this.keyed('type', binds.join(','), context) } : {})];
        }
        // Unknown top-level code (macro invocations, parse errors): each side gets its own copy.
        return [this.item(node, context, 'perSide', 'other')];
    }
  }

  private conditional(node: Node, context: Context): Item[] {
    if (isIncludeGuard(node)) {
      const guard = conditionalBody(node);
      const define = guard.findIndex((c) => c.type === 'preproc_def');
      return this.container(guard.filter((_, i) => i !== define), context);
    }
    const linkage = cplusplusLinkage(node);
    if (linkage) {
      const body = linkage.childForFieldName('body');
      const inner: Context = this.dialect === 'cpp' ? { ...context, linkage: '"C"' } : context;
      const children = named(body).filter(
        (c) => !(c.type === 'preproc_call' && /^#\s*endif\b/.test(c.text.trim())) && !(c.type === 'preproc_ifdef' && conditionalBody(c).length === 0),
      );
      return this.container(children, inner);
    }
    const id = this.nextConditional++;
    const inner: Context = { ...context, conditionals: [...context.conditionals, id] };
    const produced: Item[] = [];
    const directive = (branch: Node | null, text: string, at: number): void => {
      produced.push(
        this.item(branch ?? node, context, 'directive', 'directive', { nodeStart: at, nodeEnd: at + text.length, text, conditionalId: id }),
      );
    };
    let branch: Node | null = node;
    while (branch) {
      directive(branch, this.directiveHeader(branch), branch.startIndex);
      produced.push(...this.container(conditionalBody(branch), inner));
      branch = branch.childForFieldName('alternative');
    }
    const endif = all(node).find((c) => c.type === '#endif');
    produced.push(
      this.item(node, context, 'directive', 'directive', {
        nodeStart: endif?.startIndex ?? node.endIndex,
        nodeEnd: endif?.endIndex ?? node.endIndex,
        text: '#endif',
        conditionalId: id,
      }),
    );
    const content = produced.filter((i) => i.category !== 'directive');
    if (content.some((i) => i.category === 'perSide' || i.category === 'sharedDefinition' || i.category === 'main')) return produced;
    // Only macros, types, includes…: the block stays whole.
    const category: Category = content.some((i) => i.category === 'include') ? 'include' : 'shared';
    return [
      this.item(node, context, category, 'conditional', {
        binds: [...new Set(content.flatMap((i) => i.binds))],
        uses: [...new Set(node.text.match(IDENTIFIER) ?? [])],
        alwaysKeep: category === 'include' || content.some((i) => i.alwaysKeep),
      }),
    ];
  }

  private directiveHeader(branch: Node): string {
    if (branch.type === 'preproc_else') return '#else';
    const head = branch.childForFieldName('condition') ?? branch.childForFieldName('name');
    const from = head?.endIndex ?? branch.startIndex;
    const newline = this.source.indexOf('\n', from);
    return this.source.slice(branch.startIndex, newline === -1 ? this.source.length : newline).replace(/\r$/, '');
  }

  private template(node: Node, context: Context): Item[] {
    const inner = named(node).filter((c) => !['template_parameter_list', 'comment', 'requires_clause'].includes(c.type)).at(-1);
    if (inner?.type === 'function_definition') return this.functionDefinition(inner, context, node);
    if (inner?.type === 'declaration') {
      const info = functionInfo(inner, this.source);
      if (info) {
        const own = info.nameType === 'identifier' && this.definedFunctions.has([...context.namespacePath, info.name].join('::'));
        return [
          this.item(node, context, own ? 'perSide' : 'shared', 'prototype', {
            binds: [info.name],
            defines: own ? [info.name] : [],
            fn: info,
            ...this.keyed('prototype', `${info.name}(${info.signature.parameterTypes.join(',')})#template`, context),
          }),
        ];
      }
    }
    // Class templates, alias templates, variable templates, concepts, explicit specialisations of classes.
    const binds = inner ? typeBinds(inner) : [];
    if (inner?.type === 'declaration') {
      for (const d of inner.childrenForFieldName('declarator')) {
        const n = nameOf(d);
        if (n) binds.push(n.name.text);
      }
    }
    const specialised = inner && SPECIFIER_TYPES.has(inner.type) ? normalise(inner.childForFieldName('name')?.text ?? '') : '';
    return [
      this.item(node, context, 'shared', 'type', {
        binds,
        nodeEnd: node.nextSibling?.type === ';' && inner?.type !== 'declaration' ? node.nextSibling.endIndex : node.endIndex,
        ...(binds.length ? this.keyed('type', `${binds.join(',')}<${specialised}>`, context) : {}),
      }),
    ];
  }

  private declaration(node: Node, context: Context): Item[] {
    const declarators = node.childrenForFieldName('declarator').filter((d): d is Node => d !== null);
    const found = declarators.map((d) => nameOf(d));
    const info = functionInfo(node, this.source);
    if (info) {
      if (info.nameType !== 'identifier') {
        return [this.item(node, context, 'shared', 'prototype', { fn: info, binds: [info.name], ...this.keyed('prototype', normalise(node.text), context) })];
      }
      const own = this.definedFunctions.has([...context.namespacePath, info.name].join('::'));
      return [
        this.item(node, context, own ? 'perSide' : 'shared', 'prototype', {
          binds: [info.name],
          defines: own ? [info.name] : [],
          fn: info,
          ...this.keyed('prototype', this.dialect === 'c' ? info.name : `${info.name}(${info.signature.parameterTypes.join(',')})`, context),
        }),
      ];
    }
    const names = found.flatMap((f) => (f ? [f.name] : []));
    const storage = named(node).filter((c) => c.type === 'storage_class_specifier').map((c) => c.text);
    const qualifiers = named(node).filter((c) => c.type === 'type_qualifier').map((c) => c.text);
    const plain = names.map((n) => nameParts(n).at(-1) ?? n.text);
    if (names.some((n) => n.type === 'qualified_identifier')) {
      // `int Foo::count = 0;`: a static data member, defined once (unless inline/constexpr).
      const classes = names.flatMap((n) => nameParts(n).slice(0, -1));
      const once = !storage.includes('inline') && !qualifiers.includes('constexpr');
      return [
        this.item(node, context, once ? 'sharedDefinition' : 'shared', 'variable', {
          binds: classes,
          names: names.map((n) => n.text),
          ...this.keyed('variable', names.map((n) => n.text.replace(/\s+/g, '')).join(','), context),
        }),
      ];
    }
    const keys = this.keyed('variable', plain.join(','), context);
    let category: Category;
    if (storage.includes('extern') && !declarators.some((d) => d.type === 'init_declarator')) {
      category = plain.some((n) => this.definedVariables.has([...context.namespacePath, n].join('::'))) ? 'perSide' : 'shared';
    } else if (this.dialect === 'cpp' && !storage.includes('extern') && declaresConstObjects(node) && !this.callsOwnFunctions(node)) {
      category = 'shared';
    } else {
      category = 'perSide';
    }
    const type = node.childForFieldName('type');
    const typeName = type?.childForFieldName('name');
    const body = type?.childForFieldName('body');
    if (category === 'perSide' && type && SPECIFIER_TYPES.has(type.type) && typeName && body && plain.length > 0) {
      // `struct S { … } s;`: the type is shared, the variable is per side (written as `struct S s;`, lines kept).
      const typeBindings = typeBinds(type);
      const typeItem = this.item(type, context, 'shared', 'type', {
        text: `${this.source.slice(type.startIndex, type.endIndex)};`,
        binds: typeBindings,
        ...this.keyed('type', typeKey(type, typeBindings), context),
      });
      const variableText =
        this.source.slice(node.startIndex, body.startIndex) + '\n'.repeat(countNewlines(body.text)) + this.source.slice(body.endIndex, node.endIndex);
      const variable = this.item(node, context, 'perSide', 'variable', { text: variableText, binds: plain, defines: plain, ...keys });
      variable.bodyText = this.source.slice(node.startIndex, node.endIndex);
      return [typeItem, variable];
    }
    return [this.item(node, context, category, 'variable', { binds: plain, defines: category === 'perSide' ? plain : [], ...keys })];
  }

  /** Whether an initialiser uses one of the file's functions (which live per side): `const int K = compute();`. */
  private callsOwnFunctions(node: Node): boolean {
    const own = new Set([...this.definedFunctions].map((key) => key.split('::').at(-1)));
    return node
      .childrenForFieldName('declarator')
      .some((d) => d?.type === 'init_declarator' && usesOf(d.childForFieldName('value') ?? d).some((name) => own.has(name)));
  }

  private functionDefinition(node: Node, context: Context, template: Node | undefined): Item[] {
    const outer = template ?? node;
    const info = functionInfo(node, this.source);
    if (!info) return [this.item(outer, context, 'perSide', 'other')];
    const specifiers = specifiersOf(node).map((s) => s.text);
    const inlineLike = !!template || specifiers.includes('inline') || specifiers.includes('constexpr') || specifiers.includes('consteval');
    const typesKey = info.signature.parameterTypes.join(',');
    if (info.nameType === 'qualified_identifier' && !info.qualifier.every((part) => this.namespaces.has(part))) {
      // An out-of-class member definition: defined once, next to its class (templates and inline ones in every unit).
      const qualified = [...info.qualifier, info.name].join('::');
      return [
        this.item(outer, context, inlineLike ? 'shared' : 'sharedDefinition', 'method', {
          binds: info.qualifier.map((q) => q.replace(/<.*$/, '')),
          names: [qualified],
          fn: info,
          ...this.keyed('method', `${qualified}(${typesKey})`, context),
        }),
      ];
    }
    if (info.nameType === 'operator_name' || info.nameType === 'operator_cast') {
      // Free operators stay next to their types (ADL must find them from std::sort & co.).
      const parameterTypes = node.childForFieldName('declarator')?.descendantsOfType('type_identifier') ?? [];
      const typeNames = [...new Set(parameterTypes.flatMap((t) => (t ? [t.text] : [])))];
      const keys = this.keyed('operator', `${info.name}(${typesKey})`, context);
      if (inlineLike) return [this.item(outer, context, 'shared', 'operator', { binds: typeNames, names: [info.name], fn: info, ...keys })];
      const isStatic = info.storage.filter((s) => s.text === 'static');
      const definition = this.item(outer, context, 'sharedDefinition', 'operator', { binds: typeNames, names: [info.name], fn: info, ...keys });
      if (isStatic.length > 0) definition.text = stripStorage(definition, isStatic);
      const prototype = this.item(outer, context, 'shared', 'operator', {
        text: info.signature.prototype,
        binds: [],
        uses: [],
        names: [],
        synthetic: true,
        key: 'synthetic',
        localKey: 'synthetic',
      });
      prototype.line = this.lineOf(node.startIndex);
      return [prototype, definition];
    }
    const fnPath = [...context.namespacePath, ...info.qualifier];
    if (info.name === 'main' && fnPath.length === 0 && info.nameType === 'identifier') {
      return [this.item(outer, context, 'main', 'main', { binds: [] })];
    }
    const kind: ItemKind = template ? 'template' : 'function';
    return [
      this.item(outer, context, 'perSide', kind, {
        binds: [info.name],
        defines: [info.name],
        fn: info,
        ...this.keyed(kind, this.dialect === 'c' ? info.name : `${info.name}(${typesKey})`, context),
      }),
    ];
  }
}

function typeKey(node: Node, binds: string[]): string {
  const name = node.childForFieldName('name');
  return name ? normalise(name.text) : binds.join(',') || normalise(node.text);
}

/** The item's text with the given storage specifiers blanked (spaces keep columns and lines). */
function stripStorage(item: Item, specifiers: Node[]): string {
  const edits = specifiers
    .filter((s) => s.startIndex >= item.start && s.endIndex <= item.end)
    .map((s) => ({ start: s.startIndex - item.start, end: s.endIndex - item.start, text: ' '.repeat(s.endIndex - s.startIndex) }));
  return applyEdits(item.text, edits);
}

/** `knownNamespaces`: namespaces declared elsewhere (a candidate may write `int ns::f()` for the file's `ns`). */
function collectItems(root: Node, source: string, dialect: NativeDialect, knownNamespaces: Iterable<string> = []): Item[] {
  return new ItemCollector(root, source, dialect, knownNamespaces).collect();
}

// ---------------------------------------------------------------------------------------------------------------------
// Extraction

function wrapInNamespaces(text: string, namespacePath: readonly string[]): string {
  return namespacePath.length === 0 ? text : `namespace ${namespacePath.join('::')} {\n${text}\n}`;
}

export async function extractNativeTarget(fileText: string, filePath: string, spec: TargetSpec): Promise<ExtractedTarget> {
  const dialect = dialectForFile(filePath, fileText);
  return withTree(fileText, dialect, (root) => {
    const site = chooseSite(functionSites(root, fileText), spec, filePath);
    checkSite(site, filePath);
    const statements = collectItems(root, fileText, dialect)
      .filter((i) => i.category !== 'directive' && i.category !== 'main' && !i.synthetic && i.nodeStart !== site.outer.startIndex)
      .map((item) => ({ item, binds: new Set(item.binds), uses: new Set(item.uses) }));
    const needed = neededDefinitions(statements, new Set(usesOf(site.node)), site.name, (s) => s.item.alwaysKeep).map((s) => s.item);
    return {
      language: dialect,
      filePath,
      fileText,
      functionName: site.name,
      range: lineRangeOf(site.outer),
      startOffset: site.outer.startIndex,
      endOffset: site.outer.endIndex,
      functionSource: site.outer.text,
      contextSource: needed.map((i) => wrapInNamespaces(i.bodyText.trim(), i.namespacePath)).join('\n\n'),
      contextNames: [...new Set(needed.flatMap((i) => i.names))],
      parameters: site.info.parameters.map((p, i) => p.name || `arg${i + 1}`),
    };
  });
}

/** Blank lines in place of `main` (same line count, so the rest keeps its lines). */
function mainEdits(items: Item[]): Edit[] {
  return items
    .filter((i) => i.category === 'main')
    .map((i) => ({ start: i.nodeStart, end: i.nodeEnd, text: '\n'.repeat(countNewlines(i.bodyText)) }));
}

/** The user's file with `main` (if any) replaced by blank lines. Needs the parser loaded (extractNativeTarget does it). */
export function originalNativeProgram(target: ExtractedTarget): Program {
  const dialect = dialectOf(target);
  const source = withTreeNow(target.fileText, dialect, (root) => applyEdits(target.fileText, mainEdits(collectItems(root, target.fileText, dialect))));
  return { id: 'original', source, functionName: target.functionName };
}

// ---------------------------------------------------------------------------------------------------------------------
// Candidates

function describeItem(item: Item): string {
  const what = item.names[0] ?? item.binds[0] ?? collapse(item.bodyText).slice(0, 40);
  if (item.kind === 'macro') return `the macro \`${what}\``;
  if (item.kind !== 'type') return `\`${what}\``;
  const node = item.node.type === 'template_declaration' ? (named(item.node).at(-1) ?? item.node) : item.node;
  const keyword = SPECIFIER_TYPES.has(node.type) ? node.type.replace(/_specifier$/, '') : node.type === 'type_definition' ? 'typedef' : '';
  return `\`${keyword ? `${keyword} ` : ''}${what}\``;
}

function sharedReason(item: Item): string {
  switch (item.kind) {
    case 'method':
    case 'operator':
      return `the candidate changes ${describeItem(item)}; Perfloop optimizes one function and keeps the file's methods and operators (they are shared with the original)`;
    case 'macro':
      return `the candidate redefines ${describeItem(item)}; Perfloop keeps the file's macros (they are shared with the original)`;
    case 'variable':
      return `the candidate redefines the constant ${describeItem(item)}; Perfloop keeps the file's constants (they are shared with the original)`;
    default:
      return `the candidate redefines ${describeItem(item)}; Perfloop keeps the file's types (they are shared with the original)`;
  }
}

interface CandidatePlan {
  edits: Edit[];
}

/** What to change in the user's file for `code`: the target replaced, helpers replaced or added, includes added. */
async function planCandidate(target: ExtractedTarget, code: string, dropMain: boolean): Promise<CandidatePlan | { reason: string }> {
  const dialect = dialectOf(target);
  const language = dialect === 'c' ? 'C' : 'C++';
  const codeTree = parseWith(await parserFor(dialect), code, dialect);
  const fileTree = parseWith(await parserFor(dialect), target.fileText, dialect);
  try {
    const fileItems = collectItems(fileTree.rootNode, target.fileText, dialect);
    const original = fileItems.find((i) => i.category === 'perSide' && i.kind === 'function' && i.nodeStart === target.startOffset);
    if (!original?.fn) return { reason: `\`${target.functionName}\` is no longer at line ${target.range.start} of ${target.filePath}; extract it again` };
    const originalFn = original.fn;
    const items = collectItems(codeTree.rootNode, code, dialect, namespaceNames(fileTree.rootNode)).filter((i) => i.category !== 'main' && i.category !== 'directive' && !i.synthetic);

    const sameName = items.filter((i) => i.kind === 'function' && i.fn?.name === target.functionName);
    if (sameName.length === 0) {
      const elsewhere = items.find((i) => (i.kind === 'template' || i.kind === 'method') && i.fn?.name === target.functionName);
      if (elsewhere) return { reason: `the code defines \`${target.functionName}\` as a ${elsewhere.kind === 'template' ? 'template' : 'method'}; it must stay a plain function` };
      const defined = items.filter((i) => i.kind === 'function').map((i) => `\`${i.fn?.name ?? '?'}\``);
      const bad = codeTree.rootNode.hasError ? ` (the code does not parse as ${language}: syntax error near line ${firstErrorLine(codeTree.rootNode)})` : '';
      return { reason: `the code does not define the function \`${target.functionName}\` (it defines ${defined.join(', ') || 'no function'})${bad}` };
    }
    const matching = sameName.filter((i) => i.fn && !signatureDifference(originalFn, i.fn));
    if (matching.length > 1) return { reason: `the code defines \`${target.functionName}\` more than once` };
    const chosen = matching[0];
    if (!chosen?.fn) {
      const difference = sameName.length === 1 && sameName[0]?.fn ? signatureDifference(originalFn, sameName[0].fn) : 'no definition matches';
      return { reason: `the candidate changes the signature of \`${target.functionName}\` (${difference}); keep the return type, parameter types and default arguments` };
    }
    if (chosen.hasError) {
      return { reason: `the candidate's \`${target.functionName}\` does not parse as ${language} (syntax error near line ${firstErrorLine(chosen.node)})` };
    }
    const broken = items.find((i) => i.hasError);
    if (broken) return { reason: `the code does not parse as ${language} (syntax error near line ${firstErrorLine(broken.node)})` };

    const targetPath = original.namespacePath.concat(originalFn.qualifier);
    const effectivePath = (item: Item): string[] => (item.namespacePath.length === 0 ? targetPath : item.namespacePath);
    const counterpart = (item: Item): Item | undefined => {
      const pool = fileItems.filter((f) => f.category !== 'main' && f.category !== 'directive' && !f.synthetic && f.localKey === item.localKey);
      const path = effectivePath(item).join('::');
      return pool.find((f) => f.namespacePath.join('::') === path) ?? (pool.length === 1 ? pool[0] : undefined);
    };
    const fileIncludes = new Set(fileItems.filter((f) => f.category === 'include').map((f) => normalise(f.bodyText)));

    const edits: Edit[] = [];
    const newIncludes: string[] = [];
    const added: string[] = [];
    const replaced = new Set<Item>();
    for (const item of items) {
      if (item === chosen) continue;
      if (item.category === 'include') {
        if (!fileIncludes.has(normalise(item.bodyText))) newIncludes.push(item.bodyText.trim());
        continue;
      }
      if (item.kind === 'prototype' && item.fn?.name === target.functionName) continue;
      const match = counterpart(item);
      if (match) {
        if (normalise(match.bodyText) === normalise(item.bodyText)) continue;
        if (match === original) return { reason: `the code defines \`${target.functionName}\` more than once` };
        const replaceable = match.category === 'perSide' && (item.kind === 'function' || item.kind === 'template' || item.kind === 'variable' || item.kind === 'other');
        if (item.kind === 'prototype') continue;
        if (!replaceable) return { reason: sharedReason(match) };
        if (replaced.has(match)) return { reason: `the code defines ${describeItem(match)} more than once` };
        replaced.add(match);
        edits.push({ start: match.nodeStart, end: match.nodeEnd, text: item.bodyText });
        continue;
      }
      if (item.category === 'sharedDefinition' || (item.kind === 'method' && item.category === 'shared')) {
        return {
          reason: `the candidate adds ${describeItem(item)}; methods and operators belong to the file's types and cannot be added by a candidate: use a helper function`,
        };
      }
      const relative = commonPrefixLength(item.namespacePath, targetPath);
      added.push(wrapInNamespaces(item.text.trim(), item.namespacePath.slice(relative)));
    }

    // The target, keeping the original's `static`/`inline` when the candidate dropped them all, and its own scope.
    const fn = chosen.fn;
    const fnEdits: Edit[] = [];
    if (fn.storage.length === 0 && originalFn.storage.length > 0) {
      const first = specifiersOf(chosen.node).find((s) => !ATTRIBUTE_TYPES.has(s.type));
      if (first) fnEdits.push({ start: first.startIndex, end: first.startIndex, text: `${originalFn.storage.map((s) => s.text).join(' ')} ` });
    }
    if (fn.nameType === 'qualified_identifier' && originalFn.nameType === 'identifier') {
      fnEdits.push({ start: fn.nameNode.startIndex, end: fn.nameNode.endIndex, text: fn.name });
    }
    const targetText = applyEdits(code.slice(chosen.nodeStart, chosen.nodeEnd), fnEdits, chosen.nodeStart);
    if (added.length > 0) edits.push({ start: original.start, end: original.start, text: `${added.join('\n\n')}\n\n` });
    edits.push({ start: original.nodeStart, end: original.nodeEnd, text: targetText });

    if (newIncludes.length > 0) {
      const last = fileItems.filter((f) => f.kind === 'include' && f.conditionals.length === 0).at(-1);
      if (last) {
        const newline = target.fileText.slice(last.nodeStart, last.nodeEnd).endsWith('\n');
        edits.push({ start: last.nodeEnd, end: last.nodeEnd, text: `${newline ? '' : '\n'}${newIncludes.join('\n')}${newline ? '\n' : ''}` });
      } else {
        edits.push({ start: 0, end: 0, text: `${newIncludes.join('\n')}\n` });
      }
    }
    if (dropMain) edits.push(...mainEdits(fileItems));
    return { edits };
  } finally {
    codeTree.delete();
    fileTree.delete();
  }
}

function commonPrefixLength(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * A candidate program: the original program (the file minus `main`) with the target replaced by the candidate's, the
 * helpers it rewrote replaced in place, new helpers/types/globals inserted before the target and new includes after the
 * last include. The candidate may be the function alone or a whole file; its `main` is ignored.
 */
export async function buildNativeCandidate(target: ExtractedTarget, code: string, id: string): Promise<CandidateBuild> {
  const plan = await planCandidate(target, code, true);
  if ('reason' in plan) return { ok: false, reason: plan.reason };
  return { ok: true, program: { id, source: applyEdits(target.fileText, plan.edits), functionName: target.functionName } };
}

/** The user's file with the same changes as `buildNativeCandidate` (its `main` kept): what Apply writes. */
export async function applyNativeCandidate(target: ExtractedTarget, code: string): Promise<string> {
  const plan = await planCandidate(target, code, false);
  if ('reason' in plan) throw new RunnerError(`Cannot apply the candidate: ${plan.reason}.`);
  return applyEdits(target.fileText, plan.edits);
}

// ---------------------------------------------------------------------------------------------------------------------
// Splitting a program for the build

export interface Chunk {
  text: string;
  /** 1-based line in the program's source where `text` starts (the build writes `#line` before it). */
  line: number;
  /**
   * The namespaces the chunk is written in, outermost first ([] at file scope). The assembler reopens them: shared
   * chunks as `namespace a { … }`, per-side chunks inside `perfloop_<side>` as `namespace a { using namespace ::a; … }`
   * so they still see the shared types of `::a`.
   */
  namespacePath: string[];
  /** `"C"` when written in an `extern "C"` block (C++ only; never set on perSide chunks: each side needs its own symbols). */
  linkage?: string;
  /** perSide chunks: the functions and globals the chunk defines or declares. */
  names?: string[];
  /** Inside a split preprocessor conditional (its directives are chunks of the same part). */
  conditional?: boolean;
}

/**
 * A program cut into the parts the build compiles (README.md, "How a program becomes an executable").
 *
 * - `includes`: `#include` lines (and preprocessor blocks made only of includes, macros and types).
 * - `shared`: macros, types (struct/class/union/enum, typedef, `using` aliases, class templates, template member
 *   definitions), `using` declarations and directives, `#pragma`s, prototypes of functions the file does not define,
 *   in C++ const/constexpr objects (unless initialised by one of the file's functions), inline member definitions and
 *   the prototypes of free operators.
 * - `sharedDefinitions` (C++): out-of-class member definitions, static data members and free operators: defined once,
 *   in the original's unit.
 * - `perSide`: functions, function templates, prototypes of the file's functions, and non-const globals (C: every
 *   global), unknown top-level code (macro invocations). The target's `static`/`inline` are blanked (and those of its
 *   prototypes and same-name alternatives). `main` is dropped.
 * - Preprocessor conditionals holding per-side code are split: their directive lines are repeated in every part that
 *   receives some of their contents. An include guard (`#ifndef X` / `#define X`) and `#pragma once` are dropped;
 *   `#ifdef __cplusplus extern "C" {` wrappers are unwrapped.
 *
 * Namespaces are not kept in the chunk texts: every chunk carries its `namespacePath` (anonymous and inline namespaces
 * are see-through), and `namespacePath`/`qualifiedName` say where the target is (`perfloop_original::<qualifiedName>`).
 * Leading comments go with the item after them, a comment on an item's last line with that item.
 *
 * Limits: parts keep the file's order within a part, not across parts: shared code that calls the file's functions
 * (an inline method or a template calling a free helper) does not compile, includes and `#undef`s move up; a function
 * defined as `::name` or reached as `::name` from another function is not found in `perfloop_<side>`.
 */
export interface SplitProgram {
  includes: Chunk[];
  shared: Chunk[];
  sharedDefinitions: Chunk[];
  perSide: Chunk[];
  /** names of the functions and globals perSide defines (C: the build #defines each to perfloop_<side>_NAME) */
  perSideNames: string[];
  signature: {
    returnType: string;
    /** `(const int *a, size_t n)` as written. */
    parameters: string;
    /** `R NAME(PARAMS);` with storage specifiers, `constexpr` and attributes removed, default arguments kept. */
    prototype: string;
    /** Parameter types without names or default values, normalised (`const int*`). */
    parameterTypes: string[];
    /** The function's type (`R (T1, T2)`): `using F = <functionType>;` names it. */
    functionType: string;
  };
  /** The target's namespace, outermost first ([] at file scope). */
  namespacePath: string[];
  /** `ns::name`, or `name`: the harness reaches `perfloop_original::<qualifiedName>`. */
  qualifiedName: string;
  /** 1-based line where the target's definition starts. */
  targetLine: number;
}

/** Which definition is the target when the name is overloaded: the one at `line`, or the one with these parameter types. */
export interface TargetSelector {
  line?: number;
  parameterTypes?: readonly string[];
}

export async function splitProgram(source: string, dialect: NativeDialect, functionName: string, select: TargetSelector = {}): Promise<SplitProgram> {
  return withTree(source, dialect, (root) => {
    const items = collectItems(root, source, dialect);
    const lineOf = lineIndex(source);
    const candidates = items.filter((i) => i.kind === 'function' && i.fn?.name === functionName);
    const target =
      (select.line !== undefined ? candidates.find((i) => lineOf(i.nodeStart) === select.line) : undefined) ??
      (select.parameterTypes ? candidates.find((i) => i.fn?.signature.parameterTypes.join(',') === select.parameterTypes?.join(',')) : undefined) ??
      candidates[0];
    if (!target?.fn) throw new RunnerError(`The program does not define the function \`${functionName}\`.`);
    const targetPath = target.namespacePath.concat(target.fn.qualifier);

    // The target must have external linkage and an out-of-line definition: blank its static/inline, and those of its
    // prototypes and of its other definitions (preprocessor alternatives, overloads).
    for (const item of items) {
      if (item.category !== 'perSide' || !item.fn || item.fn.name !== functionName || item.kind === 'template') continue;
      if (item.namespacePath.concat(item.fn.qualifier).join('::') !== targetPath.join('::')) continue;
      const strip = item.fn.storage.filter((s) => s.text === 'static' || s.text === 'inline');
      if (strip.length > 0) item.text = stripStorage(item, strip);
    }

    // A split conditional's directives go to every part that got some of its contents.
    const routes = new Map<number, Set<Category>>();
    for (const item of items) {
      if (item.category === 'directive' || item.category === 'main') continue;
      for (const id of item.conditionals) {
        let set = routes.get(id);
        if (!set) routes.set(id, (set = new Set()));
        set.add(item.category);
      }
    }
    const parts: Record<'include' | 'shared' | 'sharedDefinition' | 'perSide', Chunk[]> = { include: [], shared: [], sharedDefinition: [], perSide: [] };
    const toChunk = (item: Item, text = item.text): Chunk => {
      const chunk: Chunk = { text, line: item.line, namespacePath: item.namespacePath };
      if (item.linkage && item.category !== 'perSide') chunk.linkage = item.linkage;
      if (item.category === 'perSide') chunk.names = item.defines;
      if (item.conditionals.length > 0) chunk.conditional = true;
      return chunk;
    };
    for (const item of items) {
      if (item.category === 'main') continue;
      if (item.category === 'directive') {
        const route = routes.get(item.conditionalId ?? -1);
        for (const category of route ?? []) {
          if (category === 'directive' || category === 'main') continue;
          parts[category].push({ text: item.text.slice(item.text.indexOf('#')), line: lineOf(item.nodeStart), namespacePath: [] });
        }
        continue;
      }
      parts[item.category].push(toChunk(item));
    }
    return {
      includes: parts.include,
      shared: parts.shared,
      sharedDefinitions: dialect === 'cpp' ? parts.sharedDefinition : [],
      perSide: dialect === 'cpp' ? parts.perSide : [...parts.perSide, ...parts.sharedDefinition],
      perSideNames: [...new Set(items.filter((i) => i.category === 'perSide').flatMap((i) => i.defines))],
      signature: { ...target.fn.signature },
      namespacePath: targetPath,
      qualifiedName: [...targetPath, functionName].join('::'),
      targetLine: lineOf(target.nodeStart),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Assembling translation units

function lineDirective(line: number, fileName: string | undefined): string[] {
  return fileName === undefined ? [] : [`#line ${line} "${escapeCString(fileName)}"`];
}

/** `namespace a { namespace b {` lines and the matching closing braces, optionally with extra lines inside each level. */
function opening(namespacePath: readonly string[], inside: (level: number) => string[] = () => []): { open: string[]; close: string[] } {
  const open: string[] = [];
  namespacePath.forEach((name, i) => {
    open.push(`namespace ${name} {`, ...inside(i));
  });
  return { open, close: namespacePath.map(() => '}') };
}

function emit(chunk: Chunk, fileName: string | undefined, open: string[] = [], close: string[] = []): string {
  return [...open, ...lineDirective(chunk.line, fileName), chunk.text, ...close].join('\n');
}

/** A shared/include chunk in C++: its namespaces and linkage reopened. */
function emitShared(chunk: Chunk, fileName: string | undefined): string {
  const { open, close } = opening(chunk.namespacePath);
  if (chunk.linkage) {
    open.push(`extern ${chunk.linkage} {`);
    close.unshift('}');
  }
  return emit(chunk, fileName, open, close);
}

/** Inside `perfloop_<side>`: namespaces reopened, each seeing the shared declarations of the real one. */
function perSideOpening(namespacePath: readonly string[]): { open: string[]; close: string[] } {
  return opening(namespacePath, (level) => [`using namespace ::${namespacePath.slice(0, level + 1).join('::')};`]);
}

/** `namespace a { namespace b {} }` for every path, so that `using namespace ::a::b;` always names a namespace. */
function declareNamespaces(paths: readonly (readonly string[])[], prefix = ''): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of paths) {
    if (p.length === 0) continue;
    const key = p.join('::');
    if (seen.has(key)) continue;
    seen.add(key);
    const body = p.map((n) => `namespace ${n} {`).join(' ') + ' ' + p.map(() => '}').join(' ');
    out.push(prefix ? `namespace ${prefix} { ${body} }` : body);
  }
  return out;
}

/**
 * One side's translation unit (README.md): C++ — includes, shared, `namespace perfloop_<side> { perSide }`, then (with
 * `withSharedDefinitions`) the shared definitions — after the per-side code, not before as README.md first had it, so
 * that methods can call the file's functions (brought back by using-declarations, and `namespace a { using namespace
 * ::perfloop_<side>::a; }`) — then a reference that keeps an out-of-line copy of the target (constexpr/inline targets); C — includes, `#define NAME perfloop_<side>_NAME` for every
 * per-side name, shared, perSide. `#line` directives point every chunk at `fileName`.
 */
export function assembleProgramUnit(
  split: SplitProgram,
  dialect: NativeDialect,
  side: 'original' | 'candidate',
  withSharedDefinitions: boolean,
  fileName: string,
): string {
  const space = `perfloop_${side}`;
  const out: string[] = [`/* Perfloop: the ${side} side of ${fileName.replace(/\*\//g, '*_/')} */`];
  if (dialect === 'c') {
    out.push(...split.includes.map((c) => emit(c, fileName)));
    out.push('#line 1 "<perfloop>"', ...split.perSideNames.map((name) => `#define ${name} ${space}_${name}`));
    out.push(...split.shared.map((c) => emit(c, fileName)));
    if (withSharedDefinitions) out.push(...split.sharedDefinitions.map((c) => emit(c, fileName)));
    out.push(...split.perSide.map((c) => emit(c, fileName)));
    return `${out.join('\n')}\n`;
  }
  out.push(...split.includes.map((c) => emitShared(c, fileName)));
  out.push(...split.shared.map((c) => emitShared(c, fileName)));
  out.push('#line 1 "<perfloop>"', ...declareNamespaces([...split.perSide.map((c) => c.namespacePath), split.namespacePath]));
  out.push(`namespace ${space} {`);
  for (const chunk of split.perSide) {
    const { open, close } = perSideOpening(chunk.namespacePath);
    out.push(emit(chunk, fileName, open, close));
  }
  out.push(`} // namespace ${space}`);
  if (withSharedDefinitions && split.sharedDefinitions.length > 0) {
    // Member definitions may call the file's functions, which now live in perfloop_<side>: file-scope ones are brought
    // back by using-declarations, and each namespace `a` gets `using namespace ::perfloop_<side>::a;` (a directive at
    // file scope would make `a` itself ambiguous).
    const names = new Set<string>();
    const paths: string[][] = [];
    for (const chunk of split.perSide) {
      for (let level = 1; level <= chunk.namespacePath.length; level++) paths.push(chunk.namespacePath.slice(0, level));
      // Names from preprocessor branches may not exist.
      if (chunk.namespacePath.length === 0 && !chunk.conditional) for (const name of chunk.names ?? []) names.add(name);
    }
    const seen = new Set<string>();
    const directives = paths.flatMap((p) => {
      const key = p.join('::');
      if (seen.has(key)) return [];
      seen.add(key);
      return [`${p.map((n) => `namespace ${n} {`).join(' ')} using namespace ::${space}::${key}; ${p.map(() => '}').join(' ')}`];
    });
    out.push('#line 1 "<perfloop>"', ...[...names].map((name) => `using ::${space}::${name};`), ...directives);
    out.push(...split.sharedDefinitions.map((c) => emitShared(c, fileName)));
  }
  const keep = perSideOpening(split.namespacePath);
  out.push(
    '#line 1 "<perfloop>"',
    `namespace ${space} {`,
    ...keep.open,
    `using perfloop_target_type = ${split.signature.functionType};`,
    `[[gnu::used]] static perfloop_target_type* const perfloop_keep = &${split.qualifiedName.split('::').at(-1) ?? split.qualifiedName};`,
    ...keep.close,
    '}',
  );
  return `${out.join('\n')}\n`;
}

/**
 * The harness translation unit (always C++) up to, not including, `#include "perfloop_harness.hpp"`: the includes,
 * the shared parts, and the two prototypes — C++: in `perfloop_original` and (weak) `perfloop_candidate`; C: in an
 * `extern "C"` block, renamed `perfloop_original_NAME` / `perfloop_candidate_NAME`. `fileName` adds `#line` directives.
 */
export function assembleHarnessPrelude(split: SplitProgram, dialect: NativeDialect, fileName?: string): string {
  const name = split.qualifiedName.split('::').at(-1) ?? split.qualifiedName;
  const out: string[] = [];
  const prototypeLine = (): string[] => lineDirective(split.targetLine, fileName);
  if (dialect === 'c') {
    // C spellings C++ lacks (the user's headers may use them too).
    out.push('#ifndef restrict', '#define restrict __restrict', '#endif', '#ifndef _Bool', '#define _Bool bool', '#endif');
    out.push(...split.includes.map((c) => emit(c, fileName)));
    out.push(...split.shared.map((c) => emit(c, fileName)));
    out.push(
      'extern "C" {',
      `#define ${name} perfloop_original_${name}`,
      ...prototypeLine(),
      split.signature.prototype,
      `#undef ${name}`,
      `#define ${name} perfloop_candidate_${name}`,
      ...prototypeLine(),
      `__attribute__((weak)) ${split.signature.prototype}`,
      `#undef ${name}`,
      '}',
    );
    return `${out.join('\n')}\n`;
  }
  out.push(...split.includes.map((c) => emitShared(c, fileName)));
  out.push(...split.shared.map((c) => emitShared(c, fileName)));
  out.push(...declareNamespaces([split.namespacePath]));
  for (const [space, weak] of [
    ['perfloop_original', ''],
    ['perfloop_candidate', '__attribute__((weak)) '],
  ] as const) {
    const { open, close } = perSideOpening(split.namespacePath);
    out.push(`namespace ${space} {`, ...open, ...prototypeLine(), `${weak}${split.signature.prototype}`, ...close, '}');
  }
  return `${out.join('\n')}\n`;
}

/** The harness's expressions for the two entry points: `&perfloop_original::ns::name`, or in C `&perfloop_original_name`. */
export function entryExpressions(split: SplitProgram, dialect: NativeDialect): { original: string; candidate: string } {
  if (dialect === 'c') {
    const name = split.qualifiedName;
    return { original: `&perfloop_original_${name}`, candidate: `&perfloop_candidate_${name}` };
  }
  return { original: `&perfloop_original::${split.qualifiedName}`, candidate: `&perfloop_candidate::${split.qualifiedName}` };
}
