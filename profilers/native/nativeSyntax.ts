/**
 * Syntax helpers shared by the C/C++ target code (nativeTarget.ts, nativeMethod.ts): tree-sitter node helpers, text
 * edits and normalisation, declarators, and function signatures as written.
 */
import type { Node } from 'web-tree-sitter';

// ---------------------------------------------------------------------------------------------------------------------
// Small tree and text helpers

export function named(node: Node | null | undefined): Node[] {
  return node ? node.namedChildren.filter((c): c is Node => c !== null) : [];
}

export function all(node: Node): Node[] {
  return node.children.filter((c): c is Node => c !== null);
}

/** A 1-based line lookup for offsets into `source`. */
export function lineIndex(source: string): (offset: number) => number {
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

export function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits (offsets into `text`); insertions at an offset go before a replacement starting there. */
export function applyEdits(text: string, edits: readonly Edit[], base = 0): string {
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
export function rewrite(node: Node, source: string, replace: readonly Edit[] = [], drop: readonly Node[] = []): string {
  const edits: Edit[] = [...replace];
  const covered = (n: Node): boolean => edits.some((e) => e.start <= n.startIndex && n.endIndex <= e.end);
  for (const n of drop) if (!covered(n)) edits.push({ start: n.startIndex, end: n.endIndex, text: ' ' });
  for (const comment of node.descendantsOfType('comment')) {
    if (comment && !covered(comment)) edits.push({ start: comment.startIndex, end: comment.endIndex, text: ' ' });
  }
  return collapse(applyEdits(source.slice(node.startIndex, node.endIndex), edits, node.startIndex));
}

/** Whitespace runs → one space, outside string and character literals. */
export function collapse(text: string): string {
  return text
    .split(/("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\s+/g, ' ')))
    .join('')
    .trim();
}

/** A comparison key for code: comments dropped, whitespace only where two words would otherwise merge. */
export function normalise(code: string): string {
  return collapse(withoutComments(code)).replace(/ (?=\W)|(?<=\W) /g, '');
}

export function withoutComments(code: string): string {
  return code.replace(/("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (match, literal: string | undefined) =>
    literal ?? ' ',
  );
}

export function escapeCString(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

// ---------------------------------------------------------------------------------------------------------------------
// Declarators and signatures

export const NAME_TYPES = new Set([
  'identifier',
  'qualified_identifier',
  'field_identifier',
  'operator_name',
  'destructor_name',
  'template_function',
  'operator_cast',
  'type_identifier',
]);
export const NOT_DECLARATOR = new Set(['type_qualifier', 'attribute_specifier', 'attribute_declaration', 'ms_declspec_modifier', 'comment', 'ms_pointer_modifier']);

export interface DeclaratorName {
  /** The declarator holding the name: a `function_declarator` for functions. */
  holder: Node | null;
  name: Node;
}

/** Follows a declarator (`*f(int)`, `(*p)[3]`, `x = 1`) down to its name. */
export function nameOf(declarator: Node | null): DeclaratorName | undefined {
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
export function nameParts(name: Node): string[] {
  if (name.type === 'template_function') return [name.childForFieldName('name')?.text ?? name.text];
  return name.text
    .replace(/\s+/g, '')
    .split('::')
    .filter((part, i) => i > 0 || part !== '');
}

export const STORAGE_TYPES = new Set(['storage_class_specifier']);
export const ATTRIBUTE_TYPES = new Set(['attribute_specifier', 'attribute_declaration', 'ms_declspec_modifier', 'alignas_qualifier']);
export const NOT_TYPE_QUALIFIERS = new Set(['constexpr', 'consteval', 'constinit']);

/** Children of a declaration/definition before its (first) declarator: specifiers, attributes, the type. */
export function specifiersOf(node: Node): Node[] {
  const declarator = node.childForFieldName('declarator');
  const out: Node[] = [];
  for (const child of named(node)) {
    if (declarator && child.startIndex >= declarator.startIndex) break;
    if (child.type === 'comment') continue;
    out.push(child);
  }
  return out;
}

export function isTypeSpecifier(node: Node): boolean {
  if (STORAGE_TYPES.has(node.type) || ATTRIBUTE_TYPES.has(node.type)) return false;
  if (node.type === 'type_qualifier' && NOT_TYPE_QUALIFIERS.has(node.text)) return false;
  return !['virtual', 'explicit_function_specifier', 'virtual_function_specifier'].includes(node.type);
}

export interface ParameterInfo {
  name: string;
  type: string;
  defaultValue: string;
}

export interface Signature {
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

export interface FunctionInfo {
  name: string;
  /** Namespaces of a namespace-qualified name (`int util::f()` → ['util']); [] otherwise. */
  qualifier: string[];
  /** The name's node kind: identifier, qualified_identifier, operator_name… */
  nameType: string;
  nameNode: Node;
  /** The function_declarator: the name, the parameters and what follows them (`const`, `&`, `noexcept`, `override`). */
  declarator: Node;
  signature: Signature;
  parameters: ParameterInfo[];
  /** The storage class specifiers (`static`, `inline`, `extern`) written on it. */
  storage: Node[];
  isKnR: boolean;
  /** `auto f()` without a trailing return type. */
  deducedReturn: boolean;
}

/** Describes a function definition or prototype (`node` is a function_definition or a declaration). */
export function functionInfo(node: Node, source: string): FunctionInfo | undefined {
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
    declarator: fd,
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
export function comparableType(type: string): string {
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
export function parameterType(type: string): string {
  const t = comparableType(type);
  const qualifier = /(?:^|(?<=[\s*]))(?:const|volatile|restrict|__restrict|__restrict__)(?=[\s*]|$)/g;
  if (!/[*&[(]/.test(t)) return normalise(t.replace(qualifier, ' '));
  const star = t.lastIndexOf('*');
  if (star === -1 || /[&[(]/.test(t.slice(star))) return t;
  return normalise(t.slice(0, star + 1) + t.slice(star + 1).replace(qualifier, ' '));
}

/** Why `candidate` does not have `original`'s signature, or undefined when it does. */
export function signatureDifference(original: FunctionInfo, candidate: FunctionInfo): string | undefined {
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
// Namespaces and errors

/** The path a namespace_definition adds: `a::b` → ['a', 'b']; anonymous and inline namespaces add nothing. */
export function namespaceParts(node: Node): string[] {
  const name = node.childForFieldName('name');
  if (!name || all(node).some((c) => c.type === 'inline')) return [];
  return name.text.replace(/\s+/g, '').split('::').filter(Boolean);
}

/** Names of the namespaces the file declares (every component), to tell `ns::f` definitions from `Class::f` ones. */
export function namespaceNames(root: Node): Set<string> {
  const out = new Set<string>();
  for (const ns of root.descendantsOfType('namespace_definition')) {
    const name = ns?.childForFieldName('name');
    if (name) for (const part of name.text.replace(/\s+/g, '').split('::')) if (part) out.add(part);
  }
  return out;
}

export function firstErrorLine(node: Node): number {
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
