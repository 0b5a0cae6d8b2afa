/**
 * The one typed protocol between extension/ (the report panel's host) and webview-ui/ (its browser code). Plain data,
 * no `vscode` and no DOM, so both sides import it; zod schemas validate every message at the border.
 *
 * The host owns the state and posts whole snapshots (`state`), which keeps the webview stateless apart from UI choices
 * (selected candidate, open sections) that it keeps in its own `vscode.setState`.
 */
// zod/mini: the same validation as classic zod at a quarter of the size in the webview bundle (~21 KB against ~94 KB).
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import type { OptimizationReport, RunEvent } from '../optimizer/types.js';
import type { Verdict } from '../profilers/stats/types.js';

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled';

/** What the report panel shows: a report being filled in live, then the finished one. */
export interface ReportViewState {
  runId: string;
  status: RunStatus;
  /** The latest progress line ("Profiling the original…"). */
  stage: string;
  /** Partial while running: filled from RunEvents as they arrive. */
  report: Partial<OptimizationReport> & Pick<OptimizationReport, 'candidates' | 'warnings'>;
  /** Set once the user applied a candidate from this run. */
  applied?: { candidateId: string; at: string };
  /** Set when the document changed under the target since the run started: Apply is refused. */
  stale?: boolean;
  /** Candidates being verified/measured right now (several when the run measures candidates side by side). */
  pendingCandidateIds?: string[];
}

/**
 * Only a candidate verified equivalent and measured faster is applied from the report; an equivalent one that is not
 * faster can still be copied deliberately. Both sides use this: the webview to enable Apply, the host to refuse.
 */
export function isApplicableVerdict(verdict: Verdict): boolean {
  return verdict === 'faster';
}

/** Host → webview. */
export type HostMessage =
  | { type: 'state'; state: ReportViewState }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; text: string };

/** Webview → host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'apply'; candidateId: string }
  | { type: 'discard' }
  | { type: 'copy'; candidateId: string }
  | { type: 'showDiff'; candidateId: string }
  | { type: 'cancel' }
  /** `line`: 1-based line in the file to reveal (a hot line); absent: the function itself. */
  | { type: 'revealTarget'; line?: number }
  | { type: 'showLog' };

const candidateId = z.string().check(z.minLength(1), z.maxLength(64));
export const webviewMessageSchema: z.ZodMiniType<WebviewMessage> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('apply'), candidateId }),
  z.object({ type: z.literal('discard') }),
  z.object({ type: z.literal('copy'), candidateId }),
  z.object({ type: z.literal('showDiff'), candidateId }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('revealTarget'), line: z.optional(z.int().check(z.positive())) }),
  z.object({ type: z.literal('showLog') }),
]);

/**
 * The webview checks the envelope and the fields it renders from; the host is trusted but a malformed snapshot must
 * produce a visible error rather than a blank panel. Objects are loose: fields the panel does not read pass through.
 */
// zod/mini ships without messages; the panel shows the first issue to the user, so give it words.
z.config(en());
// postMessage uses structured clone, so Infinity and NaN can arrive; the panel formats them as "—".
const anyNumber = z.custom<number>((value) => typeof value === 'number', 'expected a number');
const verdictSchema = z.enum(['faster', 'slower', 'no-difference', 'incorrect', 'error', 'timeout']);
const complexitySchema = z.looseObject({
  points: z.array(z.looseObject({ size: anyNumber, seconds: anyNumber })),
  fit: z.optional(z.looseObject({ exponent: anyNumber, exponentStdError: anyNumber, coefficient: anyNumber, rSquared: anyNumber, label: z.string() })),
});
const lineProfileSchema = z.looseObject({
  entries: z.array(z.looseObject({ line: anyNumber, text: z.string(), hits: anyNumber, timeShare: anyNumber, memoryBytes: anyNumber })),
  basis: z.optional(z.enum(['time', 'instructions'])),
});
const speedupSchema = z.looseObject({
  ratio: anyNumber,
  low: anyNumber,
  high: anyNumber,
  confidence: anyNumber,
  noiseThreshold: anyNumber,
  samples: anyNumber,
});
const candidateSchema = z.looseObject({
  id: z.string(),
  round: anyNumber,
  code: z.string(),
  diff: z.optional(z.string()),
  rationale: z.string(),
  verdict: verdictSchema,
  repairOf: z.optional(z.string()),
  reason: z.optional(z.string()),
  counterexample: z.optional(z.looseObject({ kind: z.string(), input: z.string(), expected: z.string(), actual: z.string() })),
  speedup: z.optional(speedupSchema),
  instructions: z.optional(z.looseObject({ count: anyNumber, ratio: anyNumber })),
  memory: z.optional(z.looseObject({ peakBytes: anyNumber, ratio: anyNumber })),
});
const reportSchema = z.looseObject({
  target: z.optional(
    z.looseObject({ file: z.string(), functionName: z.string(), source: z.optional(z.string()), range: z.looseObject({ start: anyNumber, end: anyNumber }) }),
  ),
  settings: z.optional(z.looseObject({ noiseThreshold: anyNumber })),
  environment: z.optional(z.looseObject({ runner: z.string(), sandbox: z.string(), instructionCounter: z.string(), timer: z.string() })),
  workload: z.optional(z.looseObject({ origin: z.string(), correctnessInputs: anyNumber, performanceInputs: anyNumber, examples: z.array(z.string()) })),
  baseline: z.optional(
    z.looseObject({
      secondsPerCall: anyNumber,
      instructions: z.optional(anyNumber),
      peakMemoryBytes: z.optional(anyNumber),
      lineProfile: z.optional(lineProfileSchema),
      complexity: z.optional(complexitySchema),
    }),
  ),
  candidates: z.array(candidateSchema),
  outcome: z.optional(z.enum(['improved', 'no-significant-improvement', 'failed', 'cancelled'])),
  best: z.optional(z.looseObject({ candidateId: z.string(), diff: z.string(), complexity: z.optional(complexitySchema) })),
  wholeProgram: z.optional(z.looseObject({ command: z.string() })),
  error: z.optional(z.string()),
  durationMs: z.optional(anyNumber),
  tokenUsage: z.optional(z.looseObject({ totalTokens: anyNumber, requests: anyNumber })),
  warnings: z.array(z.string()),
});
const viewStateSchema = z.looseObject({
  runId: z.string(),
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
  stage: z.string(),
  report: reportSchema,
  applied: z.optional(z.object({ candidateId: z.string(), at: z.string() })),
  stale: z.optional(z.boolean()),
  pendingCandidateIds: z.optional(z.array(z.string())),
});
export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: viewStateSchema }),
  z.object({ type: z.literal('notice'), level: z.enum(['info', 'warning', 'error']), text: z.string() }),
]);

