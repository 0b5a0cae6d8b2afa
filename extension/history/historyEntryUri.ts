/** The document a history entry is about: entries store an absolute path, or a URI string for non-file documents. */
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';

/** Two or more characters before the colon, so a Windows drive letter ("C:") is not mistaken for a scheme. */
const URI_WITH_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]+:/;

export function historyEntryUri(file: string): vscode.Uri {
  if (isAbsolute(file) || !URI_WITH_SCHEME.test(file)) return vscode.Uri.file(file);
  return vscode.Uri.parse(file, true);
}
