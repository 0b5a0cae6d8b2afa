/**
 * Which module-level statements a function needs, whatever the language: those binding a name it uses, closed over the
 * names those statements use in turn, plus the ones the language always keeps.
 */

/** A module-level statement as the walk sees it. */
export interface ModuleStatement {
  /** Names the statement binds at module level. */
  binds: ReadonlySet<string>;
  /** Identifiers the statement reads (over-approximated: every identifier inside it). */
  uses: ReadonlySet<string>;
}

/** The statements the function needs, in module order, closed over what those statements need in turn. */
export function neededDefinitions<S extends ModuleStatement>(
  statements: readonly S[],
  functionUses: ReadonlySet<string>,
  functionName: string,
  alwaysKeep: (statement: S) => boolean,
): S[] {
  const needed = new Set<S>(statements.filter(alwaysKeep));
  const pending = [...functionUses];
  const seen = new Set<string>([functionName]);
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const statement of statements) {
      if (!needed.has(statement) && statement.binds.has(name)) {
        needed.add(statement);
        for (const used of statement.uses) if (!seen.has(used)) pending.push(used);
      }
    }
  }
  return statements.filter((s) => needed.has(s));
}
