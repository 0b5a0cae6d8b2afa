/**
 * Run-to-run stability of one pair's headline speedup on a busy machine (issue 13, "figures tied to a stated size"). A
 * quadratic function and its linear rewrite, whose speedup grows with n, compared several times exactly as `perfloop
 * compare` does, each run in a fresh runner (nothing carried over) beside a spinning neighbour process. Before the size
 * fix n was grown until one call took a target wall time, so a busy spell picked a smaller n and a smaller speedup, and n
 * was written nowhere; now n is chosen from CPU time on a doubling grid and stated. The figures: how many different n the
 * runs timed at, and whether every run's speedup lies inside every other run's interval.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compareCandidate } from '../../optimizer/compare.js';
import { DEFAULT_SETTINGS, type OptimizationReport } from '../../optimizer/types.js';
import { PythonRunner } from '../../profilers/python/pythonRunner.js';
import type { BenchContext, BenchSection, Figure, SectionOutcome } from '../types.js';
import { startBackgroundLoad } from './backgroundLoad.js';

const RUNS = { tiny: 1, quick: 5, full: 5 } as const;

const ORIGINAL = `def distinct(values):
    out = []
    for value in values:
        if value not in out:
            out.append(value)
    return out
`;
const REWRITE = `def distinct(values):
    return list(dict.fromkeys(values))
`;
/** sized_input only: the run chooses n, which is what is under test. */
const INPUTS = `import random


def correctness_inputs():
    return [[[]], [[1]], [[3, 1, 3, 2, 1]], [[5, 5, 5]]]


def sized_input(n):
    rng = random.Random(n)
    return [[rng.randrange(n) for _ in range(n)]]
`;

/** What the issue observed before the size fix (53654df): two runs of one pair, n written nowhere. */
const BEFORE_SIZE_FIX = { low: 5.23, high: 43.4, display: '5.23× and 43.4× in two runs of one pair, n not stated (issue 13, at 53654df)' };

interface RunResult {
  n?: number;
  verdict: string;
  ratio?: number;
  low?: number;
  high?: number;
  seconds: number;
}

function summarise(runs: readonly { ratio?: number; low?: number; high?: number }[]): { spread: number | null; overlap: boolean; range: string } {
  const measured = runs.filter((r): r is { ratio: number; low: number; high: number } => r.ratio !== undefined && r.low !== undefined && r.high !== undefined);
  if (measured.length === 0) return { spread: null, overlap: false, range: 'not measured' };
  const ratios = measured.map((r) => r.ratio);
  const [min, max] = [Math.min(...ratios), Math.max(...ratios)];
  // Every run's point estimate inside every other run's interval: "the same speedup within their intervals".
  const overlap = measured.every((a) => measured.every((b) => a.ratio >= b.low && a.ratio <= b.high));
  return { spread: max / min, overlap, range: `${min.toFixed(1)}×–${max.toFixed(1)}×` };
}

function resultOf(report: OptimizationReport, seconds: number): RunResult {
  const candidate = report.candidates[0];
  const speedup = candidate?.speedup;
  return {
    ...(report.workload?.timedSizedN !== undefined ? { n: report.workload.timedSizedN } : {}),
    verdict: report.outcome === 'failed' ? `failed: ${report.error ?? ''}` : (candidate?.verdict ?? 'none'),
    ...(speedup ? { ratio: speedup.ratio, low: speedup.low, high: speedup.high } : {}),
    seconds,
  };
}

export const sizeStabilitySection: BenchSection = {
  id: 'size-stability',
  title: 'Same pair, several runs on a busy machine: the timed size and the speedup',
  async run(ctx: BenchContext): Promise<SectionOutcome> {
    const dir = path.join(ctx.scratchDir, 'size-stability');
    mkdirSync(dir, { recursive: true });
    const [filePath, candidatePath] = [path.join(dir, 'distinct.py'), path.join(dir, 'distinct_fast.py')];
    writeFileSync(filePath, ORIGINAL);
    writeFileSync(candidatePath, REWRITE);
    writeFileSync(path.join(dir, 'distinct.perfloop.py'), INPUTS);
    const runs: RunResult[] = [];
    const load = startBackgroundLoad();
    try {
      for (let i = 0; i < RUNS[ctx.tier]; i++) {
        const started = performance.now();
        const report = await compareCandidate(
          {
            filePath,
            fileText: readFileSync(filePath, 'utf8'),
            target: { functionName: 'distinct' },
            candidatePath,
            candidateText: REWRITE,
            settings: { counters: 'time' },
          },
          { runner: new PythonRunner() },
          ctx.signal ? { signal: ctx.signal } : {},
        );
        const run = resultOf(report, (performance.now() - started) / 1000);
        runs.push(run);
        ctx.log(`run ${i + 1}: n = ${run.n ?? '?'}, ${run.verdict} ${run.ratio?.toFixed(2) ?? '–'}× [${run.low?.toFixed(2) ?? '–'}–${run.high?.toFixed(2) ?? '–'}]`);
      }
    } finally {
      await load.stop();
    }
    const sizes = [...new Set(runs.map((r) => r.n ?? -1))];
    const after = summarise(runs);
    const figures: Figure[] = [
      {
        name: `Timed sizes over ${runs.length} runs of the same pair, one busy neighbour process`,
        perfloop: {
          value: sizes.includes(-1) ? null : sizes.length,
          display: sizes.includes(-1) ? 'not stated' : `${sizes.length} (n = ${sizes.join(', ')})`,
        },
        baselines: [{ method: 'before the size fix (53654df)', value: null, display: 'not stated (n was written nowhere)' }],
        target: { display: 'one n, stated', met: sizes.length === 1 && !sizes.includes(-1) },
      },
      {
        name: `Speedup over ${runs.length} runs (largest / smallest point estimate; every run inside every other's 95% interval?)`,
        perfloop: { value: after.spread, display: `${after.spread?.toFixed(2) ?? '–'} (${after.range}; ${after.overlap ? 'all inside' : 'not all inside'})` },
        baselines: [{ method: 'before the size fix (recorded)', value: BEFORE_SIZE_FIX.high / BEFORE_SIZE_FIX.low, display: BEFORE_SIZE_FIX.display }],
        target: { display: 'every run inside every other run’s interval', met: after.overlap },
        noise: `${DEFAULT_SETTINGS.timingSamples} samples per run (default settings)`,
      },
    ];
    return {
      figures,
      tables: [
        {
          title: 'Runs, in order',
          columns: ['run', 'n', 'verdict', 'speedup', '95% interval', 'seconds'],
          rows: runs.map((r, i) => [
            String(i + 1),
            r.n === undefined ? '–' : String(r.n),
            r.verdict,
            r.ratio === undefined ? '–' : `${r.ratio.toFixed(2)}×`,
            r.low === undefined || r.high === undefined ? '–' : `${r.low.toFixed(2)}–${r.high.toFixed(2)}`,
            r.seconds.toFixed(1),
          ]),
        },
      ],
      notes: [
        'A quadratic `distinct` (a list scanned per value) against `dict.fromkeys`: the speedup grows about linearly with n, so a size that moves with the machine’s load moves the headline figure with it.',
        'Each run is what `perfloop compare distinct.py:distinct distinct_fast.py --counters time` does, with a fresh runner: the size is chosen again every run.',
      ],
      details: { runs },
    };
  },
};
