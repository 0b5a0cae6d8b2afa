/**
 * Per-line instruction counts from a cachegrind output file (`--cachegrind-out-file`). The format: `fl=FILE` and
 * `fn=NAME` set the current file and function; `LINE COUNT...` lines give the events of one source line, the first
 * being Ir (instructions) when the run used `--cache-sim=no`. Lines of the same file from several functions (inlined
 * helpers land in the caller) are summed.
 */
export function cachegrindLineCounts(text: string, wantedFile: (file: string) => boolean): Map<number, number> {
  const counts = new Map<number, number>();
  let inWanted = false;
  let irColumn = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('events:')) {
      const events = line.slice('events:'.length).trim().split(/\s+/);
      irColumn = Math.max(0, events.indexOf('Ir'));
      continue;
    }
    if (line.startsWith('fl=')) {
      inWanted = wantedFile(line.slice(3));
      continue;
    }
    if (!inWanted || !/^\d/.test(line)) continue;
    const fields = line.trim().split(/\s+/);
    const lineNumber = Number(fields[0]);
    const ir = Number(fields[1 + irColumn] ?? 0);
    if (Number.isFinite(lineNumber) && Number.isFinite(ir)) counts.set(lineNumber, (counts.get(lineNumber) ?? 0) + ir);
  }
  return counts;
}
