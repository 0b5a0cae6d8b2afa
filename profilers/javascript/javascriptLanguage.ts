/** JavaScript and TypeScript as the optimizer's prompts and reply parser see them. */
import { escapeRegExp, type LanguageDescriptor } from '../languageDescriptor.js';

/** `function f(`, `async function* f(`, `const f = (…) =>`, `const f = function`, each optionally exported. */
const FUNCTION_START = String.raw`^(?:export[ \t]+(?:default[ \t]+)?)?(?:async[ \t]+)?function\*?[ \t]*NAME[ \t]*[(<]|^(?:export[ \t]+)?(?:const|let|var)[ \t]+NAME[ \t]*(?::[^=\n]+)?=[ \t]*(?:async\b[ \t]*)?(?:function\b|\(|[A-Za-z_$][\w$]*[ \t]*=>|<)`;
const IDENTIFIER = String.raw`[A-Za-z_$][\w$]*`;

function functionPattern(name: string, flags = 'm'): RegExp {
  return new RegExp(FUNCTION_START.replaceAll('NAME', name), flags);
}

const SUPPORT = /^(?:export[ \t]+)?(?:(?:async[ \t]+)?function\b|class[ \t]|import[ \t{*'"]|(?:const|let|var)[ \t]|type[ \t]+\w+[ \t]*[=<]|interface[ \t]|enum[ \t])/m;
const CODE_START = /^(?:export[ \t]|(?:async[ \t]+)?function\b|class[ \t]|import[ \t{*'"]|(?:const|let|var)[ \t]+[\w${[]|type[ \t]+\w+[ \t]*[=<]|interface[ \t]|enum[ \t]|'use strict'|"use strict")/;
const CODE_CONTINUATION = /^(?:[ \t]|\/\/|\/\*|\*|[)\]}]|export[ \t]|(?:async[ \t]+)?function\b|class[ \t]|import[ \t{*'"]|(?:const|let|var)[ \t]|type[ \t]|interface[ \t]|enum[ \t]|[A-Za-z_$][\w$.]*[ \t]*(?:=|\())/;

function topLevelFunctions(code: string): string[] {
  const names: string[] = [];
  for (const m of code.matchAll(functionPattern(`(${IDENTIFIER})`, 'gm'))) {
    const name = m[1] ?? m[2];
    if (name) names.push(name);
  }
  return names;
}

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
    looksLikeUsageExample: (code, functionName) =>
      /^(?:console\.\w+|assert\b|test\(|it\(|describe\()/m.test(code) ||
      new RegExp(`^(?![ \\t]|(?:export[ \\t]+)?(?:async[ \\t]+)?function\\b|(?:export[ \\t]+)?(?:const|let|var)[ \\t]+${escapeRegExp(functionName)}\\b).*\\b${escapeRegExp(functionName)}[ \\t]*\\(`, 'm').test(code),
    codeStartLine: CODE_START,
    codeContinuationLine: CODE_CONTINUATION,
    generatorFunctions: ['correctnessInputs', 'sizedInput'],
  };
}

export const javascriptLanguage: LanguageDescriptor = descriptor('JavaScript', 'javascript', ['javascript', 'js', 'mjs', 'jsx', 'node']);
export const typescriptLanguage: LanguageDescriptor = descriptor('TypeScript', 'typescript', ['typescript', 'ts', 'tsx', 'mts']);
