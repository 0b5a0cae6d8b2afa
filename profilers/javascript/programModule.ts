/**
 * The program modules the harness loads: the target's code and context, then the exports the harness reads. Whatever
 * the target is called, the module exports it as TARGET_EXPORT; it also exports its classes by name (CLASSES_EXPORT), so
 * the harness gives each side's copies of the inputs that side's classes (see harness/program.mjs).
 */
import type { MethodTarget } from '../runner.js';

/** The name under which every program module exports the function it defines, whatever the function is called. */
export const TARGET_EXPORT = '__perfloopTarget';
export const CLASSES_EXPORT = '__perfloopClasses';
/** `{ className, name, isStatic }` of a method target. */
export const METHOD_EXPORT = '__perfloopMethod';

const IDENTIFIER = String.raw`[A-Za-z_$][\w$]*`;
/** Module-level class declarations (`class C`, `abstract class C`, `const C = class`): statements start at column 0. */
const CLASS_DECLARATION = new RegExp(
  String.raw`^(?:export[ \t]+(?:default[ \t]+)?)?(?:declare[ \t]+)?(?:abstract[ \t]+)?class[ \t]+(${IDENTIFIER})|^(?:const|let|var)[ \t]+(${IDENTIFIER})[ \t]*=[ \t]*class\b`,
  'gm',
);

/** Words that cannot be a class's name, so that a false match cannot make the export a syntax error. */
const RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'implements import in instanceof interface let new null package private protected public return static super switch this ' +
    'throw true try typeof var void while with yield await').split(' '),
);

/**
 * The classes `source` declares at module level. Read from the text (originalProgram is synchronous); a false match (a
 * line of a comment or template literal) costs nothing, as the export checks each name with `typeof`.
 */
function declaredClasses(source: string): string[] {
  const names = [...source.matchAll(CLASS_DECLARATION)].map((m) => m[1] ?? m[2] ?? '');
  return [...new Set(names.filter((name) => name !== '' && !RESERVED.has(name)))];
}

/** Empty when there are no classes: function programs without classes stay as they were. */
function classesExport(source: string): string {
  const entries = declaredClasses(source).map((name) => `${name}: typeof ${name} === 'function' ? ${name} : undefined`);
  return entries.length > 0 ? `export const ${CLASSES_EXPORT} = { ${entries.join(', ')} };\n` : '';
}

function join(parts: string[]): string {
  return `${parts.filter((p) => p.trim().length > 0).map((p) => p.trim()).join('\n\n')}\n`;
}

export function functionModule(context: string, body: string, functionName: string): string {
  const code = join([context, body]);
  return join([code, `${classesExport(code)}export { ${functionName} as ${TARGET_EXPORT} };`]);
}

/**
 * A method's module: the context with the class, and a function calling the method of this module's class (an instance
 * method on the receiver passed first, whatever that receiver's own class says).
 */
export function methodModule(context: string, method: Pick<MethodTarget, 'className' | 'name' | 'isStatic'>): string {
  const { className, name, isStatic } = method;
  const call = isStatic
    ? `(...args) => ${className}.${name}(...args)`
    : `(self, ...args) => ${className}.prototype.${name}.apply(self, args)`;
  const description = JSON.stringify({ className, name, isStatic });
  return join([context, `${classesExport(context)}export const ${METHOD_EXPORT} = ${description};\nexport const ${TARGET_EXPORT} = ${call};`]);
}