export function parseWebviewMessage(data: unknown): WebviewMessage | undefined {
  const parsed = webviewMessageSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

export function parseHostMessage(data: unknown): HostMessage | undefined {
  const parsed = safeParseHostMessage(data);
  return parsed.ok ? parsed.message : undefined;
}

/** Like parseHostMessage, but says what was wrong (the panel shows it). */
export function safeParseHostMessage(data: unknown): { ok: true; message: HostMessage } | { ok: false; error: string } {
  const parsed = hostMessageSchema.safeParse(data);
  if (parsed.success) return { ok: true, message: parsed.data as HostMessage };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, error: `${where}${issue?.message ?? 'invalid message'}` };
}

/**
 * What the webview keeps with `vscode.setState`: its UI choices and the last snapshot it showed. VS Code hands the same
 * object to a WebviewPanelSerializer after a reload, so the host can reopen the panel on `runId`.
 */
export interface PersistedWebviewState {
  version: 1;
  /** The run on screen (= snapshot.runId), at the top level where the panel serializer looks for it. */
  runId?: string;
  ui: {
    /** Absent: follow the best (or top-ranked) candidate. */
    selectedCandidateId?: string;
    /** Ids of the sections the user collapsed. */
    collapsedSections: string[];
    codeView: 'diff' | 'code';
  };
  snapshot?: ReportViewState;
}

const persistedStateSchema = z.object({
  version: z.literal(1),
  runId: z.optional(z.string()),
  ui: z.object({
    selectedCandidateId: z.optional(z.string()),
    collapsedSections: z.array(z.string()).check(z.maxLength(32)),
    codeView: z.enum(['diff', 'code']),
  }),
  snapshot: z.optional(viewStateSchema),
});

/** Reads back what the webview persisted (from `getState()`, or the serializer's `state`); undefined when unusable. */
export function parsePersistedWebviewState(data: unknown): PersistedWebviewState | undefined {
  const parsed = persistedStateSchema.safeParse(data);
  return parsed.success ? (parsed.data as PersistedWebviewState) : undefined;
}

/** Folds one engine event into the view state (pure, so the live panel and its tests agree). */
export function applyRunEvent(state: ReportViewState, event: RunEvent): ReportViewState {
  const report = { ...state.report };
  let { stage } = state;
  let pending = state.pendingCandidateIds ?? [];
  switch (event.type) {
    case 'stage':
      stage = event.message;
      break;
    case 'target':
      report.target = event.target;
      break;
    case 'environment':
      report.environment = event.environment;
      break;
    case 'workload':
      report.workload = event.workload;
      break;
    case 'baseline':
      report.baseline = event.baseline;
      break;
    case 'round-start':
      stage = `Round ${event.round} of ${event.rounds}: waiting for the LLM…`;
      break;
    case 'candidate-start':
      pending = [...pending.filter((id) => id !== event.id), event.id];
      stage = `Checking and measuring ${pending.join(', ')}…`;
      break;
    case 'candidate':
      report.candidates = [...report.candidates.filter((c) => c.id !== event.candidate.id), event.candidate];
      pending = pending.filter((id) => id !== event.candidate.id);
      if (pending.length > 0) stage = `Checking and measuring ${pending.join(', ')}…`;
      break;
    case 'warning':
      report.warnings = [...report.warnings, event.message];
      break;
    default:
      break;
  }
  const next: ReportViewState = { ...state, stage, report };
  if (pending.length > 0) next.pendingCandidateIds = pending;
  else delete next.pendingCandidateIds;
  return next;
}
