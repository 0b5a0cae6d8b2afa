/**
 * The one small interface every LLM back end implements: the OpenAI-compatible HTTP client here, the VS Code Language
 * Model API in extension/. The optimizer never sees anything else.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** True when the back end did not report usage and the numbers are estimates (≈ 4 characters per token). */
  estimated: boolean;
}

export interface CompletionRequest {
  messages: ChatMessage[];
  /** Overrides the provider's default temperature. */
  temperature?: number;
  signal?: AbortSignal;
}

export interface CompletionResult {
  text: string;
  usage: TokenUsage;
  model: string;
  /** Reason the model stopped, when known ('stop', 'length', ...). */
  finishReason?: string;
}

export interface LlmProvider {
  /** e.g. "openai-compatible gpt-4o-mini @ http://127.0.0.1:11434/v1". */
  readonly description: string;
  complete(request: CompletionRequest): Promise<CompletionResult>;
  /**
   * A cheap check that a real request could succeed (the endpoint answers, takes the key, serves the model), run
   * beside the slow preparation of a run so that a misconfiguration is reported in seconds. Throws the LlmError a real
   * request would; stays silent about anything it cannot tell.
   */
  preflight?(signal?: AbortSignal): Promise<void>;
}

export type LlmErrorKind =
  | 'auth' // 401/403: bad or missing key
  | 'unreachable' // connection refused, DNS, TLS
  | 'model-not-found' // 404 for the model
  | 'rate-limited' // 429 after all retries
  | 'server' // 5xx after all retries
  | 'timeout' // no answer within the request timeout, twice
  | 'cut-off' // the connection closed mid-reply or the JSON ended early, twice
  | 'aborted'
  | 'bad-request' // 400 and other 4xx
  | 'empty-reply';

/** A provider failure with a message a user can act on. */
export class LlmError extends Error {
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}
