/**
 * Where the functions of a document are, kept up to date incrementally: one tree-sitter tree per document, edited with
 * each change and re-parsed from the old tree, so a keystroke in a 10,000-line file costs a small re-parse, not a full
 * one. Plain TypeScript (no `vscode`): the CodeLens provider feeds it the editor's changes.
 */
import type { Edit, Node, Parser, Tree } from 'web-tree-sitter';
import { createParser, type GrammarName } from '../../profilers/treeSitter.js';

export interface FunctionLocation {
  name: string;
  /** `Class.method` for Python methods; in C++ `ns::name` for functions in namespaces and `Class::method` for methods. */
  qualifiedName: string;
  kind: 'function' | 'method';
  /** 0-based line of the `def` (or of its first decorator) and of the function's last line. */
  startLine: number;
  endLine: number;
  /** 0-based line of the `def` keyword itself (in C/C++ the definition's first line), where a lens reads naturally. */
  defLine: number;
  /**
   * The name does not say which function is meant: another one of the file has the same qualified name (C++ overloads,
   * C/C++ variants under `#if`/`#else`), or this one's unqualified name is also the plain name of a namespaced one. Its
   * lines do.
   */
  overloaded?: boolean;
}

/**
 * What a function's "⚡ Optimize" lens asks `perfloop.optimizeFunction` for: the function by name (`ns::name` for a
 * function in a C++ namespace; the runners accept the plain name too), and for an overloaded name also its 1-based
 * lines, which then pick the definition.
 */
export function lensTarget(fn: FunctionLocation): { functionName: string; lines?: { start: number; end: number } } {
  return fn.overloaded
    ? { functionName: fn.qualifiedName, lines: { start: fn.startLine + 1, end: fn.endLine + 1 } }
    : { functionName: fn.qualifiedName };
}

/** A text change in the editor's terms: offsets and lines in UTF-16 code units, as VS Code reports them. */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

interface Entry {
  /** The document version the tree describes (after any edits applied to it). */
  version: number;
  tree: Tree;
  /** Undefined after edits: the tree is edited but not re-parsed yet. */
  functions?: FunctionLocation[];
}

function endPosition(start: { line: number; character: number }, text: string): { row: number; column: number } {
  const lines = text.split('\n');
  if (lines.length === 1) return { row: start.line, column: start.character + text.length };
  return { row: start.line + lines.length - 1, column: (lines[lines.length - 1] ?? '').length };
}

function toEdit(change: TextChange): Edit {
  return {
    startIndex: change.rangeOffset,
    oldEndIndex: change.rangeOffset + change.rangeLength,
    newEndIndex: change.rangeOffset + change.text.length,
    startPosition: { row: change.range.start.line, column: change.range.start.character },
    oldEndPosition: { row: change.range.end.line, column: change.range.end.character },
    newEndPosition: endPosition(change.range.start, change.text),
  } as Edit;
}

function collectPythonFunctions(root: Node): FunctionLocation[] {
  const found: FunctionLocation[] = [];
  const visit = (container: Node, className: string | undefined): void => {
    for (const child of container.namedChildren) {
      if (!child) continue;
      const definition = child.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
      if (!definition) continue;
      const name = definition.childForFieldName('name')?.text;
      if (!name) continue;
      if (definition.type === 'function_definition') {
        // A property is read, not called: the runner refuses it, so no lens offers it.
        if (className && child.type === 'decorated_definition' && /^@\s*(?:(?:functools\.)?cached_property|property|\w+\.(?:setter|getter|deleter))\s*$/m.test(child.text.split('\n').filter((l) => l.trim().startsWith('@')).join('\n'))) continue;
        found.push({
          name,
          qualifiedName: className ? `${className}.${name}` : name,
          kind: className ? 'method' : 'function',
          startLine: child.startPosition.row,
          endLine: child.endPosition.row,
          defLine: definition.startPosition.row,
        });
      } else if (definition.type === 'class_definition' && !className) {
        const body = definition.childForFieldName('body');
        if (body) visit(body, name);
      }
    }
  };
  visit(root, undefined);
  return found;
}

