/**
 * The shape every bench section shares: a section measures one family of figures and returns them, each beside the
 * baseline it is compared with and the target it aims at. bench/run.ts runs the sections and writes one JSON file and
 * one Markdown table from what they return.
 */

/**
 * How much work a run does. `tiny`: seconds, for the test suite (checks the scripts run and the output is well formed;
 * its figures mean nothing). `quick`: a few minutes, a first look. `full`: the figures bench/README.md quotes.
 */
export type BenchTier = 'tiny' | 'quick' | 'full';

export interface BenchContext {
  tier: BenchTier;
  /** The repository root (absolute, ends with a slash). */
  root: string;
  /** ../shared/bench-data from the repository root, or PERFLOOP_BENCH_DATA. */
  dataDir: string;
  /** A directory the section may write scratch files to; removed after the run. */
  scratchDir: string;
  /** Progress for the console (stderr); not part of the results. */
  log(message: string): void;
  signal?: AbortSignal;
}

/** A figure as a measured number and as the text the table shows. `value` is null when it could not be measured. */
export interface Measured {
  value: number | null;
  display: string;
}

export interface Figure {
  /** What is measured, e.g. "A/A false-positive rate (Python, 100 trials)". */
  name: string;
  perfloop: Measured;
  /** The naive methods or published numbers the figure is compared with, in the same run. */
  baselines?: (Measured & { method: string })[];
  /** The goal the issue or the docs set, e.g. "≤ 1%"; `met` says whether this run reached it. */
  target?: { display: string; met: boolean };
  /** How noisy the figure itself is, e.g. "95% CI 0.0–3.6%" (Clopper–Pearson) or "5 runs". */
  noise?: string;
}

export interface DetailTable {
  title: string;
  columns: string[];
  rows: string[][];
}

/** What a section's `run` returns. */
export interface SectionOutcome {
  figures: Figure[];
  /** Per-task or per-level breakdowns, printed under the main table. */
  tables?: DetailTable[];
  /** Method notes and findings, in sentences. */
  notes?: string[];
  /** Raw data for bench/results/latest.json (samples, per-item results). */
  details?: unknown;
}

export interface BenchSection {
  /** Stable id, used by `--only` and as the key in latest.json. */
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<SectionOutcome>;
}

export interface SectionResult extends SectionOutcome {
  id: string;
  title: string;
  /** The tier this section ran at (`--full` can raise it above the run's). */
  tier: BenchTier;
  seconds: number;
  /** Set when the section threw: its figures are missing, the other sections still ran. */
  error?: string;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  python?: string;
  sandbox: string;
  instructionCounter: string;
  hyperfine?: string;
}

export interface BenchResults {
  /** ISO date-time the run started. */
  startedAt: string;
  tier: BenchTier;
  machine: MachineInfo;
  gitCommit?: string;
  seconds: number;
  sections: SectionResult[];
}
