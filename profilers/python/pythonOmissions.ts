/**
 * Replies often restate a function without the parts that do not matter to the model: its decorators, `async`, its
 * docstring. Left out is not taken out: those parts of the original are put back into the reply's function before it is
 * built or applied, so the measured program and the file Apply writes both keep them. A reply that writes its own
 * docstring (or its own decorators) keeps its own: that change is on purpose.
 */
import type { Node } from 'web-tree-sitter';
import { indentationAt } from '../sourceText.js';

interface Insertion {
  at: number;
  text: string;
}

/** The function_definition under an optional decorated_definition. */
function definitionOf(outer: Node): Node | null {
  return outer.type === 'decorated_definition' ? outer.childForFieldName('definition') : outer;
}

/** The body's leading string statement, when it has one. */
function docstringOf(definition: Node): Node | undefined {
  const first = definition.childForFieldName('body')?.namedChildren[0];
  const only = first?.type === 'expression_statement' && first.namedChildCount === 1 ? first.namedChildren[0] : null;
  return first && only?.type === 'string' ? first : undefined;
}

const isAsync = (definition: Node): boolean => definition.children[0]?.type === 'async';

/**
 * `replyCode` with what `original` has and `replyFunction` (a function in `replyCode`) lacks put back.
 * `originalText` is the text `original` was parsed from.
 */
export function restoreOmittedParts(replyCode: string, replyFunction: Node, original: Node, originalText: string): string {
  const replyDefinition = definitionOf(replyFunction);
  const originalDefinition = definitionOf(original);
  if (!replyDefinition || !originalDefinition) return replyCode;
  const insertions: Insertion[] = [];

  const docstring = docstringOf(originalDefinition);
  const replyFirst = replyDefinition.childForFieldName('body')?.namedChildren[0];
  if (docstring && !docstringOf(replyDefinition) && replyFirst && replyFirst.startPosition.row > replyDefinition.startPosition.row) {
    const indent = indentationAt(replyCode, replyFirst.startIndex);
    insertions.push({ at: replyFirst.startIndex, text: `${reindentFollowingLines(docstring.text, indentationAt(originalText, docstring.startIndex), indent)}\n${indent}` });
  }
  if (isAsync(originalDefinition) && !isAsync(replyDefinition)) insertions.push({ at: replyDefinition.startIndex, text: 'async ' });
  if (original.type === 'decorated_definition' && replyFunction.type !== 'decorated_definition') {
    const indent = indentationAt(replyCode, replyFunction.startIndex);
    const decorators = original.namedChildren.filter((c): c is Node => c?.type === 'decorator').map((d) => `${d.text}\n${indent}`);
    insertions.push({ at: replyFunction.startIndex, text: decorators.join('') });
  }
  // From the end, so earlier offsets stay valid; at one offset `async` goes in before the decorators land above it.
  let code = replyCode;
  for (const insertion of insertions.sort((a, b) => b.at - a.at)) code = code.slice(0, insertion.at) + insertion.text + code.slice(insertion.at);
  return code;
}

/** A multi-line docstring moved from one indentation to another keeps its shape. */
function reindentFollowingLines(text: string, from: string, to: string): string {
  if (from === to) return text;
  return text
    .split('\n')
    .map((line, i) => (i > 0 && line.startsWith(from) ? to + line.slice(from.length) : line))
    .join('\n');
}
