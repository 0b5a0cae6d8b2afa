/** JavaScript and TypeScript as the optimizer's prompts and reply parser see them. */
import { escapeRegExp, type LanguageDescriptor } from '../languageDescriptor.js';

/**
 * `function f(`, `async function* f(`, `const f = (…) =>`, `const f = function`, each optionally exported, and CommonJS's
 * `exports.f = function` / `module.exports.f = (…) =>` (the runner's function sites: javascriptTarget.ts).
 */
const FUNCTION_START = String.raw`^(?:export[ \t]+(?:default[ \t]+)?)?(?:async[ \t]+)?function\*?[ \t]*NAME[ \t]*[(<]|^(?:export[ \t]+)?(?:const|let|var)[ \t]+NAME[ \t]*(?::[^=\n]+)?=[ \t]*(?:async\b[ \t]*)?(?:function\b|\(|[A-Za-z_$][\w$]*[ \t]*=>|<)|^(?:module\.)?exports\.NAME[ \t]*=[ \t]*(?:async\b[ \t]*)?(?:function\b|\(|[A-Za-z_$][\w$]*[ \t]*=>)`;
const IDENTIFIER = String.raw`[A-Za-z_$][\w$]*`;

function functionPattern(name: string, flags = 'm'): RegExp {
  return new RegExp(FUNCTION_START.replaceAll('NAME', name), flags);
}

