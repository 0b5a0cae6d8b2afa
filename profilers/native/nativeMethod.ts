/**
 * C++ methods as targets (README.md, "Methods"): the classes a file defines, a method's declaration in its class, and
 * the text the build adds for a method target — declarations in the class, the two entry points the harness calls (one
 * per side), the candidate's definition under its own member name — plus the checks a reply's copy of the class must
 * pass. The class is shared by both sides, so the harness builds one receiver type and compares it like any argument.
 */
import type { Node } from 'web-tree-sitter';
import {
  all,
  applyEdits,
  collapse,
  functionInfo,
  named,
  nameOf,
  nameParts,
  namespaceParts,
  normalise,
  parameterType,
  comparableType,
  specifiersOf,
  withoutComments,
  type Edit,
  type FunctionInfo,
} from './nativeSyntax.js';

/** The entry points the class gets, static members calling the method: plain function pointers for the harness. */
export const ORIGINAL_ENTRY = 'perfloop_original_entry';
export const CANDIDATE_ENTRY = 'perfloop_candidate_entry';
/** `perfloop_type<T>` is T: lets a parameter of any type (`int(*)(int)`, `int[]`) be written `perfloop_type<…> name`. */
export const TYPE_ALIAS = 'template <class perfloop_T> using perfloop_type = perfloop_T;';

/** The member the candidate's method becomes, next to the original in the same class. */
export function candidateMethodName(name: string): string {
  return `perfloop_candidate_${name}`;
}

export const CLASS_TYPES = new Set(['class_specifier', 'struct_specifier', 'union_specifier']);

// ---------------------------------------------------------------------------------------------------------------------
// Classes and their members

export interface ClassSite {
  /** The class_specifier (struct_specifier, union_specifier). */
  node: Node;
  body: Node;
  namespacePath: string[];
  /** The class and the classes enclosing it: ['Outer', 'Inner']. */
  classPath: string[];
  /** A class template, a specialisation, or a class inside one. */
  template: boolean;
}

export function fullClassName(site: Pick<ClassSite, 'namespacePath' | 'classPath'>): string {
  return [...site.namespacePath, ...site.classPath].join('::');
}

/** Every class the file defines (with a body), nested ones included, outside function bodies. */
export function classSites(root: Node): ClassSite[] {
  const out: ClassSite[] = [];
  const visit = (node: Node, namespacePath: string[], classPath: string[], template: boolean): void => {
    for (const child of named(node)) {
      if (child.type === 'namespace_definition') {
        visit(child.childForFieldName('body') ?? child, [...namespacePath, ...namespaceParts(child)], classPath, template);
      } else if (child.type === 'template_declaration') {
        visit(child, namespacePath, classPath, true);
      } else if (CLASS_TYPES.has(child.type)) {
        const body = child.childForFieldName('body');
        const name = child.childForFieldName('name');
        if (!body || !name) continue;
        const path = [...classPath, nameParts(name).at(-1) ?? name.text];
        const isTemplate = template || name.type === 'template_type';
        out.push({ node: child, body, namespacePath, classPath: path, template: isTemplate });
        visit(body, namespacePath, path, isTemplate);
      } else if (child.type !== 'function_definition' && child.type !== 'compound_statement' && child.namedChildCount > 0) {
        visit(child, namespacePath, classPath, template);
      }
    }
  };
  visit(root, [], [], false);
  return out;
}

export interface Member {
  /** function_definition (defined in the class) or field_declaration/declaration (declared there). */
  node: Node;
  info: FunctionInfo;
  definition: boolean;
  isStatic: boolean;
  isVirtual: boolean;
}

