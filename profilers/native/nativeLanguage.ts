/** C and C++ as the optimizer's prompts and reply parser see them. */
import { escapeRegExp, type LanguageDescriptor } from '../languageDescriptor.js';

/**
 * A function definition's first line: `[static|inline|…] TYPE [*&] NAME(` at column 0, the type possibly templated or
 * qualified (`std::vector<int>`, `unsigned long long`, `const char *`). Loose by design: it only has to tell a reply's
 * definitions from its prose and calls.
 */
const QUALIFIERS = String.raw`(?:(?:static|inline|constexpr|extern|const|unsigned|signed|long|short|struct|enum|volatile|register|\[\[[^\]]*\]\])[ \t]+)*`;
const TYPE = String.raw`[A-Za-z_][\w:]*(?:[ \t]*<[^;{}()]*>)?(?:[ \t]*::[ \t]*[A-Za-z_]\w*)*`;
const FUNCTION_START = String.raw`^(?:template[ \t]*<[^;{}]*>[ \t]*)?${QUALIFIERS}${TYPE}(?:[ \t]+(?:const|long|int|char|double)\b)*[ \t*&]+NAME[ \t]*\(`;
const IDENTIFIER = String.raw`[A-Za-z_]\w*`;
const NOT_NAMES = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'else', 'do', 'case', 'new', 'delete']);

function functionPattern(name: string, flags = 'm'): RegExp {
  return new RegExp(FUNCTION_START.replaceAll('NAME', name), flags);
}

/** A definition's first line inside a class body (indented). */
function memberPattern(name: string): RegExp {
  return new RegExp(FUNCTION_START.replace('^', '^[ \t]+').replaceAll('NAME', name), 'm');
}

/**
 * A method in a reply: out of class (`long Cart::total() const {`, `long shop::Cart::total(`), inside a copy of its class
 * (`class Cart {` … an indented `long total() const {`), or alone (`long total() const {` at column 0).
 */
function definesMethod(code: string, className: string, methodName: string): boolean {
  const cls = escapeRegExp(className.split('::').at(-1) ?? className);
  const name = escapeRegExp(methodName);
  if (functionPattern(`(?:[A-Za-z_]\\w*[ \t]*::[ \t]*)*${cls}[ \t]*::[ \t]*${name}`).test(code)) return true;
  if (new RegExp(`\\b(?:class|struct|union)[ \t]+${cls}\\b[^;{]*\\{`).test(code) && memberPattern(name).test(code)) return true;
  return functionPattern(name).test(code);
}

function methodReplyRule(className: string, methodName: string): string {
  const cls = className.split('::').at(-1) ?? className;
  return [
    `Reply with the method \`${cls}::${methodName}\` as a C++ definition, either out of class (\`R ${cls}::${methodName}(…) {…}\`) or`,
    `inside a copy of its class (\`class ${cls} { … R ${methodName}(…) {…} … };\`; members you leave out stay as they are). Keep its`,
    `qualifiers (\`const\`, \`static\`, \`noexcept\`). Do not add, remove or change any other member of \`${cls}\`: the class is shared`,
    'with the original. Put helpers in new free functions (which cannot reach its private members) or in lambdas.',
    `Calls of \`${methodName}\` inside the method run your version, recursion included.`,
  ].join(' ');
}

function methodGeneratorNote(className: string, methodName: string, isStatic: boolean): string {
  if (isStatic) {
    return `\`${className}::${methodName}\` is a static method: \`in.add(...)\` takes only its own arguments, no object.`;
  }
  return [
    `\`${className}::${methodName}\` is a method: the first argument of every \`in.add(...)\` is the object it is called on, a`,
    `\`${className}\` (build it as the class allows: \`${className}{...}\` for an aggregate, a constructor, or a local object set up`,
    `by calls before \`in.add(object, ...)\`), then the method's own arguments. The class is in scope: write its namespace.`,
    'When the method changes the object, the object after the call is compared too.',
  ].join(' ');
}

function topLevelFunctions(code: string): string[] {
  const names: string[] = [];
  for (const m of code.matchAll(functionPattern(`(${IDENTIFIER})`, 'gm'))) {
    const name = m[1];
    if (name && !NOT_NAMES.has(name)) names.push(name);
  }
  return names;
}

