/**
 * C and C++ targets, with tree-sitter (grammars `c` and `cpp`): finds the function, method or function template to
 * optimize, collects what it needs from its file, builds and applies candidates, and cuts a program into the parts the
 * build compiles separately (`splitProgram`, then nativeUnits.ts). See README.md, "How a program becomes an executable",
 * "Methods" and "Function templates".
 *
 * Unlike the Python and JavaScript runners, a program is the user's whole file (minus `main`): C and C++ functions lean
 * on macros, types and declaration order that an excerpt would lose. The split into shared and per-side parts is what
 * lets the original and a candidate live in one executable.
 */
import path from 'node:path';
import type { Node, Parser, Tree } from 'web-tree-sitter';
import type { CandidateBuild, ExtractedTarget, LineRange, Program, TargetSpec } from '../runner.js';
import { neededDefinitions } from '../neededDefinitions.js';
import { assertParses } from '../syntaxErrors.js';
import { RunnerError } from '../runner.js';
import { createParser } from '../treeSitter.js';
import { indentationAt } from '../sourceText.js';
import {
  candidateMethodName,
  checkReplyClass,
  classInsertion,
  classSites,
  definitionText,
  fullClassName,
  membersNamed,
  memberWithTypes,
  methodQualifiers,
  methodShape,
  methodSignatureDifference,
  recursionEdits,
  reindent,
  CLASS_TYPES,
  type ClassSite,
  type Member,
  type MethodShape,
} from './nativeMethod.js';
import {
  all,
  applyEdits,
  ATTRIBUTE_TYPES,
  collapse,
  countNewlines,
  firstErrorLine,
  functionInfo,
  lineIndex,
  named,
  nameOf,
  nameParts,
  namespaceNames,
  namespaceParts,
  NOT_DECLARATOR,
  normalise,
  signatureDifference,
  specifiersOf,
  withoutComments,
  type Edit,
  type FunctionInfo,
} from './nativeSyntax.js';

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
// Function sites (for choosing the target)

type SiteKind = 'function' | 'method' | 'template' | 'operator' | 'main';

interface SiteMethod {
  /** The class and the classes enclosing it: ['Cart'], ['Outer', 'Inner']. */
  classPath: string[];
  /** Defined in its class's body; else out of class (`int Cart::total() const {…}`). */
  inClass: boolean;
  /** Why it cannot be a target whatever the class says (a friend, a member template, a method of a class template). */
  refusal?: string;
}

interface Site {
  node: Node;
  /** The node whose range is reported: the template_declaration for templates, else the definition. */
  outer: Node;
  kind: SiteKind;
  name: string;
  /** `ns::name`, `ns::Class::method`, or `name`. */
  qualifiedName: string;
  /** The function's namespace (for a method: its class's). */
  namespacePath: string[];
  info: FunctionInfo;
  method?: SiteMethod;
}