/** The class's own member functions named `name`, in order (not friends, not member templates). */
export function membersNamed(site: ClassSite, source: string, name: string): Member[] {
  const out: Member[] = [];
  const visit = (node: Node): void => {
    for (const child of named(node)) {
      if (child.type === 'function_definition' || child.type === 'field_declaration' || child.type === 'declaration') {
        const info = functionInfo(child, source);
        if (!info || info.name !== name || info.nameType === 'qualified_identifier') continue;
        const specifiers = specifiersOf(child);
        out.push({
          node: child,
          info,
          definition: child.type === 'function_definition',
          isStatic: specifiers.some((s) => s.type === 'storage_class_specifier' && s.text === 'static'),
          isVirtual: named(child).some((c) => c.type === 'virtual') || /\b(?:override|final)\b/.test(afterParametersText(child, info, source)),
        });
      } else if (child.type.startsWith('preproc_')) {
        visit(child);
      }
    }
  };
  visit(site.body);
  return out;
}

/** The member whose parameter types are `types` (compared as the function's type sees them). */
export function memberWithTypes(members: readonly Member[], types: readonly string[]): Member | undefined {
  const key = (list: readonly string[]): string => list.map(parameterType).join(',');
  return members.find((m) => key(m.info.signature.parameterTypes) === key(types));
}

// ---------------------------------------------------------------------------------------------------------------------
// What follows the parameter list

/** The text between a function's parameter list and its body (or the end of its declaration), comments removed. */
function afterParametersText(node: Node, info: FunctionInfo, source: string): string {
  const parameters = info.declarator.childForFieldName('parameters');
  if (!parameters) return '';
  const body = node.childForFieldName('body');
  return withoutComments(source.slice(parameters.endIndex, body?.startIndex ?? node.endIndex));
}

export interface MethodQualifiers {
  /** `const`, `volatile`: the receiver's qualifiers. */
  cv: string[];
  ref: '' | '&' | '&&';
  /** `noexcept`, `noexcept(true)`, `throw()`, normalised; '' when none. */
  exception: string;
}

/** The qualifiers after the parameter list (tree-sitter files some of them under the declaration, not the declarator). */
export function methodQualifiers(node: Node, info: FunctionInfo, source: string): MethodQualifiers {
  const out: MethodQualifiers = { cv: [], ref: '', exception: '' };
  const text = afterParametersText(node, info, source);
  const token = /\s*(const|volatile|&&|&|noexcept\s*(?:\((?:[^()]|\([^()]*\))*\))?|throw\s*\([^()]*\)|\[\[[^\]]*\]\]|__attribute__\s*\(\([^()]*(?:\([^()]*\)[^()]*)*\)\))/y;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    const word = m[1] ?? '';
    if (word === 'const' || word === 'volatile') out.cv.push(word);
    else if (word === '&' || word === '&&') out.ref = word;
    else if (/^(?:noexcept|throw)/.test(word)) out.exception = normalise(word);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// The build's additions

/** A method target as the build sees it (SplitProgram.method). */
export interface MethodShape {
  namespacePath: string[];
  classPath: string[];
  name: string;
  isStatic: boolean;
  /** The receiver's type in the entry points: `const Cart&`, `Cart&`, `Cart&&` (none for a static method). */
  selfType: string;
  returnType: string;
  parameterTypes: string[];
  /** The candidate's member declaration: the method's own declaration under the candidate's name. */
  candidateDeclaration: string;
  /**
   * The receiver's data members, when they can all be named (instance methods): the class then gets `perfloop_fields`,
   * through which the harness compares (non-const methods) and shows receivers field by field, private members too.
   */
  fields?: string[];
}

/** The class's non-static data members, or undefined when they cannot all be named (bases, anonymous unions, `#if`). */
export function dataMembers(site: ClassSite): string[] | undefined {
  if (named(site.node).some((c) => c.type === 'base_class_clause')) return undefined;
  const out: string[] = [];
  const isData = (declaration: Node): boolean =>
    !specifiersOf(declaration).some((s) => s.text === 'static') &&
    declaration.childrenForFieldName('declarator').some((d) => nameOf(d)?.holder?.type !== 'function_declarator');
  for (const child of named(site.body)) {
    if (child.type.startsWith('preproc_')) {
      if (child.descendantsOfType('field_declaration').some((f) => f && isData(f))) return undefined;
      continue;
    }
    if (child.type !== 'field_declaration' || specifiersOf(child).some((s) => s.text === 'static')) continue;
    const declarators = child.childrenForFieldName('declarator').filter((d): d is Node => d !== null);
    if (declarators.length === 0) {
      const type = child.childForFieldName('type');
      if (type && CLASS_TYPES.has(type.type) && !type.childForFieldName('name')) return undefined;
      continue;
    }
    for (const declarator of declarators) {
      const found = nameOf(declarator);
      if (found && found.holder?.type !== 'function_declarator') out.push(found.name.text);
    }
  }
  return out;
}

