/**
 * Realistic report-panel snapshots for the preview harness and the view-model tests: the quadratic duplicate finder of
 * examples/python, mid-run and finished (every verdict, a best with its diff and growth curve, warnings, whole-program
 * timing), and a failed run.
 */
import { createTwoFilesPatch } from 'diff';
import { DEFAULT_SETTINGS, type CandidateResult, type OptimizationReport } from '../../optimizer/types.js';
import type { SpeedupEstimate } from '../../profilers/stats/types.js';
import type { ReportViewState } from '../../webview-ui/protocol.js';

const FILE = '/home/dev/shop/customers/dedupe.py';

export const ORIGINAL_SOURCE = `def find_duplicates(emails):
    """Return the normalised addresses that occur more than once, in order of their second occurrence."""
    seen = []
    duplicates = []
    for email in emails:
        key = normalise(email)
        if key in seen and key not in duplicates:
            duplicates.append(key)
        seen.append(key)
    return duplicates
`;

const SET_VERSION = `def find_duplicates(emails):
    """Return the normalised addresses that occur more than once, in order of their second occurrence."""
    seen = set()
    reported = set()
    duplicates = []
    for email in emails:
        key = normalise(email)
        if key in seen:
            if key not in reported:
                reported.add(key)
                duplicates.append(key)
        else:
            seen.add(key)
    return duplicates
`;

const FILE_BEFORE = `"""Customer e-mail clean-up."""


def normalise(email):
    return email.strip().lower()


${ORIGINAL_SOURCE}`;

function speedup(ratio: number, low: number, high: number, originalSeconds = 0.0412): SpeedupEstimate {
  return {
    ratio,
    low,
    high,
    confidence: 0.95,
    noiseThreshold: 0.05,
    verdict: low > 1.05 ? 'faster' : high < 1 / 1.05 ? 'slower' : 'no-difference',
    samples: 30,
    method: 'paired log-ratio, 20% trimmed mean, bootstrap 95% percentile interval, 4000 resamples',
    originalSeconds,
    candidateSeconds: originalSeconds / ratio,
    originalCv: 0.021,
    candidateCv: 0.034,
  };
}

/** The file diff a real report carries for a candidate that was built: the change Apply would make. */
export const fileDiffOf = (code: string, label: string): string =>
  createTwoFilesPatch(`a/dedupe.py`, `b/dedupe.py`, FILE_BEFORE, FILE_BEFORE.replace(ORIGINAL_SOURCE, code), 'original', label, { context: 10 });

const candidate = (id: string, verdict: CandidateResult['verdict'], rationale: string, extra: Partial<CandidateResult> = {}): CandidateResult => {
  const code = extra.code ?? SET_VERSION.replace('seen = set()', `seen = set()  # ${id}`);
  // A candidate rejected before it was built has no diff.
  return { id, round: Number(id[1]), code, ...(verdict === 'error' ? {} : { diff: fileDiffOf(code, id) }), rationale, verdict, ...extra };
};