const SUPPORT = /^(?:export[ \t]+)?(?:(?:async[ \t]+)?function\b|class[ \t]|import[ \t{*'"]|(?:const|let|var)[ \t]|type[ \t]+\w+[ \t]*[=<]|interface[ \t]|enum[ \t])/m;
const CODE_START = /^(?:export[ \t]|(?:async[ \t]+)?function\b|class[ \t]|import[ \t{*'"]|(?:const|let|var)[ \t]+[\w${[]|type[ \t]+\w+[ \t]*[=<]|interface[ \t]|enum[ \t]|(?:module\.)?exports\.[\w$]+[ \t]*=|'use strict'|"use strict")/;
const CODE_CONTINUATION = /^(?:[ \t]|\/\/|\/\*|\*|[)\]}]|export[ \t]|(?:async[ \t]+)?function\b|class[ \t]|import[ \t{*'"]|(?:const|let|var)[ \t]|type[ \t]|interface[ \t]|enum[ \t]|[A-Za-z_$][\w$.]*[ \t]*(?:=|\())/;

function topLevelFunctions(code: string): string[] {
  const names: string[] = [];
  for (const m of code.matchAll(functionPattern(`(${IDENTIFIER})`, 'gm'))) {
    const name = m[1] ?? m[2] ?? m[3];
    if (name) names.push(name);
  }
  return names;
}

const METHOD_MODIFIERS = String.raw`(?:(?:public|private|protected|static|async|override)[ \t]+)*`;
const CLASS_DECLARATION = /^[ \t]*(?:export[ \t]+(?:default[ \t]+)?)?(?:abstract[ \t]+)?class[ \t]+([A-Za-z_$][\w$]*)/gm;

/** Index just past the parenthesis closing the one at `open`, or -1. */
function closingParen(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '(') depth++;
    else if (code[i] === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * A method definition `total(…) {` (modifiers, a generator `*`, TypeScript type parameters and return type allowed),
 * in a class or bare, not a call `total(…);`. When the code declares classes, one of them must be `className`.
 */
function definesMethod(code: string, className: string, methodName: string): boolean {
  const classes = [...code.matchAll(CLASS_DECLARATION)].map((m) => m[1]);
  if (classes.length > 0 && !classes.includes(className)) return false;
  const start = new RegExp(String.raw`(?:^|[{;}])[ \t]*${METHOD_MODIFIERS}(?:\*[ \t]*)?${escapeRegExp(methodName)}[ \t]*(?:<[^>\n]*>[ \t]*)?\(`, 'gm');
  for (const match of code.matchAll(start)) {
    const end = closingParen(code, match.index + match[0].length - 1);
    if (end >= 0 && /^\s*[{:]/.test(code.slice(end))) return true;
  }
  return false;
}

function methodReplyRule(className: string, methodName: string): string {
  return (
    `Reply with a \`class ${className} { … }\` block containing only \`${methodName}\` and any new helper methods it calls: ` +
    `the other members of \`${className}\` are kept as they are, so do not repeat them, and do not add fields, a constructor ` +
    `or #private methods. New module-level helpers and imports go outside the class, in the same code block.`
  );
}

function methodGeneratorNote(className: string, methodName: string, isStatic: boolean): string {
  const signatures = `\`export function correctnessInputs({ ${className} }) { … }\` and \`export function sizedInput(n, { ${className} }) { … }\``;
  if (isStatic) {
    return (
      `\`${methodName}\` is a static method of \`${className}\`: each argument array holds its arguments only, no receiver. ` +
      `Both functions receive the classes of the code under test in an object, for arguments that must be instances of them: ` +
      `${signatures}. Do not import the file under test.`
    );
  }
  return (
    `\`${methodName}\` is a method of \`${className}\`: each argument array starts with the receiver, a \`${className}\` instance, ` +
    `followed by the method's arguments. Both functions receive the classes of the code under test in an object: build the ` +
    `receivers with the class passed in, as in ${signatures}. Do not import the file under test. The receiver's fields ` +
    `are compared after each call, like any argument.`
  );
}

/**
 * The JavaScript harness loads any of these as an inputs module, whichever the code's own: TypeScript is transpiled,
 * a CommonJS module (`.cjs`, or a `.js` without import/export) is loaded in place (harnessProcess.ts).
 */
const INPUTS_MODULE_EXTENSIONS = ['.mjs', '.js', '.cjs', '.ts', '.mts'];

function descriptor(name: string, fenceTag: string, fenceTags: string[]): LanguageDescriptor {
  return {
    name,
    fenceTag,
    fenceTags: new Set(fenceTags),
    standardLibrary: "Node.js's built-in modules (node:*) and the language's standard library",
    correctnessGenerator: 'export function correctnessInputs() { /* returns an array of argument arrays */ }',
    sizedGenerator: 'export function sizedInput(n) { /* returns one argument array of size n */ }',
    seededRandom: 'a small seeded PRNG such as mulberry32(n) written inline (Math.random cannot be seeded)',
    topLevelFunctions,
    definesFunction: (code, fn) => functionPattern(escapeRegExp(fn)).test(code),
    definesSupport: (code) => SUPPORT.test(code),
    looksLikeUsageExample: (code, functionName) => {
      // A method target (`Cart.total`) is called as `cart.total(…)`.
      const name = escapeRegExp(functionName.split('.').pop() ?? functionName);
      return (
        /^(?:console\.\w+|assert\b|test\(|it\(|describe\()/m.test(code) ||
        new RegExp(`^(?![ \\t]|(?:export[ \\t]+)?(?:async[ \\t]+)?function\\b|(?:export[ \\t]+)?(?:const|let|var)[ \\t]+${name}\\b|${METHOD_MODIFIERS}${name}[ \\t]*\\([^)\\n]*\\)[ \\t]*[{:]).*\\b${name}[ \\t]*\\(`, 'm').test(code)
      );
    },
    codeStartLine: CODE_START,
    codeContinuationLine: CODE_CONTINUATION,
    generatorFunctions: ['correctnessInputs', 'sizedInput'],
    inputsModuleExtensions: INPUTS_MODULE_EXTENSIONS,
    definesMethod,
    methodReplyRule,
    methodGeneratorNote,
    likelyCauseOfFailure,
  };
}

/** What an error thrown on every input most likely means when the function runs in Perfloop's sandbox (see README). */
function likelyCauseOfFailure(_type: string, message: string): string | undefined {
  if (/\bENOENT\b|\bEACCES\b/.test(message)) {
    return (
      'a file the function reads is not visible to it: it runs in a sandbox from an empty working directory, where only ' +
      "your file's directory and the system's are readable. Build the path from the module's own location " +
      "(`new URL('./data.json', import.meta.url)`), or pass the file's contents as an argument from the inputs module."
    );
  }
  if (/\bEROFS\b|\bEPERM\b/.test(message)) return 'the function writes a file outside its working directory, which the sandbox forbids.';
  if (/ERR_MODULE_NOT_FOUND|Cannot find (?:module|package)/.test(message)) {
    return "an import fails: install the package where your file's node_modules can find it (the function runs from your file's directory).";
  }
  if (/\bE(?:AI_AGAIN|NOTFOUND|CONNREFUSED|NETUNREACH)\b|fetch failed/.test(message)) return 'the function uses the network, which the sandbox does not reach.';
  return undefined;
}

export const javascriptLanguage: LanguageDescriptor = descriptor('JavaScript', 'javascript', ['javascript', 'js', 'mjs', 'jsx', 'node']);
export const typescriptLanguage: LanguageDescriptor = descriptor('TypeScript', 'typescript', ['typescript', 'ts', 'tsx', 'mts']);