/** Where a member's head ends: at its body, at `= 0`/`= default`, or at its `;`. */
function headEnd(node: Node): number {
  const body = node.childForFieldName('body');
  if (body) return body.startIndex;
  const after = node.childForFieldName('declarator')?.endIndex ?? 0;
  const tokens = all(node);
  const equals = tokens.find((c) => c.type === '=' && c.startIndex >= after);
  const semicolon = [...tokens].reverse().find((c) => c.type === ';');
  return equals?.startIndex ?? semicolon?.startIndex ?? node.endIndex;
}

/** `member` of `site` as the build needs it. */
export function methodShape(site: ClassSite, member: Member, source: string): MethodShape {
  const { info, node } = member;
  const qualifiers = methodQualifiers(node, info, source);
  const className = site.classPath.at(-1) ?? '';
  const selfType = `${[...qualifiers.cv, className].join(' ')}${qualifiers.ref === '&&' ? '&&' : '&'}`;
  // The declaration as written (default arguments kept: the candidate's own recursive calls may rely on them), renamed,
  // without what only the original may say (inline, constexpr) or what belongs to a definition.
  const edits: Edit[] = [{ start: info.nameNode.startIndex, end: info.nameNode.endIndex, text: candidateMethodName(member.info.name) }];
  for (const specifier of specifiersOf(node)) {
    if (/^(?:inline|constexpr|consteval|virtual|explicit)$/.test(specifier.text) || specifier.type === 'explicit_function_specifier') {
      edits.push({ start: specifier.startIndex, end: specifier.endIndex, text: '' });
    }
  }
  const head = applyEdits(source.slice(node.startIndex, headEnd(node)), edits, node.startIndex);
  const fields = member.isStatic ? undefined : dataMembers(site);
  return {
    ...(fields ? { fields } : {}),
    namespacePath: site.namespacePath,
    classPath: site.classPath,
    name: info.name,
    isStatic: member.isStatic,
    selfType,
    returnType: info.signature.returnType,
    parameterTypes: info.signature.parameterTypes,
    candidateDeclaration: `${collapse(withoutComments(head))};`,
  };
}

function entryParameters(shape: MethodShape): string {
  const self = shape.isStatic ? [] : [`${shape.selfType} perfloop_self`];
  return [...self, ...shape.parameterTypes.map((type, i) => `::perfloop_type<${type}> perfloop_a${i + 1}`)].join(', ');
}

/**
 * What the build inserts before the class's closing brace (one line, so the class keeps its lines): the entry points'
 * declarations (the candidate's weak: executables that run the original alone do not link it) and the candidate's
 * member declaration. Member functions change neither the layout nor the aggregate-ness of the class.
 */
export function classInsertion(shape: MethodShape): string {
  const result = `::perfloop_type<${shape.returnType}>`;
  const parameters = entryParameters(shape);
  const className = shape.classPath.at(-1) ?? '';
  const fields = shape.fields
    ? ` template <class perfloop_V> static bool perfloop_fields(const ${className}& perfloop_l, const ${className}& perfloop_r, perfloop_V&& perfloop_visit) { (void)perfloop_l; (void)perfloop_r; (void)perfloop_visit; return true${shape.fields.map((f) => ` && perfloop_visit(perfloop_l.${f}, perfloop_r.${f})`).join('')}; }`
    : '';
  return ` public: static auto ${ORIGINAL_ENTRY}(${parameters}) -> ${result}; __attribute__((weak)) static auto ${CANDIDATE_ENTRY}(${parameters}) -> ${result}; ${shape.candidateDeclaration}${fields} `;
}