export const CANDIDATES: Record<string, CandidateResult> = {
  r1c2: candidate('r1c2', 'faster', 'Membership tests on lists are O(n); two sets make each test O(1) while the list keeps the output order.', {
    code: SET_VERSION,
    speedup: speedup(38.6, 36.9, 40.2),
    instructions: { count: 4.97e7, ratio: 0.027 },
    memory: { peakBytes: 443_000, ratio: 1.42 },
  }),
  r2c1: candidate('r2c1', 'faster', 'Count with a dict in one pass, then emit keys when their count reaches two.', {
    repairOf: 'r1c4',
    speedup: speedup(41.3, 35.1, 48.0),
    instructions: { count: 4.6e7, ratio: 0.025 },
    memory: { peakBytes: 520_000, ratio: 1.67 },
  }),
  r1c3: candidate('r1c3', 'no-difference', 'Bind normalise and list.append to locals to skip attribute lookups in the loop.', {
    speedup: speedup(1.02, 0.97, 1.07),
    instructions: { count: 1.79e9, ratio: 0.97 },
    memory: { peakBytes: 312_000, ratio: 1.0 },
  }),
  r1c1: candidate('r1c1', 'slower', 'Scan the prefix with any() instead of the in operator.', {
    speedup: speedup(0.83, 0.8, 0.86),
    instructions: { count: 2.2e9, ratio: 1.2 },
    memory: { peakBytes: 125_000, ratio: 0.4 },
  }),
  r1c4: candidate('r1c4', 'incorrect', 'Collect duplicates in a set and return it as a list.', {
    reason: '3 of 27 inputs behave differently (return)',
    counterexample: {
      kind: 'return',
      input: "(['b@x.org', 'a@x.org', 'B@x.org', 'A@x.org'],)",
      expected: "['b@x.org', 'a@x.org']",
      actual: "['a@x.org', 'b@x.org']",
      inputSize: 4,
    },
  }),
  r2c2: candidate('r2c2', 'error', 'Cache normalised addresses in a module-level dict.', {
    reason: 'rejected: the candidate keeps results between calls (module-level dict `_normalised` grows across calls), which would make the timing lie',
  }),
  r2c3: candidate('r2c3', 'timeout', 'Split the list in halves recursively and merge the duplicate sets.', {
    reason: "the candidate ran longer than 2.0 s (the original took 0.041 s) on performance input 0 (['k1@x.org', 'k2@x.org', …])",
  }),
};

const growth = (c: number, k: number): { size: number; seconds: number }[] =>
  [250, 500, 1000, 2000, 4000, 8000, 16000].map((size, i) => ({ size, seconds: c * size ** k * (1 + 0.04 * Math.sin(i * 1.7)) }));

const TARGET = { file: FILE, functionName: 'find_duplicates', source: ORIGINAL_SOURCE, language: 'python', range: { start: 8, end: 17 }, contextNames: ['normalise'] };

const ENVIRONMENT = {
  runner: 'CPython 3.11.2 (/usr/bin/python3)',
  sandbox: 'bwrap' as const,
  instructionCounter: 'perf' as const,
  instructionCounterDetail: 'perf stat -e instructions:u',
  timer: 'in-process interleaved samples (perf_counter_ns)',
  llm: 'gpt-4o-mini at https://api.openai.com/v1',
};

const WORKLOAD = {
  origin: 'llm-generator' as const,
  correctnessInputs: 24,
  performanceInputs: 3,
  examples: ["([],)", "(['a@x.org'],)", "(['a@x.org', ' A@X.org', 'b@x.org', 'a@x.org '],)"],
  originalMutatesArguments: false,
};

const BASELINE = {
  secondsPerCall: 0.0412,
  instructions: 1.84e9,
  peakMemoryBytes: 312_000,
  lineProfile: {
    totalSeconds: 0.0412,
    entries: [
      { line: 3, text: '    seen = []', hits: 1, timeSeconds: 1e-7, timeShare: 0.00001, memoryBytes: 56 },
      { line: 4, text: '    duplicates = []', hits: 1, timeSeconds: 1e-7, timeShare: 0.00001, memoryBytes: 56 },
      { line: 5, text: '    for email in emails:', hits: 5001, timeSeconds: 0.00016, timeShare: 0.004, memoryBytes: 0 },
      { line: 6, text: '        key = normalise(email)', hits: 5000, timeSeconds: 0.00045, timeShare: 0.011, memoryBytes: 301_000 },
      { line: 7, text: '        if key in seen and key not in duplicates:', hits: 5000, timeSeconds: 0.0396, timeShare: 0.962, memoryBytes: 0 },
      { line: 8, text: '            duplicates.append(key)', hits: 1250, timeSeconds: 0.00008, timeShare: 0.002, memoryBytes: 10_400 },
      { line: 9, text: '        seen.append(key)', hits: 5000, timeSeconds: 0.00074, timeShare: 0.018, memoryBytes: 41_200 },
      { line: 10, text: '    return duplicates', hits: 1, timeSeconds: 1e-7, timeShare: 0.00001, memoryBytes: 0 },
    ],
  },
  complexity: {
    points: growth(1.6e-10, 2),
    fit: { exponent: 1.97, exponentStdError: 0.03, coefficient: 1.6e-10, rSquared: 0.998, points: 7, label: '≈ O(n^1.97 ± 0.03), ~ quadratic', bestClass: 'quadratic' },
  },
};

