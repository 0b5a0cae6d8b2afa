/**
 * The file that a diff, as the report panel shows it, says Apply writes: the original with the diff's removed lines
 * taken out and its added lines put in, every other line kept byte for byte. Each context and removed line is checked
 * against the original at its line number, so a diff of some other text fails here instead of passing by accident.
 * Pure, so the extension-host suite (rows from the panel's own diff model) and the UI tests (rows read off the panel)
 * share it.
 */

/** One row of the panel's diff (webview-ui/src/model/diffModel.ts): line numbers are 1-based, absent on the other side. */
export interface ShownDiffRow {
  kind: 'context' | 'added' | 'removed' | 'gap';
  oldLine?: number;
  newLine?: number;
  text: string;
}

export function fileAfterDiff(original: string, rows: readonly ShownDiffRow[]): string {
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const endsWithEol = original.endsWith(eol);
  const lines = (endsWithEol ? original.slice(0, -eol.length) : original).split(eol);
  const out: string[] = [];
  let next = 1; // the first line of the original not yet copied or dropped
  const copyUntil = (done: () => boolean): void => {
    while (!done()) {
      if (next > lines.length) throw new Error(`the diff goes past the end of the original (${lines.length} lines)`);
      out.push(lines[next - 1] ?? '');
      next++;
    }
  };
  for (const row of rows) {
    if (row.kind === 'gap') continue;
    if (row.kind === 'added') {
      if (row.newLine !== undefined) copyUntil(() => out.length + 1 >= (row.newLine ?? 0));
      if (row.newLine !== undefined && row.newLine !== out.length + 1) throw new Error(`added line ${row.newLine} lands at line ${out.length + 1}`);
      out.push(row.text);
      continue;
    }
    const at = row.oldLine;
    if (at === undefined) throw new Error(`a ${row.kind} row without its line number in the original`);
    copyUntil(() => next >= at);
    if (next !== at) throw new Error(`the diff's rows are out of order at line ${at}`);
    if (lines[at - 1] !== row.text) throw new Error(`line ${at} of the original reads ${JSON.stringify(lines[at - 1])}; the diff shows ${JSON.stringify(row.text)}`);
    if (row.kind === 'context') {
      out.push(row.text);
      if (row.newLine !== undefined && row.newLine !== out.length) throw new Error(`context line ${at} shown as line ${row.newLine}, lands at ${out.length}`);
    }
    next = at + 1;
  }
  copyUntil(() => next > lines.length);
  return out.join(eol) + (endsWithEol ? eol : '');
}