/** One side's entry point, defined at the class's namespace scope: calls the method (or the candidate's) on the receiver. */
export function entryDefinition(shape: MethodShape, side: 'original' | 'candidate'): string {
  const method = side === 'original' ? shape.name : candidateMethodName(shape.name);
  const entry = side === 'original' ? ORIGINAL_ENTRY : CANDIDATE_ENTRY;
  // std::forward without <utility>: decltype of a parameter is its declared type (arrays and functions adjusted).
  const args = shape.parameterTypes.map((_, i) => `static_cast<decltype(perfloop_a${i + 1})&&>(perfloop_a${i + 1})`).join(', ');
  const callee = shape.isStatic ? method : `static_cast<${shape.selfType}>(perfloop_self).${method}`;
  return `auto ${shape.classPath.join('::')}::${entry}(${entryParameters(shape)}) -> ::perfloop_type<${shape.returnType}> { return ${callee}(${args}); }`;
}

// ---------------------------------------------------------------------------------------------------------------------
// A reply's method

/**
 * Renames the method's own uses inside its (candidate) definition, so that its recursion runs the candidate: `total(…)`,
 * `this->total(…)`, `left->total(…)`, `Cart::total(…)`. Other uses of the name (a local variable `total`) are renamed
 * with them, consistently. The declarator-id itself is left to the caller.
 */
export function recursionEdits(
  definition: Node,
  info: FunctionInfo,
  className: string,
  newName: string,
  arity: { min: number; max: number },
): Edit[] {
  const edits: Edit[] = [];
  const skip = info.nameNode;
  // A call with another number of arguments calls another overload.
  const otherOverload = (callee: Node): boolean => {
    const call = callee.parent;
    if (call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== callee.id) return false;
    const count = named(call.childForFieldName('arguments')).filter((a) => a.type !== 'comment').length;
    return count < arity.min || count > arity.max;
  };
  for (const node of definition.descendantsOfType(['identifier', 'field_identifier'])) {
    if (!node || node.text !== info.name) continue;
    if (node.startIndex >= skip.startIndex && node.endIndex <= skip.endIndex) continue;
    const parent = node.parent;
    const callee = parent?.type === 'field_expression' || parent?.type === 'qualified_identifier' ? parent : node;
    if (otherOverload(callee)) continue;
    if (node.type === 'field_identifier') {
      // `x.total(…)`, `p->total(…)`: only calls (a data member `total` of another type is not the method).
      const call = parent?.parent;
      if (parent?.type !== 'field_expression' || call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== parent.id) continue;
    } else if (parent?.type === 'qualified_identifier') {
      const scope = parent.childForFieldName('scope');
      if (!scope || (nameParts(scope).at(-1) ?? scope.text) !== className) continue;
    }
    edits.push({ start: node.startIndex, end: node.endIndex, text: newName });
  }
  return edits;
}

export interface DefinitionForm {
  /** The declarator-id to write: `Cart::perfloop_candidate_total`, `Cart::total`, `total`. */
  name: string;
  /** Out of class: no `static`/`virtual`/`explicit`, no default arguments. */
  outOfClass: boolean;
  /** Out of class for the build: no `inline`/`constexpr` either (the candidate's member is declared without them). */
  plain?: boolean;
  /** In class: `static` to add when the definition lacks it. */
  addStatic?: boolean;
  /** In class: default arguments (by parameter) to add when the definition has none. */
  addDefaults?: readonly string[];
  extraEdits?: readonly Edit[];
}

