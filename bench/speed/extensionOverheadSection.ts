/**
 * `extension-overhead`: what the VS Code extension costs the editor. Activation (in a real VS Code where the tier allows,
 * always in Node with a stand-in `vscode`), the CodeLens function index on generated files of 1k–50k lines (first parse,
 * incremental re-parse after a one-line edit, a regular-expression scan as the naive baseline), and the package's size.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BenchContext, BenchSection, BenchTier, DetailTable, Figure, SectionOutcome } from '../types.js';
import { buildMinifiedBundle, bundleIsStale, measurePackage, timeNodeActivation, type ActivationSample, type PackageFootprint } from './bundleFootprint.js';
import { LENS_LANGUAGES, timeFunctionIndex, timeGrammarLoads, type LensTiming } from './codeLensTiming.js';
import { overheadFindings, OVERHEAD_METHOD_NOTES } from './overheadNotes.js';
import { describeSpread, formatBytes, formatDuration, spreadCell, spreadOf, type Spread } from './spread.js';
import { codeServerCached, measureInVsCode, type VscodeSessionsResult } from './vscodeSessions.js';

interface OverheadPlan {
  lensSizes: number[];
  /** The size the headline figures quote. */
  headlineLines: number;
  lensRuns: number;
  /** Seconds per (language, size) after which no further run starts. */
  lensBudgetSeconds: number;
  activationRuns: number;
  minifiedBaseline: boolean;
  packageVsix: boolean;
  /** Real VS Code sessions; `cached`: one session, only when code-server is already installed. */
  vscodeSessions: number | 'cached';
}

const PLANS: Record<BenchTier, OverheadPlan> = {
  tiny: { lensSizes: [200], headlineLines: 200, lensRuns: 3, lensBudgetSeconds: 5, activationRuns: 2, minifiedBaseline: false, packageVsix: false, vscodeSessions: 0 },
  quick: { lensSizes: [1000, 10_000, 50_000], headlineLines: 10_000, lensRuns: 7, lensBudgetSeconds: 20, activationRuns: 10, minifiedBaseline: true, packageVsix: true, vscodeSessions: 'cached' },
  full: { lensSizes: [1000, 10_000, 50_000], headlineLines: 10_000, lensRuns: 15, lensBudgetSeconds: 45, activationRuns: 20, minifiedBaseline: true, packageVsix: true, vscodeSessions: 3 },
};

const ACTIVATION_TARGET_S = 0.5;
const LENS_TARGET_S = 0.1;
const LANGUAGE_NAMES: Record<string, string> = { python: 'Python', javascript: 'JavaScript', typescript: 'TypeScript', cpp: 'C++' };

const within = (spread: Spread, target: number, display: string) => ({ display, met: spread.median < target });
const activationSeconds = (s: ActivationSample): number => (s.requireMs + s.activateMs) / 1000;
const lines = (n: number): string => `${n.toLocaleString('en-US')} lines`;

function activationFigures(node: ActivationSample[], minified: ActivationSample[], vscode: VscodeSessionsResult | undefined, why: string): Figure[] {
  const nodeSpread = node.length ? spreadOf(node.map(activationSeconds)) : undefined;
  const minifiedSpread = minified.length ? spreadOf(minified.map(activationSeconds)) : undefined;
  const real = vscode?.probes.flatMap((p) => (p.activationMs !== undefined ? [p.activationMs / 1000] : [])) ?? [];
  const realSpread = real.length ? spreadOf(real) : undefined;
  const target = `< ${ACTIVATION_TARGET_S * 1000} ms`;
  return [
    {
      name: 'Activation in a real VS Code (1.100.3 via code-server 4.100.3, Node extension host): loading dist/extension.cjs and activate()',
      perfloop: realSpread ? { value: realSpread.median, display: formatDuration(realSpread.median) } : { value: null, display: why },
      ...(nodeSpread ? { baselines: [{ method: 'Node with a stand-in vscode (below)', value: nodeSpread.median, display: formatDuration(nodeSpread.median) }] } : {}),
      ...(realSpread ? { target: within(realSpread, ACTIVATION_TARGET_S, target) } : {}),
      ...(realSpread ? { noise: `${describeSpread(realSpread)} (one fresh VS Code session each)` } : {}),
    },
    {
      name: 'Activation in plain Node with a stand-in `vscode` module (NOT VS Code): require(dist/extension.cjs) + activate()',
      perfloop: nodeSpread ? { value: nodeSpread.median, display: formatDuration(nodeSpread.median) } : { value: null, display: 'dist/extension.cjs missing (npm run build)' },
      ...(minifiedSpread ? { baselines: [{ method: 'minified build of the same entry point, made in this run', value: minifiedSpread.median, display: formatDuration(minifiedSpread.median) }] } : {}),
      ...(nodeSpread ? { target: within(nodeSpread, ACTIVATION_TARGET_S, target) } : {}),
      ...(nodeSpread ? { noise: `${describeSpread(nodeSpread)} (fresh Node process each)` } : {}),
    },
  ];
}

