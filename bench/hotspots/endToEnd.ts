/**
 * The workload flow end to end (issue 14): `optimize --workload` on examples/workloads/python, the LLM being a local
 * scripted server that answers each hot function's prompt with its obvious fix (test/support/workloadFixes.ts), so the
 * figure measures Perfloop's part: profiling, capture, each function's verdict on its captured inputs, the combined
 * patch, and the whole command timed before and after, interleaved. The end-to-end speedup is stated beside what the
 * per-function speedups predict from the functions' shares (Amdahl).
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import { OpenAICompatibleProvider } from '../../optimizer/llm/openaiProvider.js';
import { bestCandidate } from '../../optimizer/report/format.js';
import { optimizeWorkload } from '../../optimizer/workloadOptimize.js';
import { WORKLOAD_PROFILERS } from '../../profilers/hotspots/workloadProfilers.js';
import { startFakeLlmServer } from '../../test/support/fakeLlmServer.js';
import { FAST_DUPLICATES, FAST_PERCENTILES, repliesByFunction } from '../../test/support/workloadFixes.js';
import type { BenchContext, BenchSection, Figure, SectionOutcome } from '../types.js';

const PYTHON = process.env.PERFLOOP_TEST_PYTHON ?? 'python3';

export const workloadEndToEndSection: BenchSection = {
  id: 'workload-end-to-end',
  title: 'Workload flow: hot spots optimized on captured inputs, the whole command timed before and after',
  async run(ctx: BenchContext): Promise<SectionOutcome> {
    const project = path.join(ctx.scratchDir, 'workload-python');
    cpSync(path.join(ctx.root, 'examples/workloads/python'), project, { recursive: true });
    const llm = await startFakeLlmServer(repliesByFunction({ price_percentiles: FAST_PERCENTILES, duplicate_skus: FAST_DUPLICATES }));
    try {
      const command = `${PYTHON} run_workload.py`;
      const started = Date.now();
      const report = await optimizeWorkload(
        {
          command,
          projectRoot: project,
          top: 3,
          minShare: 0.05,
          testCommand: `${PYTHON} -m unittest -q`,
          commandTimeoutMs: 120_000,
          settings: { rounds: 1, candidatesPerRound: 1, counters: 'time' },
        },
        { provider: new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'scripted', maxRetries: 0 }), profilers: WORKLOAD_PROFILERS },
        { onStep: (message) => ctx.log(message), ...(ctx.signal ? { signal: ctx.signal } : {}) },
      );
      const seconds = (Date.now() - started) / 1000;
      const e = report.endToEnd;
      const figures: Figure[] = [
        {
          name: `End-to-end speedup of \`${command}\` (examples/workloads/python, ${e?.runsEach ?? 0} runs each, interleaved)`,
          perfloop: { value: e?.speedup ?? null, display: e?.speedup && e.ci ? `${e.speedup.toFixed(3)}× [${e.ci[0].toFixed(3)}–${e.ci[1].toFixed(3)}], ${e.verdict}` : `not measured: ${report.note ?? e?.measurement.error ?? ''}` },
          baselines: e ? [{ method: "predicted from the functions' shares and speedups (Amdahl)", value: e.predicted, display: `${e.predicted.toFixed(3)}×` }] : [],
          target: { display: 'faster, per-function and end to end', met: e?.verdict === 'faster' && report.functions.every((f) => f.applied) },
          noise: '95% interval of the interleaved command timing',
        },
        {
          name: 'Wall time of the whole workload run (profile, capture, each function, tests, end-to-end timing; no LLM latency)',
          perfloop: { value: seconds, display: `${seconds.toFixed(0)} s` },
        },
      ];
      const rows = report.functions.map((f) => {
        const best = f.report && bestCandidate(f.report);
        return [
          f.function,
          `${(f.selfShare * 100).toFixed(1)}% / ${(f.inclusiveShare * 100).toFixed(1)}%`,
          `${f.report?.workload?.correctnessInputs ?? '—'} (${f.report?.workload?.heldBackInputs ?? 0} held back)`,
          best?.speedup ? `${best.speedup.ratio.toFixed(1)}× [${best.speedup.low.toFixed(1)}–${best.speedup.high.toFixed(1)}]` : (f.error ?? '—'),
          f.applied ? 'yes' : 'no',
        ];
      });
      return {
        figures,
        tables: [{ title: 'Functions optimized', columns: ['function', 'self / inclusive share', 'captured inputs', 'speedup per call', 'in patch'], rows }],
        notes: [
          'The per-call speedups are large (the fixes change the algorithm) while the command gains less: interpreter start-up, loading the data and the rest of the program are untouched (Amdahl).',
          `Tests with the combined patch: ${report.tests?.passed ? 'passed' : `failed: ${report.tests?.reason ?? ''}`}.`,
        ],
        details: { report },
      };
    } finally {
      await llm.close();
    }
  },
};
