/** Which runner handles a file. Adding a language means adding a runner here, never touching optimizer/. */
import { extname } from 'node:path';
import { JavaScriptRunner, type JavaScriptRunnerOptions } from './javascript/javascriptRunner.js';
import { PythonRunner, type PythonRunnerOptions } from './python/pythonRunner.js';
import { RunnerError, type LanguageRunner } from './runner.js';

export interface RunnerOptions {
  python?: PythonRunnerOptions;
  javascript?: JavaScriptRunnerOptions;
}

const SUPPORTED = ['.py', '.js', '.mjs', '.ts', '.mts'];

export function runnerForFile(filePath: string, options: RunnerOptions = {}): LanguageRunner {
  const extension = extname(filePath).toLowerCase();
  if (extension === '.py' || extension === '.pyw') return new PythonRunner(options.python ?? {});
  if (extension === '.js' || extension === '.mjs') return new JavaScriptRunner({ ...options.javascript, dialect: 'javascript' });
  if (extension === '.ts' || extension === '.mts') return new JavaScriptRunner({ ...options.javascript, dialect: 'typescript' });
  throw new RunnerError(`Perfloop cannot optimize ${extension || 'extensionless'} files yet (supported: ${SUPPORTED.join(', ')}).`);
}