/** The function a JS/TS top-level statement defines: `function f`, or `const f = (…) => …` / `= function …`. */
function jsDefinition(statement: Node): { name: string; defLine: number } | undefined {
  const inner = statement.type === 'export_statement' ? (statement.childForFieldName('declaration') ?? statement.namedChildren[0] ?? statement) : statement;
  if (inner.type === 'function_declaration' || inner.type === 'generator_function_declaration') {
    const name = inner.childForFieldName('name')?.text;
    return name ? { name, defLine: inner.startPosition.row } : undefined;
  }
  if (inner.type === 'lexical_declaration' || inner.type === 'variable_declaration') {
    const declarators = inner.namedChildren.filter((c) => c?.type === 'variable_declarator');
    if (declarators.length !== 1) return undefined;
    const value = declarators[0]?.childForFieldName('value');
    const name = declarators[0]?.childForFieldName('name');
    if (name?.type === 'identifier' && value && ['arrow_function', 'function_expression', 'function'].includes(value.type)) {
      return { name: name.text, defLine: inner.startPosition.row };
    }
  }
  return undefined;
}

const JS_CLASS_TYPES = new Set(['class_declaration', 'abstract_class_declaration']);

/**
 * The methods of a module-level class the runner can call: not constructors, getters, setters or `#private` ones, and
 * not TypeScript's bodiless abstract or overload signatures.
 */
function jsClassMethods(statement: Node): FunctionLocation[] {
  const inner = statement.type === 'export_statement' ? (statement.childForFieldName('declaration') ?? statement.namedChildren[0] ?? statement) : statement;
  const className = JS_CLASS_TYPES.has(inner.type) ? inner.childForFieldName('name')?.text : undefined;
  const body = inner.childForFieldName('body');
  if (!className || !body) return [];
  const found: FunctionLocation[] = [];
  for (const member of body.namedChildren) {
    if (member?.type !== 'method_definition' || !member.childForFieldName('body')) continue;
    const name = member.childForFieldName('name');
    if (!name || name.type !== 'property_identifier' || name.text === 'constructor') continue;
    if (member.children.some((token) => token?.type === 'get' || token?.type === 'set')) continue;
    found.push({
      name: name.text,
      qualifiedName: `${className}.${name.text}`,
      kind: 'method',
      startLine: member.startPosition.row,
      endLine: member.endPosition.row,
      defLine: member.startPosition.row,
    });
  }
  return found;
}

function collectJavaScriptFunctions(root: Node): FunctionLocation[] {
  const found: FunctionLocation[] = [];
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    found.push(...jsClassMethods(statement));
    const definition = jsDefinition(statement);
    if (definition) {
      found.push({
        name: definition.name,
        qualifiedName: definition.name,
        kind: 'function',
        startLine: statement.startPosition.row,
        endLine: statement.endPosition.row,
        defLine: statement.startPosition.row,
      });
    }
  }
  return found;
}

/** Blocks whose definitions are still at namespace scope: preprocessor conditionals (include guards among them). */
const C_PREPROC_BLOCKS = new Set(['preproc_ifdef', 'preproc_if', 'preproc_else', 'preproc_elif', 'preproc_elifdef']);
const C_CLASS_TYPES = new Set(['class_specifier', 'struct_specifier', 'union_specifier']);
/** Declarators that wrap the function declarator of a definition: `int *f(…)`, `T& f(…)`, `int (*f(…))(…)`. */
const C_WRAPPING_DECLARATORS = new Set(['pointer_declarator', 'reference_declarator', 'parenthesized_declarator', 'attributed_declarator']);

/**
 * The node naming the function a C/C++ definition defines, following the declarator chain through pointer, reference
 * and parenthesized declarators down to the innermost function declarator: `ptr` in `int *ptr(int n)`, `fp` in
 * `int (*fp(int))(int)`. Undefined when the declarator declares no function.
 */