const SUPPORT = /^(?:#[ \t]*(?:include|define)\b|(?:typedef|struct|class|union|enum|namespace|template|using)\b|(?:static[ \t]+)?(?:const(?:expr)?[ \t]+)?[A-Za-z_][\w:<>, \t*&]*[ \t*&]+[A-Za-z_]\w*[ \t]*(?:\(|=|\[|;))/m;
const CODE_START = /^(?:#[ \t]*(?:include|define|pragma|if|ifdef|ifndef)\b|(?:typedef|struct|class|union|enum|namespace|template|using|static|inline|constexpr|extern|const|unsigned|signed|void|int|long|short|char|bool|float|double|size_t|auto|std::)\b)/;
const CODE_CONTINUATION = /^(?:[ \t]|\/\/|\/\*|\*|[)\]}]|#|(?:typedef|struct|class|union|enum|namespace|template|using|static|inline|constexpr|extern|const|unsigned|signed|void|int|long|short|char|bool|float|double|size_t|auto|std::)\b|[A-Za-z_][\w:<>, *&]*[ \t*&]+[A-Za-z_]\w*[ \t]*\()/;

/** What the generator prompt must say on top of the signatures: the generator fills a harness object, it returns nothing. */
const GENERATOR_NOTES = [
  'The module is C++17 (whatever the function\'s language) and is compiled together with the function\'s declarations, so',
  'its types are in scope. Add one input per call of `in.add(arg1, arg2, ...)`, one argument per parameter in order.',
  'Pointer parameters take a `std::vector` of the pointee (`const int *a` → `std::vector<int>{...}`) and `char *` / `const char *`',
  'take a `std::string`; the harness passes `.data()`. Braced lists work: `in.add({3, 1, 2}, 3)`. Define only these functions',
  '(no `main`), include the standard headers you use, and keep the inputs consistent with the function\'s contract (a length',
  'parameter must match its array). For a function template, pass typed values (`std::vector<int>{3, 1, 2}`) in every',
  '`in.add(...)`, not braced lists: the template\'s arguments are deduced from them.',
].join('\n');

function descriptor(name: string, fenceTag: string, fenceTags: string[], standardLibrary: string): LanguageDescriptor {
  return {
    // C functions get C++ generators too: the harness is C++ whatever the function's language.
    generatorLanguage: 'cpp',
    name,
    fenceTag,
    fenceTags: new Set(fenceTags),
    standardLibrary,
    correctnessGenerator: 'void correctness_inputs(perfloop::Inputs& in) { /* in.add(...) per input */ }',
    sizedGenerator: 'void sized_input(std::size_t n, perfloop::Inputs& in) { /* one in.add(...) of size n */ }',
    seededRandom: 'std::mt19937_64 rng(n) with std::uniform_int_distribution',
    generatorNotes: GENERATOR_NOTES,
    topLevelFunctions,
    definesFunction: (code, fn) => functionPattern(escapeRegExp(fn.split('::').pop() ?? fn)).test(code),
    definesSupport: (code) => SUPPORT.test(code),
    looksLikeUsageExample: (code, functionName) =>
      /^(?:int|void)[ \t]+main[ \t]*\(/m.test(code) ||
      /^(?:printf|std::cout|assert)\b/m.test(code) ||
      new RegExp(`^[ \\t]*(?:printf|std::cout|assert)\\b.*\\b${escapeRegExp(functionName)}[ \\t]*\\(`, 'm').test(code),
    codeStartLine: CODE_START,
    codeContinuationLine: CODE_CONTINUATION,
    generatorFunctions: ['correctness_inputs', 'sized_input'],
    definesMethod,
    methodReplyRule,
    methodGeneratorNote,
  };
}

export const cLanguage: LanguageDescriptor = descriptor('C', 'c', ['c', 'h', 'c99', 'c11', 'c17'], 'the C standard library');
export const cppLanguage: LanguageDescriptor = descriptor(
  'C++',
  'cpp',
  ['cpp', 'c++', 'cxx', 'cc', 'hpp', 'h++', 'hh'],
  'the C++ standard library (and the C library)',
);