// Every sample is a fresh deep copy: tests mutate them.
export function runningState(): ReportViewState {
  return structuredClone({
    runId: 'run-2026-11-21T14-00-12',
    status: 'running',
    stage: 'Checking and measuring r1c3…',
    pendingCandidateIds: ['r1c3'],
    report: {
      target: TARGET,
      environment: ENVIRONMENT,
      workload: WORKLOAD,
      baseline: BASELINE,
      candidates: [CANDIDATES.r1c4!, CANDIDATES.r1c2!],
      warnings: [],
    },
  } satisfies ReportViewState);
}

export function doneReport(): OptimizationReport {
  const fileAfter = FILE_BEFORE.replace(ORIGINAL_SOURCE, SET_VERSION);
  return structuredClone({
    version: 1,
    target: TARGET,
    startedAt: '2026-11-21T14:00:12.000Z',
    finishedAt: '2026-11-21T14:02:46.000Z',
    durationMs: 154_000,
    settings: DEFAULT_SETTINGS,
    environment: ENVIRONMENT,
    workload: WORKLOAD,
    baseline: BASELINE,
    candidates: Object.values(CANDIDATES),
    outcome: 'improved',
    best: {
      candidateId: 'r1c2',
      diff: fileDiffOf(SET_VERSION, 'r1c2'),
      patchedFileText: fileAfter,
      complexity: {
        points: growth(6e-8, 1),
        fit: { exponent: 1.02, exponentStdError: 0.02, coefficient: 6e-8, rSquared: 0.999, points: 7, label: '≈ O(n^1.02 ± 0.02), ~ linear', bestClass: 'linear' },
      },
    },
    wholeProgram: {
      command: 'python bench/dedupe_bench.py',
      tool: 'hyperfine',
      toolVersion: '1.18.0',
      original: { runs: 10, meanSeconds: 2.43, medianSeconds: 2.41, stddevSeconds: 0.05 },
      patched: { runs: 10, meanSeconds: 0.318, medianSeconds: 0.312, stddevSeconds: 0.011 },
      speedup: { ...speedup(7.72, 7.41, 8.03, 2.41), samples: 10 },
    },
    tokenUsage: { promptTokens: 11_020, completionTokens: 3_190, totalTokens: 14_210, estimated: false, requests: 2 },
    warnings: ['This machine is noisy: an A/A run of the original against itself spread ±3.1%, so verdicts near the 5% threshold are less sharp.'],
  } satisfies OptimizationReport);
}

export function doneState(): ReportViewState {
  return { runId: 'run-2026-11-21T14-00-12', status: 'done', stage: 'Done.', report: doneReport() };
}

export function failedState(): ReportViewState {
  return structuredClone({
    runId: 'run-2026-11-21T15-10-40',
    status: 'failed',
    stage: 'Failed.',
    report: {
      target: TARGET,
      environment: { ...ENVIRONMENT, sandbox: 'none', sandboxWarning: 'No sandbox: generated code runs with your full access to files and network; only resource limits and the timeout apply.' },
      outcome: 'failed',
      error: 'The LLM endpoint rejected the API key (401 Unauthorized from https://api.openai.com/v1). Set it with “Perfloop: Set API Key”.',
      candidates: [],
      warnings: [],
    },
  } satisfies ReportViewState);
}
