/**
 * Where the functions of a document are, kept up to date incrementally: one tree-sitter tree per document, edited with
 * each change and re-parsed from the old tree, so a keystroke in a 10,000-line file costs a small re-parse, not a full
 * one. Plain TypeScript (no `vscode`): the CodeLens provider feeds it the editor's changes.
 */
import type { Edit, Node, Parser, Tree } from 'web-tree-sitter';
import { createParser, type GrammarName } from '../../profilers/treeSitter.js';

export interface FunctionLocation {
  name: string;
  /** `Class.method` for methods. */
  qualifiedName: string;
  kind: 'function' | 'method';
  /** 0-based line of the `def` (or of its first decorator) and of the function's last line. */
  startLine: number;
  endLine: number;
  /** 0-based line of the `def` keyword itself, where a lens reads naturally. */
  defLine: number;
}

/** A text change in the editor's terms: offsets and lines in UTF-16 code units, as VS Code reports them. */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

interface Entry {
  /** The document version the tree describes (after any edits applied to it). */
  version: number;
  tree: Tree;
  /** Undefined after edits: the tree is edited but not re-parsed yet. */
  functions?: FunctionLocation[];
}

function endPosition(start: { line: number; character: number }, text: string): { row: number; column: number } {
  const lines = text.split('\n');
  if (lines.length === 1) return { row: start.line, column: start.character + text.length };
  return { row: start.line + lines.length - 1, column: (lines[lines.length - 1] ?? '').length };
}

function toEdit(change: TextChange): Edit {
  return {
    startIndex: change.rangeOffset,
    oldEndIndex: change.rangeOffset + change.rangeLength,
    newEndIndex: change.rangeOffset + change.text.length,
    startPosition: { row: change.range.start.line, column: change.range.start.character },
    oldEndPosition: { row: change.range.end.line, column: change.range.end.character },
    newEndPosition: endPosition(change.range.start, change.text),
  } as Edit;
}

function collectPythonFunctions(root: Node): FunctionLocation[] {
  const found: FunctionLocation[] = [];
  const visit = (container: Node, className: string | undefined): void => {
    for (const child of container.namedChildren) {
      if (!child) continue;
      const definition = child.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
      if (!definition) continue;
      const name = definition.childForFieldName('name')?.text;
      if (!name) continue;
      if (definition.type === 'function_definition') {
        found.push({
          name,
          qualifiedName: className ? `${className}.${name}` : name,
          kind: className ? 'method' : 'function',
          startLine: child.startPosition.row,
          endLine: child.endPosition.row,
          defLine: definition.startPosition.row,
        });
      } else if (definition.type === 'class_definition' && !className) {
        const body = definition.childForFieldName('body');
        if (body) visit(body, name);
      }
    }
  };
  visit(root, undefined);
  return found;
}

/** The function a JS/TS top-level statement defines: `function f`, or `const f = (…) => …` / `= function …`. */
function jsDefinition(statement: Node): { name: string; defLine: number } | undefined {
  const inner = statement.type === 'export_statement' ? (statement.childForFieldName('declaration') ?? statement.namedChildren[0] ?? statement) : statement;
  if (inner.type === 'function_declaration' || inner.type === 'generator_function_declaration') {
    const name = inner.childForFieldName('name')?.text;
    return name ? { name, defLine: inner.startPosition.row } : undefined;
  }
  if (inner.type === 'lexical_declaration' || inner.type === 'variable_declaration') {
    const declarators = inner.namedChildren.filter((c) => c?.type === 'variable_declarator');
    if (declarators.length !== 1) return undefined;
    const value = declarators[0]?.childForFieldName('value');
    const name = declarators[0]?.childForFieldName('name');
    if (name?.type === 'identifier' && value && ['arrow_function', 'function_expression', 'function'].includes(value.type)) {
      return { name: name.text, defLine: inner.startPosition.row };
    }
  }
  return undefined;
}

function collectJavaScriptFunctions(root: Node): FunctionLocation[] {
  const found: FunctionLocation[] = [];
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    const definition = jsDefinition(statement);
    if (definition) {
      found.push({
        name: definition.name,
        qualifiedName: definition.name,
        kind: 'function',
        startLine: statement.startPosition.row,
        endLine: statement.endPosition.row,
        defLine: statement.startPosition.row,
      });
    }
  }
  return found;
}

function collectFunctions(grammar: GrammarName, root: Node): FunctionLocation[] {
  return grammar === 'python' ? collectPythonFunctions(root) : collectJavaScriptFunctions(root);
}

export class FunctionIndex {
  private readonly entries = new Map<string, Entry>();
  private parser: Promise<Parser> | undefined;

  constructor(private readonly grammar: GrammarName = 'python') {}

  private getParser(): Promise<Parser> {
    this.parser ??= createParser(this.grammar);
    return this.parser;
  }

  /**
   * Applies one change event of the editor (taking the document from `fromVersion` to `toVersion`) to the document's
   * tree; the next `functions` call then re-parses incrementally. An event that does not follow on from the tree's
   * version is ignored: that tree is then re-parsed from scratch.
   */
  applyChanges(key: string, changes: readonly TextChange[], fromVersion: number, toVersion: number): void {
    const entry = this.entries.get(key);
    if (!entry || entry.version !== fromVersion) return;
    // Within one event, apply from the end of the document backwards so the earlier offsets stay valid.
    for (const change of [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset)) entry.tree.edit(toEdit(change));
    delete entry.functions;
    entry.version = toVersion;
  }

  async functions(key: string, version: number, text: string): Promise<FunctionLocation[]> {
    const entry = this.entries.get(key);
    if (entry && entry.version === version && entry.functions) return entry.functions;
    const parser = await this.getParser();
    // Reuse the old tree only when it was edited up to exactly this version; otherwise it would mislead the parser.
    const oldTree = entry && entry.version === version ? entry.tree : null;
    const tree = parser.parse(text, oldTree);
    if (!tree) return [];
    entry?.tree.delete();
    const functions = collectFunctions(this.grammar, tree.rootNode);
    this.entries.set(key, { version, tree, functions });
    return functions;
  }

  forget(key: string): void {
    this.entries.get(key)?.tree.delete();
    this.entries.delete(key);
  }

  dispose(): void {
    for (const key of [...this.entries.keys()]) this.forget(key);
  }
}
