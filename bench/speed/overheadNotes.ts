/** The extension-overhead section's notes: findings computed from the run's figures, and how they were measured. */
import type { ActivationSample } from './bundleFootprint.js';
import type { LensTiming } from './codeLensTiming.js';
import { formatDuration, spreadOf } from './spread.js';
import type { VscodeSessionsResult } from './vscodeSessions.js';

const median = (values: number[]): number => spreadOf(values).median;

/** Flags languages whose index time grows faster than the file between the two largest sizes. */
function lensGrowth(timings: LensTiming[]): string[] {
  const notes: string[] = [];
  for (const language of new Set(timings.map((t) => t.language))) {
    const own = timings.filter((t) => t.language === language).sort((a, b) => a.lines - b.lines);
    const large = own[own.length - 1];
    const small = own[own.length - 2];
    if (!small || !large) continue;
    const lineRatio = large.lines / small.lines;
    const timeRatio = large.firstParse.median / small.firstParse.median;
    if (timeRatio > 2 * lineRatio) {
      notes.push(
        `${language}: from ${small.lines} to ${large.lines} lines the first parse grows ${timeRatio.toFixed(0)}× for ${lineRatio.toFixed(0)}× the lines (${formatDuration(small.firstParse.median)} → ${formatDuration(large.firstParse.median)}), ` +
          `and an edit at ${large.lines} lines costs ${formatDuration(large.incremental.median)}: worse than linear in the size of the file.` +
          (language === 'cpp'
            ? ' The cause, found with node --cpu-prof while writing this bench: collectCFunctions in extension/codeLens/functionIndex.ts marks overloads with `free.filter(...)` inside a loop over every function, so it compares every function with every other (O(n²), `namedBy` took most of the profile); it runs after every edit too. Counting names in a Map first would make it linear.'
            : ''),
      );
    }
  }
  return notes;
}

export function overheadFindings(data: {
  timings: LensTiming[];
  node: ActivationSample[];
  minified: ActivationSample[];
  vscode: VscodeSessionsResult | undefined;
}): string[] {
  const notes: string[] = [];
  if (data.node.length) {
    const stubbed = [...new Set(data.node.flatMap((s) => s.genericMembers))];
    notes.push(
      `Node activation: loading the bundle takes ${formatDuration(median(data.node.map((s) => s.requireMs / 1000)))} of it and activate() ${formatDuration(median(data.node.map((s) => s.activateMs / 1000)))}` +
        (data.minified.length ? `; the minified build loads in ${formatDuration(median(data.minified.map((s) => s.requireMs / 1000)))}.` : '.') +
        ` The stand-in vscode (bench/speed/vscodeStub.ts) is not VS Code: it accepts and drops registrations; members it stood in for generically: ${stubbed.join(', ') || 'none'}.`,
    );
  }
  notes.push(...lensGrowth(data.timings));
  const python = data.timings.filter((t) => t.language === 'python').sort((a, b) => b.lines - a.lines)[0];
  if (python) {
    notes.push(
      `Python at ${python.lines} lines: an edit costs ${formatDuration(python.incremental.median)} against ${formatDuration(python.firstParse.median)} for a full parse; ` +
        'tree-sitter reuses the unchanged subtrees, but the index still walks every top-level definition again to rebuild the list.',
    );
  }
  const probes = data.vscode?.probes ?? [];
  const cached = probes.flatMap((p) => p.cachedLensesMs);
  if (cached.length && probes[0]?.lenses) {
    notes.push(
      `Real VS Code: an unchanged document costs ${formatDuration(median(cached) / 1000)} per request (${probes[0].lenses} lenses, ${probes[0].screenfulLenses ?? 'all'} resolved), where the index answers from its cache: ` +
        'the provider builds a CodeLens object per function on every request, and through vscode.executeCodeLensProvider the lenses cross between the extension host and the workbench twice (the editor’s own request crosses once), so these real-VS Code figures are an upper bound on what the editor waits for. '
        + 'The "⚡ Optimize" lenses get their command only in resolveCodeLens, which the editor calls for the lenses it shows; the requests resolve a screenful, except the baseline "every lens resolved" (one resolve call per lens across the host boundary, which no editor makes).',
    );
  }
  if (probes.some((p) => p.wasActive)) notes.push('Real VS Code: Perfloop was already active in a session before the probe ran, so that session has no activation time.');
  return notes;
}

export const OVERHEAD_METHOD_NOTES = [
  'Targets: activation < 500 ms and CodeLens on a 10,000-line file < 100 ms are the project’s; VS Code’s extension docs ask extensions to activate lazily (https://code.visualstudio.com/api/references/activation-events) and to bundle so they load fast (https://code.visualstudio.com/api/working-with-extensions/bundling-extension), and VS Code lists each extension’s activation time under Developer: Show Running Extensions.',
  'Real VS Code: code-server 4.100.3 (VS Code 1.100.3, test/vscode/codeServer.ts) with the .vsix from this run installed; one fresh session per sample, driven by Chromium through test/vscode/hostTests.ts. The probe (bench/speed/vscodeProbe.ts) runs as the extension-host test module: it times `extension.activate()` (loading dist/extension.cjs and calling activate(); Perfloop activates on opening a file of its languages, and none is open), then `vscode.executeCodeLensProvider` on the workspace’s 10,000-line big_module.py opened but not shown (so no editor asks first), unchanged, and after edits of one character each.',
  'CodeLens index: generated modules of small top-level functions (the layout of test/vscode/bigModule.ts, generalized to any length and to JavaScript, TypeScript and C++), indexed with FunctionIndex from extension/codeLens/functionIndex.ts, the index the provider uses; a fresh index per run, grammar already loaded (its one-time load is in the table). The edit types one character into the comment of the function nearest the middle, passed through applyChanges as VS Code reports it. Runs per case stop early once the case’s time budget is spent.',
  'Node activation: each sample is a fresh `node` process that requires the bundle and calls activate() with an ExtensionContext whose storage is a temp directory, and with the stand-in `vscode` module of bench/speed/vscodeStub.ts, which is not VS Code (no workbench, no extension host, registrations dropped); the minified baseline is extension/extension.ts bundled with esbuild.mjs’s options plus minify, in this run.',
];
