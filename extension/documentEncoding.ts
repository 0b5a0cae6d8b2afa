/**
 * VS Code decodes a file by its own settings (UTF-8 unless told otherwise); it does not read Python's
 * `# -*- coding: latin-1 -*-`. A latin-1 file opened as UTF-8 shows “caf�”, and an edit saved from there writes the
 * replacement character over the original byte. Before Perfloop reads a document for a run or applies to it, a document
 * without unsaved changes is reopened in the encoding Perfloop's reader finds in the file's bytes (profilers/sourceFile.ts),
 * so extraction sees “café” and a save writes the other bytes back as they were.
 */
import * as vscode from 'vscode';
import { readSourceFile } from '../profilers/sourceFile.js';

/** The encodings VS Code can reopen a document in (TextDocument.encoding), as the reader names them. */
const VSCODE_SINGLE_BYTE = new Set([
  'windows1252', 'iso88591', 'iso88593', 'iso885915', 'macroman', 'cp437', 'windows1256', 'iso88596', 'windows1257', 'iso88594',
  'iso885914', 'windows1250', 'iso88592', 'cp852', 'windows1251', 'cp866', 'cp1125', 'iso88595', 'koi8r', 'koi8u', 'iso885913',
  'windows1253', 'iso88597', 'windows1255', 'iso88598', 'iso885910', 'iso885916', 'windows1254', 'iso88599', 'windows1258',
  'windows874', 'iso885911', 'koi8ru', 'koi8t', 'cp865', 'cp850',
]);

function vscodeEncoding(readerEncoding: string): string | undefined {
  if (readerEncoding === 'latin1') return 'iso88591';
  const id = readerEncoding.toLowerCase().replace(/[-_]/g, '').replace(/^cp(125\d)$/, 'windows$1');
  return VSCODE_SINGLE_BYTE.has(id) ? id : undefined;
}

export async function inFileEncoding(document: vscode.TextDocument): Promise<vscode.TextDocument> {
  if (document.uri.scheme !== 'file' || document.isDirty) return document;
  let encoding: string;
  try {
    encoding = readSourceFile(document.uri.fsPath).format.encoding;
  } catch {
    return document; // unreadable or an encoding Perfloop does not read: VS Code's reading stands
  }
  // A valid UTF-8 file is VS Code's to read (its BOM handling included).
  const wanted = encoding === 'utf8' ? undefined : vscodeEncoding(encoding);
  if (!wanted || document.encoding === wanted) return document;
  return vscode.workspace.openTextDocument(document.uri, { encoding: wanted });
}
