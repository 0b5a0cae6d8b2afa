/**
 * Where a user's file does not parse, said the way compilers say it: `path:line: syntax error: expected `)``, so that
 * editors and terminals link to the line. tree-sitter recovers from errors, so without this check a broken function
 * or helper would reach the sandbox and come back as a generic failure of the run.
 */
import { isAbsolute, relative } from 'node:path';
import type { Node } from 'web-tree-sitter';
import { RunnerError } from './runner.js';

export interface SyntaxErrorSite {
  /** 1-based. */
  line: number;
  /** e.g. "expected `)`", "unexpected `+ ;`". */
  detail: string;
}

/** The first error under `node` in source order: a token tree-sitter had to invent (MISSING) or text it skipped (ERROR). */
export function firstSyntaxError(node: Node): SyntaxErrorSite | undefined {
  if (!node.hasError && !node.isMissing) return undefined;
  if (node.isMissing) return { line: node.startPosition.row + 1, detail: `expected \`${node.type}\`` };
  if (node.type === 'ERROR') {
    const text = node.text.split('\n')[0]?.trim() ?? '';
    return { line: node.startPosition.row + 1, detail: text ? `unexpected \`${text.length > 40 ? `${text.slice(0, 40)}…` : text}\`` : 'unexpected input' };
  }
  for (const child of node.children) {
    const found = child ? firstSyntaxError(child) : undefined;
    if (found) return found;
  }
  return undefined;
}

/**
 * Throws a RunnerError naming the first syntax error among `nodes` (the target, then what it needs), if any. `subject`
 * says what the error is in, e.g. "`slow`" or "`helper`, which `slow` uses".
 */
export function assertParses(filePath: string, parts: readonly { node: Node; subject: string }[]): void {
  for (const { node, subject } of parts) {
    const error = firstSyntaxError(node);
    if (error) throw new RunnerError(`${displayPath(filePath)}:${error.line}: syntax error in ${subject}: ${error.detail}; fix it first.`);
  }
}

/** Relative to the working directory when the file is under it (as the user typed it, usually), else as given. */
function displayPath(filePath: string): string {
  const fromHere = relative(process.cwd(), filePath);
  return fromHere && !fromHere.startsWith('..') && !isAbsolute(fromHere) ? fromHere : filePath;
}
