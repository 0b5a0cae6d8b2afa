/** Which runner handles a file. Adding a language means adding a runner here, never touching optimizer/. */
import { extname } from 'node:path';
import { javascriptLanguage, typescriptLanguage } from './javascript/javascriptLanguage.js';
import { JavaScriptRunner, type JavaScriptRunnerOptions } from './javascript/javascriptRunner.js';
import { languageDescriptor } from './languages.js';
import { NativeRunner, type NativeRunnerOptions } from './native/nativeRunner.js';
import { dialectForFile } from './native/nativeTarget.js';
import { PythonRunner, type PythonRunnerOptions } from './python/pythonRunner.js';
import { RunnerError, type LanguageRunner } from './runner.js';

export interface RunnerOptions {
  python?: PythonRunnerOptions;
  javascript?: JavaScriptRunnerOptions;
  native?: NativeRunnerOptions;
}

const SUPPORTED = ['.py', '.js', '.mjs', '.ts', '.mts', '.c', '.h', '.cpp', '.cc', '.cxx', '.hpp', '.hh'];
const NATIVE = new Set(['.c', '.h', '.cpp', '.cc', '.cxx', '.c++', '.hpp', '.hh', '.hxx']);

/** `fileText` tells C from C++ in a `.h` file. */
export function runnerForFile(filePath: string, options: RunnerOptions = {}, fileText?: string): LanguageRunner {
  const extension = extname(filePath).toLowerCase();
  if (extension === '.py' || extension === '.pyw') return new PythonRunner(options.python ?? {});
  if (extension === '.js' || extension === '.mjs') return new JavaScriptRunner({ ...options.javascript, dialect: 'javascript' });
  if (extension === '.ts' || extension === '.mts') return new JavaScriptRunner({ ...options.javascript, dialect: 'typescript' });
  if (NATIVE.has(extension)) return new NativeRunner({ ...options.native, dialect: dialectForFile(filePath, fileText) });
  throw new RunnerError(`Perfloop cannot optimize ${extension || 'extensionless'} files yet (supported: ${SUPPORTED.join(', ')}).`);
}

/** Extensions a workload module (input generator) may have, in any language. */
export const WORKLOAD_MODULE_EXTENSIONS = [
  ...new Set(['.py', ...(javascriptLanguage.inputsModuleExtensions ?? []), ...(typescriptLanguage.inputsModuleExtensions ?? []), '.cpp', '.cc', '.cxx']),
];

/**
 * The extensions a workload module next to `sourcePath` may have: those its language's descriptor declares, else its
 * own; C++ for C and C++ code.
 */
export function workloadModuleExtensionsFor(sourcePath: string): string[] {
  const extension = extname(sourcePath);
  if (NATIVE.has(extension.toLowerCase())) return [...new Set([extension, '.cpp'])].filter((e) => e !== '.c' && e !== '.h');
  let declared: readonly string[] | undefined;
  try {
    declared = languageDescriptor(runnerForFile(sourcePath).language).inputsModuleExtensions;
  } catch {
    declared = undefined; // not a language Perfloop runs
  }
  // The source's own extension first: `x.perfloop.ts` wins over `x.perfloop.js` next to `x.ts`.
  return [...new Set([extension, ...(declared ?? [])])];
}