function lensFigures(timings: LensTiming[], headline: number): Figure[] {
  const figures: Figure[] = [];
  const target = `< ${LENS_TARGET_S * 1000} ms`;
  for (const t of timings.filter((t) => Math.abs(t.lines - headline) <= headline * 0.01)) {
    const name = LANGUAGE_NAMES[t.language] ?? t.language;
    figures.push({
      name: `CodeLens function index, ${name} file of ${lines(t.lines)} (${t.functions} functions): first parse`,
      perfloop: { value: t.firstParse.median, display: formatDuration(t.firstParse.median) },
      baselines: [
        { method: 'naive regex scan of the whole text', value: t.naive.median, display: formatDuration(t.naive.median) },
        { method: 'incremental re-parse after a one-line edit', value: t.incremental.median, display: formatDuration(t.incremental.median) },
      ],
      target: within(t.firstParse, LENS_TARGET_S, target),
      noise: describeSpread(t.firstParse),
    });
    if (t.language === 'python') {
      figures.push({
        name: `CodeLens function index, Python file of ${lines(t.lines)}: incremental re-parse after a one-line edit`,
        perfloop: { value: t.incremental.median, display: formatDuration(t.incremental.median) },
        baselines: [{ method: 'first (full) parse', value: t.firstParse.median, display: formatDuration(t.firstParse.median) }],
        target: within(t.incremental, LENS_TARGET_S, target),
        noise: describeSpread(t.incremental),
      });
    }
  }
  return figures;
}

function vscodeLensFigure(result: VscodeSessionsResult): Figure | undefined {
  const probes = result.probes.filter((p) => p.firstLensesMs !== undefined);
  const first = probes[0];
  if (!first) return undefined;
  const seconds = (ms: number[]): ReturnType<typeof spreadOf> => spreadOf(ms.map((v) => v / 1000));
  const everyLens = seconds(probes.flatMap((p) => p.editedLensesMs));
  const screenfulMs = probes.flatMap((p) => p.editedScreenfulMs ?? []);
  // Results from before the screenful request existed: every lens resolved is all there is.
  const edited = screenfulMs.length ? seconds(screenfulMs) : everyLens;
  const cached = seconds(probes.flatMap((p) => p.cachedLensesMs));
  const cold = seconds(probes.map((p) => p.firstLensesMs ?? 0));
  const what = screenfulMs.length ? `, ${first.screenfulLenses ?? '?'} resolved as the editor resolves the visible ones` : '';
  return {
    name: `CodeLens in a real VS Code after a one-line edit: vscode.executeCodeLensProvider on a ${(first.lines ?? 0).toLocaleString('en-US')}-line Python module (${first.lenses} lenses${what})`,
    perfloop: { value: edited.median, display: formatDuration(edited.median) },
    baselines: [
      ...(screenfulMs.length ? [{ method: 'every lens resolved', value: everyLens.median, display: formatDuration(everyLens.median) }] : []),
      { method: 'first request (grammar load + full parse)', value: cold.median, display: formatDuration(cold.median) },
      { method: 'unchanged document (cached index)', value: cached.median, display: formatDuration(cached.median) },
    ],
    target: within(edited, LENS_TARGET_S, `< ${LENS_TARGET_S * 1000} ms`),
    noise: describeSpread(edited),
  };
}