/** A method definition rewritten into another form (in class / out of class, renamed), its own formatting kept. */
export function definitionText(node: Node, info: FunctionInfo, source: string, form: DefinitionForm): string {
  const edits: Edit[] = [{ start: info.nameNode.startIndex, end: info.nameNode.endIndex, text: form.name }, ...(form.extraEdits ?? [])];
  const specifiers = specifiersOf(node);
  if (form.outOfClass) {
    const dropped = form.plain ? /^(?:static|virtual|explicit|inline|constexpr|consteval)$/ : /^(?:static|virtual|explicit)$/;
    for (const s of specifiers) if (dropped.test(s.text)) edits.push({ start: s.startIndex, end: s.endIndex, text: '' });
    for (const s of named(node).filter((c) => c.type === 'virtual')) if (!specifiers.includes(s)) edits.push({ start: s.startIndex, end: s.endIndex, text: '' });
  } else if (form.addStatic && !specifiers.some((s) => s.text === 'static')) {
    const first = specifiers.find((s) => !/attribute/.test(s.type)) ?? info.declarator;
    edits.push({ start: first.startIndex, end: first.startIndex, text: 'static ' });
  }
  const parameters = named(info.declarator.childForFieldName('parameters')).filter((p) => /parameter_declaration$/.test(p.type));
  parameters.forEach((p, i) => {
    const value = p.childForFieldName('default_value');
    if (value && form.outOfClass) {
      const before = p.childForFieldName('declarator') ?? p.childForFieldName('type');
      const equals = all(p).find((c) => c.type === '=');
      edits.push({ start: before?.endIndex ?? equals?.startIndex ?? value.startIndex, end: p.endIndex, text: '' });
    } else if (!value && !form.outOfClass && form.addDefaults?.[i]) {
      edits.push({ start: p.endIndex, end: p.endIndex, text: ` = ${form.addDefaults[i]}` });
    }
  });
  // Blank out whitespace left before a removed specifier at the start.
  return applyEdits(source.slice(node.startIndex, node.endIndex), edits, node.startIndex).replace(/^[ \t]+/, '');
}

/** `text` re-indented: its lines after the first move from `fromColumn` to `indent`. */
export function reindent(text: string, fromColumn: number, indent: string): string {
  return text
    .split('\n')
    .map((line, i) => {
      if (i === 0 || line.trim() === '') return i === 0 ? line : '';
      const leading = /^[ \t]*/.exec(line)?.[0].length ?? 0;
      return indent + line.slice(Math.min(leading, fromColumn));
    })
    .join('\n');
}

/** Why the reply's method does not have the original's signature, or undefined. Defaults may be left out, not changed. */
export function methodSignatureDifference(
  original: { info: FunctionInfo; qualifiers: MethodQualifiers; isStatic: boolean },
  candidate: { info: FunctionInfo; qualifiers: MethodQualifiers; isStatic?: boolean },
): string | undefined {
  const o = original.info;
  const c = candidate.info;
  const show = (f: FunctionInfo, q: MethodQualifiers, isStatic: boolean | undefined): string =>
    `${isStatic ? 'static ' : ''}${f.signature.returnType} ${f.name}(${f.parameters.map((p) => (p.defaultValue ? `${p.type} = ${p.defaultValue}` : p.type)).join(', ')})${[...q.cv, q.ref, q.exception].filter(Boolean).map((w) => ` ${w}`).join('')}`;
  const sameParameters =
    o.parameters.length === c.parameters.length &&
    o.parameters.every((p, i) => {
      const q = c.parameters[i];
      return !!q && parameterType(p.type) === parameterType(q.type) && (q.defaultValue === '' || comparableType(p.defaultValue) === comparableType(q.defaultValue));
    });
  const same =
    comparableType(o.signature.returnType) === comparableType(c.signature.returnType) &&
    sameParameters &&
    original.qualifiers.cv.join(' ') === candidate.qualifiers.cv.join(' ') &&
    original.qualifiers.ref === candidate.qualifiers.ref &&
    original.qualifiers.exception === candidate.qualifiers.exception &&
    (candidate.isStatic === undefined || candidate.isStatic === original.isStatic);
  return same ? undefined : `\`${show(c, candidate.qualifiers, candidate.isStatic)}\` instead of \`${show(o, original.qualifiers, original.isStatic)}\``;
}

