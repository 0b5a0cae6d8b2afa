/**
 * What the language-neutral optimizer needs to know about one language: how its code looks in an LLM reply (fences,
 * function definitions) and how to word its prompts. One descriptor per runner; adding a language adds one here.
 */
import type { LanguageId } from './runner.js';

export interface LanguageDescriptor {
  /** Display name, e.g. "Python". */
  name: string;
  /** The tag the prompts ask for (```python). */
  fenceTag: string;
  /** Every tag a reply may use for this language. */
  fenceTags: ReadonlySet<string>;
  /** How prompts name the allowed library, e.g. "the Python standard library". */
  standardLibrary: string;
  /** Signatures the input-generator prompt asks for. */
  correctnessGenerator: string;
  sizedGenerator: string;
  /** How to get a seeded random generator in this language, for the generator prompt. */
  seededRandom: string;
  /** Names of the functions defined at the top level. */
  topLevelFunctions(code: string): string[];
  definesFunction(code: string, name: string): boolean;
  /** Something a candidate may need besides the function: a helper, class, import or constant. */
  definesSupport(code: string): boolean;
  /** Demo code (calls, prints, doctests) that must not be merged into a candidate module. */
  looksLikeUsageExample(code: string, functionName: string): boolean;
  /** A line where code starts in a reply without fences. */
  codeStartLine: RegExp;
  /** A line that continues code at column 0 (so fence-less code does not swallow the prose after it). */
  codeContinuationLine: RegExp;
  /** Functions an input-generator module must define. */
  generatorFunctions: readonly string[];
  /** What the generator prompt must add to the signatures (how inputs are handed over, when that is not by returning them). */
  generatorNotes?: string;
  /** The language input generators are written in, when it is not this one (C functions get C++ generators). */
  generatorLanguage?: LanguageId;
  /**
   * The extensions an inputs module (`<stem>.perfloop.<ext>` next to the code, or --inputs) may have, when the harness
   * loads more than the source file's own extension (JavaScript and TypeScript share one harness: any of theirs).
   */
  inputsModuleExtensions?: readonly string[];
  /**
   * Method targets. Whether reply code defines the method: inside its class (`class Cart { total() {…} }`), bare, or
   * (C++) out of class as `Cart::total`. Languages without methods leave these out.
   */
  definesMethod?(code: string, className: string, methodName: string): boolean;
  /** The optimize prompt's rule for replying with a method: which form, what may be added (helper methods?), what not. */
  methodReplyRule?(className: string, methodName: string): string;
  /** The generator prompt's note on a method target: how a module gets the class and builds receivers. */
  methodGeneratorNote?(className: string, methodName: string, isStatic: boolean): string;
  /**
   * The likely cause of an exception the original raised on every input, in words the user can act on ("a file the
   * function reads is not visible: …"), when the exception says something this language's runs make likely.
   */
  likelyCauseOfFailure?(type: string, message: string): string | undefined;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
