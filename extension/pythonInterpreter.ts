/**
 * Which Python runs the user's code: the `perfloop.pythonPath` setting, else the interpreter selected in the Python
 * extension (when it is installed), else python3 on PATH (the runner's default).
 */
import * as vscode from 'vscode';
import type { Config } from './config.js';

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(path: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

export async function pythonInterpreterFor(config: Config, resource: vscode.Uri, log: vscode.LogOutputChannel): Promise<string | undefined> {
  if (config.pythonPath) return config.pythonPath;
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!extension) return undefined;
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const active = api.environments?.getActiveEnvironmentPath(resource);
    if (!active) return undefined;
    const resolved = await api.environments?.resolveEnvironment(active);
    const executable = resolved?.executable?.uri?.fsPath;
    if (executable) log.info(`Using the Python extension's interpreter: ${executable}`);
    return executable;
  } catch (error) {
    log.warn(`The Python extension did not tell its interpreter (${(error as Error).message}); using python3 on PATH.`);
    return undefined;
  }
}