// ---------------------------------------------------------------------------------------------------------------------
// A reply's class

/** What a class member declares, for messages: `items`, `total`, `Item`. */
function memberName(member: Node, source: string): string {
  const info = functionInfo(member, source);
  if (info) return info.name;
  const inner = member.type === 'template_declaration' ? named(member).at(-1) : member;
  const name = inner?.childForFieldName('name') ?? inner?.childForFieldName('type')?.childForFieldName('name');
  if (name && inner?.type !== 'field_declaration') return name.text;
  const declarator = inner?.childForFieldName('declarator');
  const id = declarator?.type === 'field_identifier' || declarator?.type === 'identifier' ? declarator : declarator?.descendantsOfType(['field_identifier', 'identifier'])[0];
  return id?.text ?? name?.text ?? collapse(withoutComments(member.text)).slice(0, 40);
}

function members(body: Node): Node[] {
  return named(body).filter((c) => c.type !== 'comment' && c.type !== 'access_specifier');
}

/** A nested class declared by a member (`struct Inner {…};`), or undefined. */
function nestedClass(member: Node): Node | undefined {
  if (CLASS_TYPES.has(member.type)) return member;
  const type = member.type === 'field_declaration' ? member.childForFieldName('type') : null;
  return type && CLASS_TYPES.has(type.type) && type.childForFieldName('body') ? type : undefined;
}

export type ClassCheck = { definitions: Node[] } | { reason: string };

/**
 * A reply's copy of the class (`reply`, a class specifier in `replySource`) against the file's (`original`): every
 * member but the method must be one of the class's members, unchanged; members may be left out. `path` leads to the
 * method's class through nested classes. Returns the method's definitions found in it.
 */
export function checkReplyClass(
  reply: Node,
  replySource: string,
  original: Node,
  originalSource: string,
  path: readonly string[],
  methodName: string,
): ClassCheck {
  const className = reply.childForFieldName('name')?.text ?? '?';
  const replyBody = reply.childForFieldName('body');
  const originalBody = original.childForFieldName('body');
  if (!replyBody || !originalBody) return { definitions: [] };
  const bases = (n: Node): string => normalise(named(n).find((c) => c.type === 'base_class_clause')?.text ?? '');
  if (bases(reply) !== bases(original)) {
    return { reason: `the candidate changes the base classes of \`${className}\`; a candidate may only change the method \`${methodName}\`` };
  }
  const originalMembers = members(originalBody);
  const known = new Set(originalMembers.map((m) => normalise(m.text)));
  const definitions: Node[] = [];
  for (const member of members(replyBody)) {
    const info = functionInfo(member, replySource);
    if (path.length === 0 && info?.name === methodName && info.nameType !== 'qualified_identifier') {
      if (member.type === 'function_definition') definitions.push(member);
      continue; // its declaration (the definition is out of class)
    }
    const nested = nestedClass(member);
    const nestedName = nested?.childForFieldName('name')?.text;
    if (nested && nestedName && nestedName === path[0]) {
      const counterpart = originalMembers.map(nestedClass).find((n) => n?.childForFieldName('name')?.text === nestedName);
      if (!counterpart) return { reason: `the candidate adds the class \`${nestedName}\` to \`${className}\`` };
      const inner = checkReplyClass(nested, replySource, counterpart, originalSource, path.slice(1), methodName);
      if ('reason' in inner) return inner;
      definitions.push(...inner.definitions);
      continue;
    }
    if (known.has(normalise(member.text))) continue;
    const name = memberName(member, replySource);
    const changed = originalMembers.some((m) => memberName(m, originalSource) === name);
    return {
      reason: changed
        ? `the candidate changes the member \`${name}\` of \`${className}\`; a candidate may only change the method \`${methodName}\` (the class is shared with the original)`
        : `the candidate adds the member \`${name}\` to \`${className}\`; a candidate may not add members (add a free helper function instead)`,
    };
  }
  return { definitions };
}
