/**
 * Inclusive instructions per line from a callgrind output file (`--compress-strings=no --compress-pos=no`): a line's
 * own instructions plus everything the calls it makes cost (`calls=` is followed by the call's inclusive cost on the
 * calling line). So `s = s + w` is charged with the copying std::string does for it, not only with the call
 * instructions. Direct recursion is not added again (it would count the same lines twice). `fi=`/`fe=` (inlined
 * code from another file) switch the file the following lines belong to.
 */
export function callgrindLineCosts(text: string, wantedFile: (file: string) => boolean): Map<number, number> {
  const costs = new Map<number, number>();
  let functionFile = '';
  let currentFile = '';
  let currentFunction = '';
  let calledFunction = '';
  let afterCalls = false;
  const wanted = new Map<string, boolean>();
  const isWanted = (file: string): boolean => {
    let known = wanted.get(file);
    if (known === undefined) {
      known = wantedFile(file);
      wanted.set(file, known);
    }
    return known;
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('fl=')) {
      functionFile = line.slice(3);
      currentFile = functionFile;
    } else if (line.startsWith('fi=') || line.startsWith('fe=')) {
      currentFile = line.slice(3);
    } else if (line.startsWith('fn=')) {
      currentFunction = line.slice(3);
      currentFile = functionFile;
    } else if (line.startsWith('cfn=')) {
      calledFunction = line.slice(4);
    } else if (line.startsWith('calls=')) {
      afterCalls = true;
    } else if (/^\d/.test(line)) {
      const [lineText, costText] = line.trim().split(/\s+/);
      const lineNumber = Number(lineText);
      const cost = Number(costText ?? 0);
      const recursive = afterCalls && calledFunction === currentFunction;
      if (!recursive && isWanted(currentFile) && Number.isFinite(lineNumber) && Number.isFinite(cost)) {
        costs.set(lineNumber, (costs.get(lineNumber) ?? 0) + cost);
      }
      afterCalls = false;
    }
  }
  return costs;
}
