/**
 * The one typed protocol between extension/ (the report panel's host) and webview-ui/ (its browser code). Plain data,
 * no `vscode` and no DOM, so both sides import it; zod schemas validate every message at the border.
 *
 * The host owns the state and posts whole snapshots (`state`), which keeps the webview stateless apart from UI choices
 * (selected candidate, open sections) that it keeps in its own `vscode.setState`.
 */
import { z } from 'zod';
import type { OptimizationReport, RunEvent } from '../optimizer/types.js';

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
  /** Candidate currently being verified/measured. */
  pendingCandidateId?: string;
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
  | { type: 'revealTarget' }
  | { type: 'showLog' };

const candidateId = z.string().min(1).max(64);
export const webviewMessageSchema: z.ZodType<WebviewMessage> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('apply'), candidateId }),
  z.object({ type: z.literal('discard') }),
  z.object({ type: z.literal('copy'), candidateId }),
  z.object({ type: z.literal('showDiff'), candidateId }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('revealTarget') }),
  z.object({ type: z.literal('showLog') }),
]);

/**
 * The webview checks the envelope and the fields it renders from; the host is trusted but a malformed snapshot must
 * produce a visible error rather than a blank panel.
 */
export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('state'),
    state: z.object({
      runId: z.string(),
      status: z.enum(['running', 'done', 'failed', 'cancelled']),
      stage: z.string(),
      report: z.object({ candidates: z.array(z.object({ id: z.string(), verdict: z.string() }).passthrough()), warnings: z.array(z.string()) }).passthrough(),
      applied: z.object({ candidateId: z.string(), at: z.string() }).optional(),
      stale: z.boolean().optional(),
      pendingCandidateId: z.string().optional(),
    }),
  }),
  z.object({ type: z.literal('notice'), level: z.enum(['info', 'warning', 'error']), text: z.string() }),
]);

export function parseWebviewMessage(data: unknown): WebviewMessage | undefined {
  const parsed = webviewMessageSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

export function parseHostMessage(data: unknown): HostMessage | undefined {
  const parsed = hostMessageSchema.safeParse(data);
  return parsed.success ? (parsed.data as HostMessage) : undefined;
}

/** Folds one engine event into the view state (pure, so the live panel and its tests agree). */
export function applyRunEvent(state: ReportViewState, event: RunEvent): ReportViewState {
  const report = { ...state.report };
  let { stage, pendingCandidateId } = state;
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
      pendingCandidateId = event.id;
      stage = `Checking and measuring ${event.id}…`;
      break;
    case 'candidate':
      report.candidates = [...report.candidates.filter((c) => c.id !== event.candidate.id), event.candidate];
      if (pendingCandidateId === event.candidate.id) pendingCandidateId = undefined;
      break;
    case 'warning':
      report.warnings = [...report.warnings, event.message];
      break;
    default:
      break;
  }
  const next: ReportViewState = { ...state, stage, report };
  if (pendingCandidateId) next.pendingCandidateId = pendingCandidateId;
  else delete next.pendingCandidateId;
  return next;
}