function functionSites(root: Node, source: string, knownNamespaces: Iterable<string> = []): Site[] {
  const namespaces = new Set([...namespaceNames(root), ...knownNamespaces]);
  const sites: Site[] = [];
  const visit = (node: Node, namespacePath: string[], classPath: string[], template: Node | undefined, classTemplate: boolean): void => {
    for (const child of named(node)) {
      switch (child.type) {
        case 'namespace_definition': {
          const parts = namespaceParts(child);
          visit(child.childForFieldName('body') ?? child, [...namespacePath, ...parts], classPath, undefined, classTemplate);
          break;
        }
        case 'template_declaration':
          visit(child, namespacePath, classPath, template ?? child, classTemplate);
          break;
        case 'class_specifier':
        case 'struct_specifier':
        case 'union_specifier': {
          const body = child.childForFieldName('body');
          const nameNode = child.childForFieldName('name');
          const name = nameNode ? (nameParts(nameNode).at(-1) ?? nameNode.text) : '(anonymous)';
          if (body) visit(body, namespacePath, [...classPath, name], undefined, classTemplate || !!template || nameNode?.type === 'template_type');
          break;
        }
        case 'friend_declaration':
          for (const inner of named(child)) if (inner.type === 'function_definition') addSite(inner, namespacePath, classPath, template, classTemplate, true);
          break;
        case 'function_definition':
          addSite(child, namespacePath, classPath, template, classTemplate, false);
          break;
        case 'compound_statement':
          break;
        default:
          // Wrappers (preprocessor blocks, extern "C", declarations whose type is a class…).
          if (child.namedChildCount > 0) visit(child, namespacePath, classPath, template, classTemplate);
      }
    }
  };
  const addSite = (node: Node, namespacePath: string[], classPath: string[], template: Node | undefined, classTemplate: boolean, friend: boolean): void => {
    const info = functionInfo(node, source);
    if (!info) return;
    const outer = template ?? node;
    const base = { node, outer, name: info.name, info };
    if (classPath.length > 0) {
      const className = classPath.join('::');
      const method: SiteMethod = { classPath, inClass: true };
      if (friend) {
        method.refusal = `is a friend function defined inside \`${className}\`, which only argument-dependent lookup finds: define it outside the class first (declared a friend inside).`;
      } else if (template) {
        method.refusal = 'is a member function template. Templates are not supported yet: optimize a non-template method or function (for example one calling the template with concrete types).';
      } else if (classTemplate) {
        method.refusal = `is a method of a class template (\`${className}\`). Methods of class templates are not supported: optimize a method of a concrete class or a free function.`;
      }
      sites.push({ ...base, kind: 'method', qualifiedName: [...namespacePath, ...classPath, info.name].join('::'), namespacePath, method });
      return;
    }
    if (info.nameType === 'qualified_identifier' && !info.qualifier.every((part) => namespaces.has(part))) {
      // `int Cart::total() const {…}`, `int ns::Cart::total()`: the leading namespaces, then the classes.
      let k = 0;
      while (k < info.qualifier.length && namespaces.has(info.qualifier[k] as string)) k++;
      const classPath = info.qualifier.slice(k);
      const methodPath = [...namespacePath, ...info.qualifier.slice(0, k)];
      const method: SiteMethod = { classPath, inClass: false };
      if (classPath.some((part) => part.includes('<'))) {
        method.refusal = `is a method of a class template (\`${classPath.join('::')}\`). Methods of class templates are not supported: optimize a method of a concrete class or a free function.`;
      } else if (template) {
        method.refusal = 'is a member function template. Templates are not supported yet: optimize a non-template method or function (for example one calling the template with concrete types).';
      }
      sites.push({ ...base, kind: 'method', qualifiedName: [...methodPath, ...classPath, info.name].join('::'), namespacePath: methodPath, method });
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
  visit(root, [], [], undefined, false);
  return sites;
}

function lineRangeOf(node: Node): LineRange {
  return { start: node.startPosition.row + 1, end: node.endPosition.row + 1 };
}

/** Why a method site cannot be a target, before looking at its class; undefined when it may be one. */
function methodRefusal(site: Site): string | undefined {
  const method = site.method;
  if (!method) return undefined;
  if (method.refusal) return method.refusal;
  if (method.classPath.includes('(anonymous)')) return 'is a method of an unnamed class, which the harness cannot name: give the class a name first.';
  if (site.info.nameType === 'destructor_name') return 'is a destructor. Destructors are not supported: optimize a method or a function the destructor calls.';
  if (site.info.nameType === 'operator_name' || site.info.nameType === 'operator_cast') {
    return 'is an operator. Operators are not supported yet: optimize a method or a free function it calls.';
  }
  if (site.info.name === method.classPath.at(-1)) {
    return 'is a constructor. Constructors are not supported (the harness builds the receivers with them): optimize a method or a function the constructor calls.';
  }
  return undefined;
}

function isTargetable(site: Site): boolean {
  if (site.kind === 'template') return typeof templateShape(site.outer) !== 'string';
  return site.kind === 'function' || (site.kind === 'method' && methodRefusal(site) === undefined);
}

function describeSites(sites: Site[]): string {
  return [...new Set(sites.filter(isTargetable).map((s) => s.qualifiedName))].join(', ') || 'none';
}

function chooseSite(sites: Site[], spec: TargetSpec, filePath: string): Site {
  if (spec.functionName) {
    const wanted = spec.functionName.replace(/\s+/g, '').replace(/^::/, '');
    const qualified = wanted.includes('::');
    const matches = sites.filter((s) => s.qualifiedName === wanted || s.qualifiedName.endsWith(`::${wanted}`) || (!qualified && s.name === wanted));
    if (matches.length === 0) {
      throw new RunnerError(`No function named \`${wanted}\` in ${filePath}. Functions there: ${describeSites(sites)}.`);
    }
    const free = matches.filter((s) => s.kind === 'function');
    const pool = free.length > 0 ? free : matches;
    if (pool.length > 1 && pool.every(isTargetable)) {
      const at = (s: Site): number => s.outer.startPosition.row + 1;
      if (new Set(pool.map((s) => s.qualifiedName)).size > 1) {
        throw new RunnerError(
          `\`${wanted}\` names ${pool.length} functions in ${filePath} (${pool.map((s) => `\`${s.qualifiedName}\` at line ${at(s)}`).join(', ')}); ` +
            'say which one with its qualified name or a line range (--lines START-END).',
        );
      }
      throw new RunnerError(
        `\`${wanted}\` is defined ${pool.length} times in ${filePath} (lines ${pool.map(at).join(', ')}: overloads or preprocessor alternatives); ` +
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

/** A function template's parameters, as the build instantiates it (README.md, "Function templates"). */
export interface TemplateShape {
  /** `template <class T, int N = 4>`, comments dropped. */
  head: string;
  parameters: { name: string; kind: 'type' | 'value'; pack: boolean }[];
}

/** The template's shape, or what about it Perfloop cannot instantiate. */
function templateShape(template: Node): TemplateShape | string {
  const list = template.childForFieldName('parameters');
  const parameters: TemplateShape['parameters'] = [];
  for (const p of named(list)) {
    const pack = p.type.startsWith('variadic_');
    let name: string | undefined;
    let kind: 'type' | 'value' = 'type';
    if (p.type === 'comment') continue;
    if (p.type === 'type_parameter_declaration' || p.type === 'variadic_type_parameter_declaration') {
      name = named(p).find((c) => c.type === 'type_identifier')?.text;
    } else if (p.type === 'optional_type_parameter_declaration') {
      name = p.childForFieldName('name')?.text;
    } else if (p.type === 'parameter_declaration' || p.type === 'optional_parameter_declaration' || p.type === 'variadic_parameter_declaration') {
      name = nameOf(p.childForFieldName('declarator'))?.name.text;
      kind = 'value';
    } else {
      return `a ${p.type.replace(/_declaration$/, '').replace(/_/g, ' ')}`;
    }
    if (!name) return 'an unnamed template parameter';
    parameters.push({ name, kind, pack });
  }
  if (!list || parameters.length === 0) return 'no template parameters (an explicit specialisation)';
  return { head: collapse(withoutComments(`template ${list.text}`)), parameters };
}

/** Refuses targets the build cannot handle, saying why and what to do instead. */
function checkSite(site: Site, filePath: string): void {
  const where = `\`${site.qualifiedName}\` (${filePath}:${site.outer.startPosition.row + 1})`;
  switch (site.kind) {
    case 'main':
      throw new RunnerError(`${where} is the program's entry point; Perfloop optimizes the functions \`main\` calls: pick one of those.`);
    case 'method': {
      const refusal = methodRefusal(site);
      if (refusal) throw new RunnerError(`${where} ${refusal}`);
      break;
    }
    case 'template': {
      const shape = templateShape(site.outer);
      if (typeof shape === 'string') {
        throw new RunnerError(
          `${where} is a function template with ${shape}; Perfloop instantiates templates whose parameters are types and values: optimize a function calling it with concrete types.`,
        );
      }
      break;
    }
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
  if (site.kind === 'method' && site.info.parameters.some((p) => p.type === '...')) {
    throw new RunnerError(`${where} is variadic (\`...\`); the harness cannot call it with inputs: optimize a method with a fixed parameter list.`);
  }
  assertParses(filePath, [{ node: site.node, subject: `\`${site.qualifiedName}\`` }]);
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
  /** A function or global made shared because shared code uses it (hoistForSharedCode). */
  hoisted?: boolean;
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

/**
 * C++: the file's functions and globals that shared code uses (an inline method of a class calling a function defined
 * before the class) become shared, since shared code comes before the per-side parts in every unit: `inline` is added
 * where needed so that every unit may define them, and candidates cannot change them. `keep`: items that stay per side.
 */
function hoistForSharedCode(items: Item[], dialect: NativeDialect, keep: (item: Item) => boolean): void {
  if (dialect !== 'cpp') return;
  const hoistable = new Set<ItemKind>(['function', 'template', 'prototype', 'variable']);
  // Macros are expanded where they are used, so only code that is compiled as it stands counts.
  const users = new Set<ItemKind>(['type', 'method', 'operator', 'variable', 'other']);
  const pending = items.filter((i) => i.category === 'shared' && users.has(i.kind)).flatMap((i) => freeUses(i.node));
  const seen = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const item of items) {
      if (item.category !== 'perSide' || !hoistable.has(item.kind) || !item.binds.includes(name) || keep(item)) continue;
      item.category = 'shared';
      item.hoisted = true;
      const specifiers = item.node.type === 'template_declaration' || item.kind === 'prototype' ? [] : specifiersOf(item.node);
      const linkage = specifiers.some((sp) => /^(?:static|inline|extern|constexpr)$/.test(sp.text));
      const first = specifiers.find((sp) => !ATTRIBUTE_TYPES.has(sp.type));
      if (!linkage && first && first.startIndex >= item.start) item.text = applyEdits(item.text, [{ start: first.startIndex - item.start, end: first.startIndex - item.start, text: 'inline ' }]);
      pending.push(...freeUses(item.node));
    }
  }
}

const DECLARATOR_PARENTS = new Set([
  'init_declarator',
  'declaration',
  'parameter_declaration',
  'optional_parameter_declaration',
  'reference_declarator',
  'pointer_declarator',
  'array_declarator',
  'for_range_loop',
  'structured_binding_declarator',
]);

/** The names `node` uses that it does not declare itself (a method's local `count` is not the file's `count`). */
function freeUses(node: Node): string[] {
  const declared = new Set<string>();
  for (const id of node.descendantsOfType('identifier')) {
    const parent = id?.parent;
    if (id && parent && DECLARATOR_PARENTS.has(parent.type) && (parent.childForFieldName('declarator')?.id === id.id || parent.type === 'structured_binding_declarator')) declared.add(id.text);
  }
  return usesOf(node).filter((name) => !declared.has(name));
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
    if (site.kind === 'method') return extractMethod(root, fileText, filePath, dialect, site);
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

interface MethodInFile {
  cls: ClassSite;
  /** The method's declaration in its class: the definition itself when it is defined there. */
  member: Member;
}

/** The class of a method site and the method's declaration in it; refuses what the build cannot handle. */
function methodInFile(root: Node, source: string, site: Site, filePath: string): MethodInFile {
  const method = site.method as SiteMethod;
  const where = `\`${site.qualifiedName}\` (${filePath}:${site.outer.startPosition.row + 1})`;
  const wanted = [...site.namespacePath, ...method.classPath].join('::');
  const classes = classSites(root);
  const byTail = classes.filter((c) => fullClassName(c).endsWith(`::${method.classPath.join('::')}`));
  const cls = classes.find((c) => fullClassName(c) === wanted) ?? (byTail.length === 1 ? byTail[0] : undefined);
  if (!cls) {
    throw new RunnerError(
      `${where} is defined outside its class, and \`${method.classPath.join('::')}\` is not defined in ${filePath} (in a header?). ` +
        "Perfloop builds the class into both sides, so it needs the class's definition in the method's file: optimize the method from that file, or move the definition there.",
    );
  }
  if (cls.template) {
    throw new RunnerError(`${where} is a method of a class template (\`${fullClassName(cls)}\`). Methods of class templates are not supported: optimize a method of a concrete class or a free function.`);
  }
  const members = membersNamed(cls, source, site.name);
  const member = method.inClass
    ? members.find((m) => m.node.id === site.node.id)
    : memberWithTypes(
        members.filter((m) => !m.definition),
        site.info.signature.parameterTypes,
      );
  if (!member) {
    throw new RunnerError(`${where}: \`${fullClassName(cls)}\` declares no \`${site.name}\` with these parameter types; fix the declaration first.`);
  }
  if (member.isVirtual) {
    throw new RunnerError(
      `${where} is virtual: a call may reach an override, which a candidate would not replace. Virtual methods are not supported: optimize a non-virtual method or a function it calls.`,
    );
  }
  return { cls, member };
}

function extractMethod(root: Node, fileText: string, filePath: string, dialect: NativeDialect, site: Site): ExtractedTarget {
  const { cls, member } = methodInFile(root, fileText, site, filePath);
  const className = fullClassName(cls);
  const items = collectItems(root, fileText, dialect).filter((i) => i.category !== 'directive' && i.category !== 'main' && !i.synthetic);
  const classItem = items.find((i) => i.category !== 'perSide' && i.nodeStart <= cls.node.startIndex && cls.node.endIndex <= i.nodeEnd);
  const definitionItem = site.method?.inClass ? undefined : items.find((i) => i.nodeStart === site.outer.startIndex);
  const statements = items.filter((i) => i !== definitionItem).map((item) => ({ item, binds: new Set(item.binds), uses: new Set(item.uses) }));
  const uses = new Set([...usesOf(site.node), cls.classPath[0] as string]);
  const needed = neededDefinitions(statements, uses, site.name, (s) => s.item.alwaysKeep).map((s) => s.item);
  if (classItem && !needed.includes(classItem)) needed.push(classItem);
  const inOrder = (list: Item[]): Item[] => [...list].sort((a, b) => a.start - b.start);
  const show = (item: Item, text = item.bodyText): string => wrapInNamespaces(text.trim(), item.namespacePath);
  // The prompt shows the method on its own: in its class, a one-line note takes its place.
  const elided = (item: Item): string => {
    if (item !== classItem || !site.method?.inClass) return show(item);
    const note = `// ${site.qualifiedName.split('::').slice(-2).join('::')}(…): the method to optimize, shown on its own`;
    return show(item, applyEdits(item.bodyText, [{ start: site.outer.startIndex, end: site.outer.endIndex, text: note }], item.nodeStart));
  };
  const parameters = site.info.parameters.map((p, i) => p.name || `arg${i + 1}`);
  return {
    language: dialect,
    filePath,
    fileText,
    functionName: `${className}::${site.name}`,
    range: lineRangeOf(site.outer),
    startOffset: site.outer.startIndex,
    endOffset: site.outer.endIndex,
    functionSource: site.outer.text,
    contextSource: inOrder(needed).map(elided).join('\n\n'),
    contextNames: [...new Set(needed.flatMap((i) => i.names))],
    parameters: member.isStatic ? parameters : ['this', ...parameters],
    method: {
      className,
      name: site.name,
      isStatic: member.isStatic,
      programContext: inOrder(definitionItem ? [...needed, definitionItem] : needed)
        .map((item) => show(item))
        .join('\n\n'),
    },
  };
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
  if (item.hoisted) {
    return `the candidate changes ${describeItem(item)}, which the file's types use too (an inline method calls it); Perfloop keeps such functions as they are (they are shared with the original)`;
  }
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

/** Where the candidate's target goes, as the helper loop of planCandidate needs it. */
interface TargetPlan {
  /** The code's items that make up the target (its definition, its class). */
  consumed: Set<Item>;
  /** The file's item the target replaces: code matching it but changed defines the target twice. */
  original?: Item;
  /** New helpers are written relative to this namespace path, and inserted at `helpersAt`. */
  targetPath: string[];
  helpersAt: number;
  /** The target itself. */
  edits: Edit[];
  /** The target's name in the code (prototypes of it are dropped). */
  name: string;
}

type Reason = { reason: string };

/** A function target: the code's definition of it, with the original's `static`/`inline` and scope. */
function planFunction(target: ExtractedTarget, code: string, codeRoot: Node, fileItems: Item[], items: Item[], language: string): TargetPlan | Reason {
  const original = fileItems.find((i) => i.category === 'perSide' && (i.kind === 'function' || i.kind === 'template') && i.nodeStart === target.startOffset);
  if (!original?.fn) return { reason: `\`${target.functionName}\` is no longer at line ${target.range.start} of ${target.filePath}; extract it again` };
  const originalFn = original.fn;
  const kind = original.kind;
  const sameName = items.filter((i) => i.kind === kind && i.fn?.name === target.functionName);
  if (sameName.length === 0) {
    const elsewhere = items.find((i) => (i.kind === 'function' || i.kind === 'template' || i.kind === 'method') && i.fn?.name === target.functionName);
    if (elsewhere) {
      const as = elsewhere.kind === 'function' ? 'a plain function' : `a ${elsewhere.kind}`;
      return { reason: `the code defines \`${target.functionName}\` as ${as}; it must stay ${kind === 'template' ? 'a function template' : 'a plain function'}` };
    }
    const defined = items.filter((i) => i.kind === 'function').map((i) => `\`${i.fn?.name ?? '?'}\``);
    const bad = codeRoot.hasError ? ` (the code does not parse as ${language}: syntax error near line ${firstErrorLine(codeRoot)})` : '';
    return { reason: `the code does not define the function \`${target.functionName}\` (it defines ${defined.join(', ') || 'no function'})${bad}` };
  }
  const head = (item: Item): string => (item.kind === 'template' ? normalise(item.node.childForFieldName('parameters')?.text ?? '') : '');
  const sameHead = sameName.filter((i) => head(i) === head(original));
  if (sameName.length > 0 && sameHead.length === 0) {
    return { reason: `the candidate changes the template parameters of \`${target.functionName}\`; keep \`${collapse(withoutComments(original.node.childForFieldName('parameters')?.text ?? ''))}\`` };
  }
  const matching = sameHead.filter((i) => i.fn && !signatureDifference(originalFn, i.fn));
  if (matching.length > 1) return { reason: `the code defines \`${target.functionName}\` more than once` };
  const chosen = matching[0];
  if (!chosen?.fn) {
    const difference = sameName.length === 1 && sameName[0]?.fn ? signatureDifference(originalFn, sameName[0].fn) : 'no definition matches';
    return { reason: `the candidate changes the signature of \`${target.functionName}\` (${difference}); keep the return type, parameter types and default arguments` };
  }
  if (chosen.hasError) {
    return { reason: `the candidate's \`${target.functionName}\` does not parse as ${language} (syntax error near line ${firstErrorLine(chosen.node)})` };
  }
  // The original's `static`/`inline` are kept when the candidate dropped them all, and its own scope.
  const fn = chosen.fn;
  const fnEdits: Edit[] = [];
  const definition = chosen.kind === 'template' ? (named(chosen.node).filter((c) => c.type === 'function_definition').at(-1) ?? chosen.node) : chosen.node;
  if (fn.storage.length === 0 && originalFn.storage.length > 0) {
    const first = specifiersOf(definition).find((s) => !ATTRIBUTE_TYPES.has(s.type));
    if (first) fnEdits.push({ start: first.startIndex, end: first.startIndex, text: `${originalFn.storage.map((s) => s.text).join(' ')} ` });
  }
  if (fn.nameType === 'qualified_identifier' && originalFn.nameType === 'identifier') {
    fnEdits.push({ start: fn.nameNode.startIndex, end: fn.nameNode.endIndex, text: fn.name });
  }
  const targetText = applyEdits(code.slice(chosen.nodeStart, chosen.nodeEnd), fnEdits, chosen.nodeStart);
  return {
    consumed: new Set([chosen]),
    original,
    targetPath: original.namespacePath.concat(originalFn.qualifier),
    helpersAt: original.start,
    edits: [{ start: original.nodeStart, end: original.nodeEnd, text: targetText }],
    name: target.functionName,
  };
}


interface ReplyMethod {
  node: Node;
  info: FunctionInfo;
  /** `out`: `int Cart::total() {…}`; `in`: inside a copy of the class; `bare`: `int total() const {…}` alone. */
  form: 'out' | 'in' | 'bare';
  item: Item;
}

/**
 * A method target (README.md, "Methods"). The reply may define the method out of class (`int Cart::total() const
 * {…}`), inside a copy of its class (other members left out or unchanged), or alone. For the build, the method is
 * added as the candidate's own member (`Cart::perfloop_candidate_total`, its recursion renamed) after the class or after
 * the original's out-of-class definition; to apply it, it replaces the original where that is, in that form.
 */
function planMethod(
  target: ExtractedTarget,
  code: string,
  mode: 'build' | 'apply',
  fileRoot: Node,
  codeRoot: Node,
  fileItems: Item[],
  items: Item[],
  language: string,
): TargetPlan | Reason {
  const targetMethod = target.method as NonNullable<ExtractedTarget['method']>;
  const site = functionSites(fileRoot, target.fileText).find((s) => s.kind === 'method' && s.outer.startIndex === target.startOffset);
  let inFile: MethodInFile | undefined;
  try {
    inFile = site ? methodInFile(fileRoot, target.fileText, site, target.filePath) : undefined;
  } catch (error) {
    if (!(error instanceof RunnerError)) throw error;
  }
  if (!site?.method || !inFile) return { reason: `\`${target.functionName}\` is no longer at line ${target.range.start} of ${target.filePath}; extract it again` };
  const { cls, member } = inFile;
  const name = targetMethod.name;
  const shown = `${cls.classPath.join('::')}::${name}`;
  const className = cls.classPath.at(-1) as string;
  const topClass = classSites(fileRoot).find((c) => c.classPath.length === 1 && c.classPath[0] === cls.classPath[0] && c.namespacePath.join('::') === cls.namespacePath.join('::'));
  const classItem = fileItems.find((i) => i.category === 'shared' && i.nodeStart <= cls.node.startIndex && cls.node.endIndex <= i.nodeEnd);
  const definitionItem = site.method.inClass ? undefined : fileItems.find((i) => i.nodeStart === target.startOffset);
  if (!topClass || !classItem || (!site.method.inClass && !definitionItem)) return { reason: `\`${target.functionName}\` is no longer where it was extracted from; extract it again` };

  const samePath = (path: readonly string[]): boolean => path.length === 0 || path.join('::') === cls.namespacePath.join('::');
  const endsWithClass = (qualifier: readonly string[]): boolean => qualifier.length >= cls.classPath.length && qualifier.slice(-cls.classPath.length).join('::') === cls.classPath.join('::');
  const consumed = new Set<Item>();
  const found: ReplyMethod[] = [];
  for (const item of items) {
    if (item.kind === 'method' && item.fn?.name === name && endsWithClass(item.fn.qualifier)) {
      found.push({ node: item.node, info: item.fn, form: 'out', item });
      consumed.add(item);
    } else if (item.kind === 'type' && CLASS_TYPES.has(item.node.type) && item.node.childForFieldName('name')?.text === cls.classPath[0] && samePath(item.namespacePath)) {
      const check = checkReplyClass(item.node, code, topClass.node, target.fileText, cls.classPath.slice(1), name);
      if ('reason' in check) return check;
      for (const node of check.definitions) {
        const info = functionInfo(node, code);
        if (info) found.push({ node, info, form: 'in', item });
      }
      consumed.add(item);
    } else if (item.kind === 'function' && item.fn?.name === name && item.fn.nameType === 'identifier' && !fileItems.some((f) => f.kind === 'function' && f.localKey === item.localKey)) {
      found.push({ node: item.node, info: item.fn, form: 'bare', item });
      consumed.add(item);
    }
  }
  if (found.length === 0) {
    const bad = codeRoot.hasError ? ` (the code does not parse as ${language}: syntax error near line ${firstErrorLine(codeRoot)})` : '';
    return { reason: `the code does not define the method \`${shown}\` (in its class, or out of class as \`${shown}(…)\`)${bad}` };
  }
  const originalQualifiers = methodQualifiers(member.node, member.info, target.fileText);
  const difference = (m: ReplyMethod): string | undefined =>
    methodSignatureDifference(
      { info: member.info, qualifiers: originalQualifiers, isStatic: member.isStatic },
      {
        info: m.info,
        qualifiers: methodQualifiers(m.node, m.info, code),
        ...(m.form === 'out' ? {} : { isStatic: specifiersOf(m.node).some((s) => s.text === 'static') }),
      },
    );
  const matching = found.filter((m) => !difference(m));
  if (matching.length > 1) return { reason: `the code defines \`${shown}\` more than once` };
  const chosen = matching[0];
  if (!chosen) {
    const why = found.length === 1 && found[0] ? difference(found[0]) : 'no definition matches';
    return { reason: `the candidate changes the signature of \`${shown}\` (${why}); keep the return type, parameter types, qualifiers and default arguments` };
  }
  if (chosen.node.hasError) return { reason: `the candidate's \`${shown}\` does not parse as ${language} (syntax error near line ${firstErrorLine(chosen.node)})` };

  const place = definitionItem ?? classItem;
  const edits: Edit[] = [];
  const hasDefaults = chosen.info.parameters.some((p) => p.defaultValue !== '');
  if (mode === 'build') {
    const own = candidateMethodName(name);
    const qualifier = [...cls.namespacePath.slice(place.namespacePath.length), ...cls.classPath].join('::');
    const text = definitionText(chosen.node, chosen.info, code, {
      name: `${qualifier}::${own}`,
      outOfClass: true,
      plain: true,
      extraEdits: recursionEdits(chosen.node, chosen.info, className, own, {
        min: member.info.parameters.filter((p) => p.defaultValue === '').length,
        max: member.info.parameters.length,
      }),
    });
    // After the class's declaration (`struct Cart {…} cart;` too), or after the original's out-of-class definition.
    const declaration = place === classItem && place.node.parent?.type === 'declaration' ? place.node.parent : undefined;
    const at = declaration ? declaration.endIndex : place.nodeEnd;
    edits.push({ start: at, end: at, text: `\n\n${text}` });
  } else {
    const text = site.method.inClass
      ? definitionText(chosen.node, chosen.info, code, {
          name,
          outOfClass: false,
          addStatic: member.isStatic,
          ...(hasDefaults ? {} : { addDefaults: member.info.parameters.map((p) => p.defaultValue) }),
        })
      : definitionText(chosen.node, chosen.info, code, { name: site.info.nameNode.text, outOfClass: true });
    edits.push({ start: target.startOffset, end: target.endOffset, text: reindent(text, chosen.node.startPosition.column, indentationAt(target.fileText, target.startOffset)) });
  }
  return { consumed, targetPath: place.namespacePath, helpersAt: place.start, edits, name };
}

/** What to change in the user's file for `code`: the target replaced, helpers replaced or added, includes added. */
async function planCandidate(target: ExtractedTarget, code: string, mode: 'build' | 'apply'): Promise<CandidatePlan | Reason> {
  const dialect = dialectOf(target);
  const language = dialect === 'c' ? 'C' : 'C++';
  const codeTree = parseWith(await parserFor(dialect), code, dialect);
  const fileTree = parseWith(await parserFor(dialect), target.fileText, dialect);
  try {
    const fileItems = collectItems(fileTree.rootNode, target.fileText, dialect);
    hoistForSharedCode(fileItems, dialect, (item) => !target.method && item.fn?.name === target.functionName);
    const items = collectItems(codeTree.rootNode, code, dialect, namespaceNames(fileTree.rootNode)).filter((i) => i.category !== 'main' && i.category !== 'directive' && !i.synthetic);
    const plan = target.method
      ? planMethod(target, code, mode, fileTree.rootNode, codeTree.rootNode, fileItems, items, language)
      : planFunction(target, code, codeTree.rootNode, fileItems, items, language);
    if ('reason' in plan) return plan;
    const broken = items.find((i) => i.hasError && !plan.consumed.has(i));
    if (broken) return { reason: `the code does not parse as ${language} (syntax error near line ${firstErrorLine(broken.node)})` };

    const { targetPath } = plan;
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
      if (plan.consumed.has(item)) continue;
      if (item.category === 'include') {
        if (!fileIncludes.has(normalise(item.bodyText))) newIncludes.push(item.bodyText.trim());
        continue;
      }
      if (item.kind === 'prototype' && item.fn?.name === plan.name) continue;
      const match = counterpart(item);
      if (match) {
        if (normalise(match.bodyText) === normalise(item.bodyText)) continue;
        if (match === plan.original) return { reason: `the code defines \`${target.functionName}\` more than once` };
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

    if (added.length > 0) edits.push({ start: plan.helpersAt, end: plan.helpersAt, text: `${added.join('\n\n')}\n\n` });
    edits.push(...plan.edits);
    if (newIncludes.length > 0) {
      const last = fileItems.filter((f) => f.kind === 'include' && f.conditionals.length === 0).at(-1);
      if (last) {
        const newline = target.fileText.slice(last.nodeStart, last.nodeEnd).endsWith('\n');
        edits.push({ start: last.nodeEnd, end: last.nodeEnd, text: `${newline ? '' : '\n'}${newIncludes.join('\n')}${newline ? '\n' : ''}` });
      } else {
        edits.push({ start: 0, end: 0, text: `${newIncludes.join('\n')}\n` });
      }
    }
    if (mode === 'build') edits.push(...mainEdits(fileItems));
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
  const plan = await planCandidate(target, code, 'build');
  if ('reason' in plan) return { ok: false, reason: plan.reason };
  return { ok: true, program: { id, source: applyEdits(target.fileText, plan.edits), functionName: target.functionName } };
}

/** The user's file with the same changes as `buildNativeCandidate` (its `main` kept): what Apply writes. */
export async function applyNativeCandidate(target: ExtractedTarget, code: string): Promise<string> {
  const plan = await planCandidate(target, code, 'apply');
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
  /**
   * The file `#line` names, when not the program's: a method candidate's definition is not where the user's file has
   * it, so its compile errors point into `<candidate Class::method>` (its own lines, from 1).
   */
  file?: string;
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
  /** A method target: what the build adds for it (README.md, "Methods"). */
  method?: MethodShape;
  /** A method target's candidate program: the candidate's member definition, compiled in the candidate's unit only. */
  sideDefinitions: Chunk[];
  /** A function template target: instantiated with the arguments its workload deduces (README.md, "Function templates"). */
  template?: TemplateShape;
}

/** Which definition is the target when the name is overloaded: the one at `line`, or the one with these parameter types. */
export interface TargetSelector {
  line?: number;
  parameterTypes?: readonly string[];
  /** A method target (ExtractedTarget.method): its class (`ns::Cart`) and name. `functionName` is then not used. */
  method?: { className: string; name: string };
}

interface SplitTarget {
  signature: FunctionInfo['signature'];
  namespacePath: string[];
  qualifiedName: string;
  targetLine: number;
  method?: MethodShape;
  template?: TemplateShape;
}

/** A function target: its static/inline blanked (and those of its prototypes and same-name alternatives). */
function functionTarget(items: Item[], functionName: string, select: TargetSelector, lineOf: (offset: number) => number): SplitTarget {
  const candidates = items.filter((i) => (i.kind === 'function' || i.kind === 'template') && i.fn?.name === functionName);
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
  // A template keeps its linkage: the instance's address is exported through a variable (assembleProgramUnit).
  const shape = target.kind === 'template' ? templateShape(target.node) : undefined;
  if (typeof shape === 'string') throw new RunnerError(`The template \`${functionName}\` has ${shape}.`);
  return {
    signature: { ...target.fn.signature },
    namespacePath: targetPath,
    qualifiedName: [...targetPath, functionName].join('::'),
    targetLine: lineOf(target.nodeStart),
    ...(shape ? { template: shape } : {}),
  };
}

/**
 * A method target: its class gets the entry points' and the candidate's member declarations (README.md, "Methods"),
 * and a candidate program's definition of that member is taken out of the shared definitions (`sideDefinitions`).
 */
function methodTarget(
  root: Node,
  source: string,
  items: Item[],
  select: TargetSelector & { method: { className: string; name: string } },
  lineOf: (offset: number) => number,
): SplitTarget & { sideDefinitions: Item[] } {
  const { className, name } = select.method;
  const cls = classSites(root).find((c) => fullClassName(c) === className);
  if (!cls) throw new RunnerError(`The program does not define the class \`${className}\`.`);
  const members = membersNamed(cls, source, name);
  const classPath = [...cls.namespacePath, ...cls.classPath].join('::');
  const outOfClass = items.filter(
    (i) => i.kind === 'method' && i.fn?.name === name && [...i.namespacePath, ...i.fn.qualifier].join('::').endsWith(cls.classPath.join('::')) && classPath.endsWith(i.fn.qualifier.join('::')),
  );
  const declarationOf = (types: readonly string[]): Member | undefined => memberWithTypes(members, types);
  let member: Member | undefined;
  let definitionLine: number | undefined;
  if (select.line !== undefined) {
    member = members.find((m) => m.definition && lineOf(m.node.startIndex) === select.line);
    const outside = member ? undefined : outOfClass.find((i) => lineOf(i.nodeStart) === select.line);
    if (outside?.fn) member = declarationOf(outside.fn.signature.parameterTypes);
    if (member) definitionLine = select.line;
  }
  if (!member && select.parameterTypes) member = declarationOf(select.parameterTypes);
  member ??= members[0];
  if (!member) throw new RunnerError(`The program's class \`${className}\` has no method \`${name}\`.`);
  const chosen = member;
  if (definitionLine === undefined) {
    const outside = chosen.definition ? undefined : outOfClass.find((i) => i.fn && memberWithTypes([chosen], i.fn.signature.parameterTypes));
    definitionLine = lineOf(outside ? outside.nodeStart : chosen.node.startIndex);
  }
  const shape = methodShape(cls, member, source);
  const classItem = items.find((i) => i.category === 'shared' && i.nodeStart <= cls.node.startIndex && cls.node.endIndex <= i.nodeEnd);
  const brace = [...all(cls.body)].reverse().find((c) => c.type === '}');
  const at = brace && classItem ? brace.startIndex - classItem.start : -1;
  if (!classItem || !brace || classItem.text[at] !== '}') {
    throw new RunnerError(`Perfloop could not add its declarations to the class \`${className}\` (its definition is not where the program's parts are).`);
  }
  classItem.text = `${classItem.text.slice(0, at)}${classInsertion(shape)}${classItem.text.slice(at)}`;
  const own = candidateMethodName(name);
  return {
    signature: { ...member.info.signature },
    namespacePath: cls.namespacePath,
    qualifiedName: [...cls.namespacePath, ...cls.classPath, name].join('::'),
    targetLine: definitionLine,
    method: shape,
    sideDefinitions: items.filter((i) => i.kind === 'method' && i.fn?.name === own),
  };
}

export async function splitProgram(source: string, dialect: NativeDialect, functionName: string, select: TargetSelector = {}): Promise<SplitProgram> {
  return withTree(source, dialect, (root) => {
    const items = collectItems(root, source, dialect);
    const lineOf = lineIndex(source);
    const method = select.method;
    hoistForSharedCode(items, dialect, (item) => !method && item.fn?.name === functionName);
    const found = method ? methodTarget(root, source, items, { ...select, method }, lineOf) : { ...functionTarget(items, functionName, select, lineOf), sideDefinitions: [] };
    const ownParts = new Set<Item>(found.sideDefinitions);

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
      if (item.category === 'main' || ownParts.has(item)) continue;
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
      signature: found.signature,
      namespacePath: found.namespacePath,
      qualifiedName: found.qualifiedName,
      targetLine: found.targetLine,
      ...(found.method ? { method: found.method } : {}),
      ...(found.template ? { template: found.template } : {}),
      sideDefinitions: found.sideDefinitions.map((item) => ({
        ...toChunk(item, source.slice(item.nodeStart, item.nodeEnd)),
        line: 1,
        file: `<candidate ${select.method?.className.split('::').at(-1) ?? ''}::${select.method?.name ?? ''}>`,
      })),
    };
  });
}
