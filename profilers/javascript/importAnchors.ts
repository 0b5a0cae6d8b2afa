/**
 * Program modules are copies in the work directory whose imports must resolve as from the user's file. The resolution
 * hooks (harness/resolveHooks.mjs) do that for any import, but on a loader thread of their own, whose interplay with
 * the main thread moves instruction counts. So count runs rewrite the specifiers in the text instead, where that is
 * exact: Node resolves a relative specifier to `new URL(specifier, parent)` whatever the rest of the file system
 * holds, and builtins and absolute URLs to themselves. A package name or `#import` depends on the package.json files
 * above the parent and is left to the hooks, as are computed dynamic imports and `import.meta.resolve`.
 */
import { builtinModules } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Node } from 'web-tree-sitter';
import { parse } from './javascriptSyntax.js';
import { redirectKey } from './projectImports.js';

const BUILTINS = new Set(builtinModules);
/** `import.meta` properties that resolve nothing. */
const INERT_META = new Set(['url', 'dirname', 'filename']);

/** Node's test for a path-like specifier (resolve.js, shouldBeTreatedAsRelativeOrAbsolutePath). */
const PATH_SPECIFIER = /^(?:\/|\.\.?(?:\/|$))/;

function isAbsoluteUrl(specifier: string): boolean {
  try {
    new URL(specifier);
    return true;
  } catch {
    return false;
  }
}

/**
 * `specifier` as it resolves when imported from `parentUrl`, written so that it resolves alike from anywhere; undefined
 * when only Node's package resolution can tell.
 */
export function anchoredSpecifier(specifier: string, parentUrl: string, redirects?: ReadonlyMap<string, string>): string | undefined {
  const redirected = redirects?.get(redirectKey(parentUrl, specifier));
  if (redirected !== undefined) return redirected;
  if (PATH_SPECIFIER.test(specifier)) return new URL(specifier, parentUrl).href;
  if (specifier.startsWith('#')) return undefined;
  if (isAbsoluteUrl(specifier) || BUILTINS.has(specifier)) return specifier;
  return undefined;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The edit that anchors one specifier literal, or undefined when it cannot be anchored (escapes, package names). */
function anchorLiteral(literal: Node | null | undefined, parentUrl: string, redirects?: ReadonlyMap<string, string>): Edit | undefined {
  if (literal?.type !== 'string' || literal.namedChildren.some((c) => c?.type !== 'string_fragment')) return undefined;
  const anchored = anchoredSpecifier(literal.text.slice(1, -1), parentUrl, redirects);
  return anchored === undefined ? undefined : { start: literal.startIndex, end: literal.endIndex, text: JSON.stringify(anchored) };
}

/** The edit for an `import` keyword outside import statements: `import(...)` or `import.meta`; null: nothing to do. */
function anchorImportExpression(keyword: Node, parentUrl: string, redirects?: ReadonlyMap<string, string>): Edit | null | undefined {
  const parent = keyword.parent;
  if (parent?.type === 'call_expression') return anchorLiteral(parent.childForFieldName('arguments')?.namedChildren[0], parentUrl, redirects);
  if (parent?.type === 'member_expression' && parent.childForFieldName('property')?.text === 'meta') {
    const property = parent.parent?.type === 'member_expression' ? parent.parent.childForFieldName('property')?.text : undefined;
    return property !== undefined && INERT_META.has(property) ? null : undefined;
  }
  return undefined;
}

/**
 * `source` (JavaScript) with every module specifier resolved from `parentFile` (or redirected: projectImports.ts), so it
 * loads from any directory without the resolution hooks; undefined when some import needs them.
 */
export async function anchorImports(source: string, parentFile: string, redirects?: ReadonlyMap<string, string>): Promise<string | undefined> {
  const root = (await parse(source, 'javascript')).rootNode;
  if (root.hasError) return undefined;
  const parentUrl = pathToFileURL(parentFile).href;
  const edits: Edit[] = [];
  for (const node of root.descendantsOfType(['import_statement', 'export_statement', 'import'])) {
    if (!node) continue;
    if (node.type === 'import') {
      // The keyword itself (in statements, and inside the named `import` of an expression) is an unnamed token.
      if (!node.isNamed) continue;
      const edit = anchorImportExpression(node, parentUrl, redirects);
      if (edit === undefined) return undefined;
      if (edit) edits.push(edit);
      continue;
    }
    const literal = node.childForFieldName('source');
    if (node.type === 'export_statement' && !literal) continue;
    const edit = anchorLiteral(literal, parentUrl, redirects);
    if (!edit) return undefined;
    edits.push(edit);
  }
  let anchored = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) anchored = anchored.slice(0, edit.start) + edit.text + anchored.slice(edit.end);
  return anchored;
}