function packageFigures(pkg: PackageFootprint | undefined, distBytes: number | undefined, minifiedBytes: number | undefined): Figure[] {
  const minified = minifiedBytes !== undefined ? [{ method: 'minified build of the same entry point', value: minifiedBytes, display: formatBytes(minifiedBytes) }] : [];
  return [
    {
      name: '.vsix package (vsce package --no-dependencies)',
      perfloop: pkg ? { value: pkg.vsixBytes, display: `${formatBytes(pkg.vsixBytes)}, ${pkg.files.length} files` } : { value: null, display: 'not packaged at this tier' },
      ...(pkg ? { baselines: [{ method: 'files before compression', value: sum(pkg.files.map((f) => f.bytes)), display: formatBytes(sum(pkg.files.map((f) => f.bytes))) }] } : {}),
    },
    {
      name: 'dist/extension.cjs (the bundle VS Code loads)',
      perfloop: distBytes !== undefined ? { value: distBytes, display: formatBytes(distBytes) } : { value: null, display: 'missing (npm run build)' },
      ...(minified.length ? { baselines: minified } : {}),
    },
  ];
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

function tables(timings: LensTiming[], grammar: Record<string, number>, node: ActivationSample[], minified: ActivationSample[], vscode: VscodeSessionsResult | undefined, pkg: PackageFootprint | undefined): DetailTable[] {
  const out: DetailTable[] = [
    {
      title: 'CodeLens function index by language and size (median, with p90 and min–max)',
      columns: ['language', 'lines', 'functions (index / regex)', 'first parse', 'after a one-line edit', 'naive regex scan'],
      rows: timings.map((t) => [
        LANGUAGE_NAMES[t.language] ?? t.language,
        String(t.lines),
        `${t.indexed} / ${t.naiveFound}`,
        spreadCell(t.firstParse),
        spreadCell(t.incremental),
        spreadCell(t.naive),
      ]),
    },
    {
      title: 'One-time tree-sitter load in a fresh Node process (paid by the first lens of each language in a session)',
      columns: ['step', 'time'],
      rows: Object.entries(grammar).map(([step, s]) => [step, formatDuration(s)]),
    },
  ];
  const activationRows = (label: string, samples: ActivationSample[]) =>
    samples.length ? [[label, spreadCell(spreadOf(samples.map((s) => s.requireMs / 1000))), spreadCell(spreadOf(samples.map((s) => s.activateMs / 1000))), spreadCell(spreadOf(samples.map((s) => s.historyLoadedMs / 1000)))]] : [];
  out.push({
    title: 'Activation in Node with the stand-in vscode, by step',
    columns: ['bundle', 'require', 'activate()', 'history loaded after'],
    rows: [...activationRows('dist/extension.cjs', node), ...activationRows('minified', minified)],
  });
  if (vscode?.probes.length) {
    out.push({
      title: `Real VS Code sessions (${vscode.codeServerVersion})`,
      columns: ['session', 'activation', 'first CodeLens request', 'unchanged (median)', 'after an edit (median)', 'session wall time'],
      rows: vscode.probes.map((p, i) => [
        String(i + 1),
        p.activationMs !== undefined ? formatDuration(p.activationMs / 1000) : p.wasActive ? 'already active' : '–',
        formatDuration((p.firstLensesMs ?? NaN) / 1000),
        p.cachedLensesMs.length ? formatDuration(spreadOf(p.cachedLensesMs).median / 1000) : '–',
        p.editedLensesMs.length ? formatDuration(spreadOf(p.editedLensesMs).median / 1000) : '–',
        formatDuration(vscode.sessionSeconds[i]),
      ]),
    });
  }
  if (pkg) {
    out.push({ title: 'Largest files in the .vsix (before compression)', columns: ['file', 'size'], rows: pkg.files.slice(0, 8).map((f) => [f.path, formatBytes(f.bytes)]) });
  }
  return out;
}

export const extensionOverheadSection: BenchSection = {
  id: 'extension-overhead',
  title: "The extension's overhead in VS Code",
  async run(ctx: BenchContext): Promise<SectionOutcome> {
    const plan = PLANS[ctx.tier];
    const signal = ctx.signal ? { signal: ctx.signal } : {};
    const bundle = path.join(ctx.root, 'dist/extension.cjs');
    const hasBundle = existsSync(bundle);
    const notes: string[] = [];

    ctx.log('CodeLens index timings');
    const grammar = await timeGrammarLoads();
    const timings: LensTiming[] = [];
    for (const language of LENS_LANGUAGES) {
      for (const size of plan.lensSizes) {
        if (ctx.signal?.aborted) break;
        timings.push(await timeFunctionIndex(language, size, plan.lensRuns, plan.lensBudgetSeconds));
      }
    }

    ctx.log('activation in Node (stand-in vscode)');
    const node = hasBundle ? await timeNodeActivation({ root: ctx.root, bundle, storageDir: path.join(ctx.scratchDir, 'storage'), runs: plan.activationRuns, ...signal }) : [];
    let minified: ActivationSample[] = [];
    let minifiedBytes: number | undefined;
    if (plan.minifiedBaseline) {
      const minifiedBundle = path.join(ctx.scratchDir, 'minified/extension.cjs');
      minifiedBytes = await buildMinifiedBundle(ctx.root, minifiedBundle);
      minified = await timeNodeActivation({ root: ctx.root, bundle: minifiedBundle, storageDir: path.join(ctx.scratchDir, 'storage-min'), runs: plan.activationRuns, ...signal });
    }

    let pkg: PackageFootprint | undefined;
    if (plan.packageVsix && hasBundle) {
      ctx.log('vsce package');
      pkg = await measurePackage(ctx.root, path.join(ctx.scratchDir, 'package'));
    }

    let vscode: VscodeSessionsResult | undefined;
    const sessions = plan.vscodeSessions === 'cached' ? (codeServerCached() ? 1 : 0) : plan.vscodeSessions;
    let why = plan.vscodeSessions === 0 ? 'not run at this tier (quick: 1 session when code-server is cached; full: 3)' : 'code-server is not cached (tier quick does not install it; full does)';
    if (sessions > 0 && pkg) {
      try {
        vscode = await measureInVsCode({ root: ctx.root, scratchDir: ctx.scratchDir, vsix: pkg.vsix, sessions, repetitions: 5, log: ctx.log, ...signal });
        notes.push(...vscode.problems.map((p) => `Real VS Code: ${p}`));
      } catch (error) {
        if (ctx.signal?.aborted) throw error;
        why = `failed: ${(error as Error).message.split('\n')[0]}`;
        notes.push(`Real VS Code could not be measured: ${(error as Error).message}`);
      }
    }

    const vscodeLens = vscode && vscodeLensFigure(vscode);
    const distBytes = hasBundle ? statSync(bundle).size : undefined;
    if (hasBundle && bundleIsStale(ctx.root, bundle)) notes.push('dist/extension.cjs is older than some of its sources: run `npm run build` before the bench for current figures.');
    return {
      figures: [
        ...activationFigures(node, minified, vscode, why),
        ...lensFigures(timings, plan.headlineLines),
        ...(vscodeLens ? [vscodeLens] : []),
        ...packageFigures(pkg, distBytes, minifiedBytes),
      ],
      tables: tables(timings, grammar, node, minified, vscode, pkg),
      notes: [...overheadFindings({ timings, node, minified, vscode }), ...notes, ...OVERHEAD_METHOD_NOTES],
      details: { tier: ctx.tier, plan, grammarLoadSeconds: grammar, codeLens: timings, nodeActivation: node, minifiedActivation: minified, minifiedBytes, vscode, package: pkg, distBytes },
    };
  },
};