export function cDeclaredName(definition: Node): Node | undefined {
  let node: Node | null | undefined = definition.childForFieldName('declarator');
  while (node) {
    if (node.type === 'function_declarator') {
      const inner = node.childForFieldName('declarator');
      if (!inner) return undefined;
      if (inner.type === 'function_declarator' || C_WRAPPING_DECLARATORS.has(inner.type)) node = inner;
      else return inner;
    } else if (C_WRAPPING_DECLARATORS.has(node.type)) {
      node = node.childForFieldName('declarator') ?? node.namedChildren.find((c) => c?.type === 'function_declarator' || (c && C_WRAPPING_DECLARATORS.has(c.type)));
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** `a::b::f` as `['a', 'b']` and `f`; undefined for names no runner can call by name (operators, destructors, templates). */
function cNameParts(name: Node): { scope: string[]; name: string } | undefined {
  if (name.type === 'identifier' || name.type === 'field_identifier') return { scope: [], name: name.text };
  if (name.type !== 'qualified_identifier') return undefined;
  const scopeNode = name.childForFieldName('scope');
  const inner = name.childForFieldName('name');
  if (!inner) return undefined;
  const rest = cNameParts(inner);
  if (!rest) return undefined;
  // `::f` (no scope) is the global f; a templated scope (`Foo<T>::f`) is a class's.
  if (!scopeNode) return rest;
  if (scopeNode.type !== 'namespace_identifier') return undefined;
  return { scope: [scopeNode.text, ...rest.scope], name: rest.name };
}

/**
 * False for the definitions the runner refuses until they are rewritten: K&R parameter lists (`int f(a) int a; {…}`) and
 * deduced return types (`auto f()` without `-> T`).
 */
function cRunnable(definition: Node): boolean {
  if (definition.childForFieldName('type')?.type === 'placeholder_type_specifier') {
    let declarator = definition.childForFieldName('declarator');
    while (declarator && declarator.type !== 'function_declarator') declarator = declarator.childForFieldName('declarator');
    if (!declarator?.namedChildren.some((c) => c?.type === 'trailing_return_type')) return false;
  }
  return !definition.namedChildren.some((c) => c?.type === 'declaration'); // K&R: the parameters' declarations
}

interface CDefinition {
  /** The node the definition starts at (`extern "C"` when it carries one directly). */
  outer: Node;
  definition: Node;
  /** Enclosing named namespaces. */
  namespaces: string[];
  scope: string[];
  name: string;
  /** Enclosing class (in-class definitions). */
  className?: string;
}

function cLocation(d: CDefinition, kind: FunctionLocation['kind'], qualifiedName: string): FunctionLocation {
  return {
    name: d.name,
    qualifiedName,
    kind,
    startLine: d.outer.startPosition.row,
    endLine: d.outer.endPosition.row,
    defLine: d.outer.startPosition.row,
  };
}

/**
 * The functions of a C or C++ file the runner can optimize: definitions at file scope, in (nested) namespaces, in
 * `extern "C"` blocks and in preprocessor blocks (include guards) — not `main`, templates, prototypes or ones inside
 * other definitions. Methods (defined in a class, or out of it as `Foo::bar`) are listed as methods.
 */
function collectCFunctions(root: Node): FunctionLocation[] {
  const definitions: CDefinition[] = [];
  const namespaceNames = new Set<string>();

  const addDefinition = (outer: Node, definition: Node, namespaces: string[], className?: string): void => {
    const nameNode = cDeclaredName(definition);
    const parts = nameNode && cNameParts(nameNode);
    if (!parts) return;
    definitions.push({ outer, definition, namespaces, ...parts, ...(className ? { className } : {}) });
  };

  const visitClass = (node: Node, namespaces: string[]): void => {
    const name = node.childForFieldName('name');
    if (name?.type !== 'type_identifier') return;
    for (const member of node.childForFieldName('body')?.namedChildren ?? []) {
      if (member?.type === 'function_definition') addDefinition(member, member, namespaces, name.text);
    }
  };

  const visit = (container: Node, namespaces: string[]): void => {
    for (const child of container.namedChildren) {
      if (!child) continue;
      if (child.type === 'function_definition') {
        addDefinition(child, child, namespaces);
      } else if (child.type === 'namespace_definition') {
        const name = child.childForFieldName('name');
        const names = name ? name.text.split('::').map((part) => part.replace(/^\s*inline\s+/, '').trim()).filter(Boolean) : [];
        for (const part of names) namespaceNames.add(part);
        const body = child.childForFieldName('body');
        if (body) visit(body, [...namespaces, ...names]);
      } else if (child.type === 'linkage_specification') {
        const body = child.childForFieldName('body');
        if (body?.type === 'function_definition') addDefinition(child, body, namespaces);
        else if (body?.type === 'declaration_list') visit(body, namespaces);
      } else if (C_PREPROC_BLOCKS.has(child.type)) {
        visit(child, namespaces);
      } else if (C_CLASS_TYPES.has(child.type)) {
        visitClass(child, namespaces);
      }
      // template_declaration (function and class templates), declarations (prototypes) and the rest: nothing to run.
    }
  };
  visit(root, []);

  const found: FunctionLocation[] = [];
  const free: { name: string; qualifiedName: string }[] = [];
  for (const d of definitions) {
    // Constructors, destructors and operators are not called by name: the runner refuses them, so no lens offers them.
    if ((d.className || d.scope.length > 0) && (d.name === (d.className ?? d.scope.at(-1)) || d.name.startsWith('~') || d.name.startsWith('operator'))) continue;
    if (d.className) {
      found.push(cLocation(d, 'method', [...d.namespaces, d.className, d.name].join('::')));
      continue;
    }
    // `Foo::bar() {…}` defines a method unless every part of its scope is a namespace of this file (as the runner decides).
    const isMethod = d.scope.some((part) => !namespaceNames.has(part));
    const qualifiedName = [...d.namespaces, ...d.scope, d.name].join('::');
    if (isMethod) {
      found.push(cLocation(d, 'method', qualifiedName));
    } else if (qualifiedName !== 'main') {
      free.push({ name: d.name, qualifiedName });
      if (cRunnable(d.definition)) found.push(cLocation(d, 'function', qualifiedName));
    }
  }
  // How many free functions a name picks, as the runner reads it: a qualified name means itself, a plain one every
  // function of that name (a qualified name without `::` is its plain name). Counted once: a pairwise check was
  // quadratic, 10 s on a 50k-line file (bench: extension-overhead).
  const byName = countBy(free.map((f) => f.name));
  const byQualifiedName = countBy(free.map((f) => f.qualifiedName));
  for (const fn of found) {
    if (fn.kind !== 'function') continue;
    const picked = fn.qualifiedName.includes('::') ? byQualifiedName.get(fn.qualifiedName) : byName.get(fn.qualifiedName);
    if ((picked ?? 0) > 1) fn.overloaded = true;
  }
  return found;
}

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function collectFunctions(grammar: GrammarName, root: Node): FunctionLocation[] {
  switch (grammar) {
    case 'python':
      return collectPythonFunctions(root);
    case 'c':
    case 'cpp':
      return collectCFunctions(root);
    default:
      return collectJavaScriptFunctions(root);
  }
}

export class FunctionIndex {
  private readonly entries = new Map<string, Entry>();
  private parser: Promise<Parser> | undefined;

  constructor(private readonly grammar: GrammarName = 'python') {}

  private getParser(): Promise<Parser> {
    this.parser ??= createParser(this.grammar);
    return this.parser;
  }

  /**
   * Applies one change event of the editor (taking the document from `fromVersion` to `toVersion`) to the document's
   * tree; the next `functions` call then re-parses incrementally. An event that does not follow on from the tree's
   * version is ignored: that tree is then re-parsed from scratch.
   */
  applyChanges(key: string, changes: readonly TextChange[], fromVersion: number, toVersion: number): void {
    const entry = this.entries.get(key);
    if (!entry || entry.version !== fromVersion) return;
    // Within one event, apply from the end of the document backwards so the earlier offsets stay valid.
    for (const change of [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset)) entry.tree.edit(toEdit(change));
    delete entry.functions;
    entry.version = toVersion;
  }

  async functions(key: string, version: number, text: string): Promise<FunctionLocation[]> {
    const entry = this.entries.get(key);
    if (entry && entry.version === version && entry.functions) return entry.functions;
    const parser = await this.getParser();
    // Reuse the old tree only when it was edited up to exactly this version; otherwise it would mislead the parser.
    const oldTree = entry && entry.version === version ? entry.tree : null;
    const tree = parser.parse(text, oldTree);
    if (!tree) return [];
    entry?.tree.delete();
    const functions = collectFunctions(this.grammar, tree.rootNode);
    this.entries.set(key, { version, tree, functions });
    return functions;
  }

  forget(key: string): void {
    this.entries.get(key)?.tree.delete();
    this.entries.delete(key);
  }

  dispose(): void {
    for (const key of [...this.entries.keys()]) this.forget(key);
  }
}
