/** Which runner handles a file. Adding a language means adding a runner here, never touching optimizer/. */
import { extname } from 'node:path';
import { PythonRunner, type PythonRunnerOptions } from './python/pythonRunner.js';
import { RunnerError, type LanguageRunner } from './runner.js';

export interface RunnerOptions {
  python?: PythonRunnerOptions;
}

const SUPPORTED = ['.py'];

export function runnerForFile(filePath: string, options: RunnerOptions = {}): LanguageRunner {
  const extension = extname(filePath).toLowerCase();
  if (extension === '.py' || extension === '.pyw') return new PythonRunner(options.python ?? {});
  throw new RunnerError(`Perfloop cannot optimize ${extension || 'extensionless'} files yet (supported: ${SUPPORTED.join(', ')}).`);
}
