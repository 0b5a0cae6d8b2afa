/**
 * The LLM provider for every OpenAI-compatible chat-completions endpoint: OpenAI, Azure OpenAI, OpenRouter, Ollama,
 * llama.cpp, LM Studio, vLLM. Talks through the official `openai` client; owns retries, timeouts and cancellation
 * itself so that an abort is prompt even during a back-off wait, and turns every failure into an LlmError whose
 * message says what to do.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { z } from 'zod';
import { estimateUsage } from './tokenCounter.js';
import {
  LlmError,
  type CompletionRequest,
  type CompletionResult,
  type LlmErrorKind,
  type LlmProvider,
  type TokenUsage,
} from './provider.js';

export interface OpenAICompatibleProviderOptions {
  /** e.g. "https://api.openai.com/v1", "http://127.0.0.1:11434/v1" (Ollama). */
  baseURL: string;
  /** Omit for local servers that need none (Ollama, llama.cpp, LM Studio): a placeholder is sent instead. */
  apiKey?: string;
  model: string;
  /** Default 0.7; a request may override it. */
  temperature?: number;
  /** Per attempt, covering the whole response body. Default 120 000. An attempt that runs out is retried once. */
  timeoutMs?: number;
  /** Retries after a 408/409/429/5xx or a dropped connection. Default 3, so at most 4 requests. */
  maxRetries?: number;
  /**
   * First back-off wait; it doubles per retry up to 8 s, with jitter. Default 500. A `retry-after-ms` or
   * `retry-after` header from the server takes precedence (capped at 60 s). Tests set 1.
   */
  retryBaseDelayMs?: number;
  /** Sent as OpenAI-Organization. */
  organization?: string;
  /** Extra headers on every request (e.g. OpenRouter's HTTP-Referer). */
  defaultHeaders?: Record<string, string>;
  /** Extra query parameters on every request. */
  defaultQuery?: Record<string, string>;
  /**
   * Where the key goes. 'auto' (default) uses Azure's `api-key` header for *.openai.azure.com,
   * *.cognitiveservices.azure.com and *.services.ai.azure.com, and `Authorization: Bearer` elsewhere.
   */
  apiKeyHeader?: 'auto' | 'authorization' | 'api-key';
  /**
   * Azure's `api-version` query parameter. Needed for deployment URLs
   * (https://NAME.openai.azure.com/openai/deployments/DEPLOYMENT), where it defaults to 2024-10-21;
   * Azure's newer /openai/v1 URLs need none.
   */
  azureApiVersion?: string;
  /** The advice appended to authentication errors; the CLI and the extension store keys differently. */
  credentialHint?: string;
}

const NO_KEY_PLACEHOLDER = 'no-key';
const DEFAULT_AZURE_API_VERSION = '2024-10-21';
const MAX_BACKOFF_MS = 8_000;
const MAX_RETRY_AFTER_MS = 60_000;
const DEFAULT_CREDENTIAL_HINT = "Set PERFLOOP_API_KEY, or store a key with Perfloop's “Set API Key” command in VS Code.";
const AZURE_HOST = /\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/i;
/** Connection failures that another attempt will not fix. */
const PERMANENT_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_NONAME', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID']);

/** What we rely on in a chat-completions response; servers that call themselves compatible vary. */
const ChatCompletionSchema = z.object({
  model: z.string().optional().catch(undefined),
  choices: z.array(
    z.object({
      message: z.object({ content: z.string().nullish() }).nullish(),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: z
    .object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number().optional() })
    .nullish()
    .catch(undefined),
});

const ModelListSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

/**
 * A failed attempt: the error to report if it is the last one, and whether another attempt may succeed. `interrupted`
 * failures (no answer in time, a reply cut off) are retried once on their own budget: one more try usually gets a
 * whole reply, and more would only multiply the wait.
 */
interface AttemptFailure {
  error: LlmError;
  retryable: boolean;
  interrupted?: boolean;
  retryAfterMs?: number;
}

const INTERRUPTED_RETRIES = 1;
const TIMEOUT_HINT = 'raise the request timeout (perfloop.requestTimeout, --request-timeout or PERFLOOP_REQUEST_TIMEOUT) or use a smaller model';

export class OpenAICompatibleProvider implements LlmProvider {
  readonly description: string;
  private readonly client: OpenAI;
  private readonly baseURL: string;
  private readonly model: string;
  private readonly apiKey: string | undefined;
  private readonly temperature: number;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly credentialHint: string;

  constructor(options: OpenAICompatibleProviderOptions) {
    this.baseURL = options.baseURL.replace(/\/+$/, '');
    this.model = options.model;
    this.apiKey = options.apiKey?.trim() || undefined;
    this.temperature = options.temperature ?? 0.7;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.maxRetries = Math.max(0, options.maxRetries ?? 3);
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
    this.credentialHint = options.credentialHint ?? DEFAULT_CREDENTIAL_HINT;
    this.description = `openai-compatible ${this.model} @ ${this.baseURL}`;

    const keyInApiKeyHeader = usesApiKeyHeader(this.baseURL, options.apiKeyHeader ?? 'auto');
    const azureApiVersion = options.azureApiVersion ?? (/\/openai\/deployments\//.test(this.baseURL) ? DEFAULT_AZURE_API_VERSION : undefined);
    this.client = new OpenAI({
      baseURL: this.baseURL,
      apiKey: this.apiKey ?? NO_KEY_PLACEHOLDER,
      // Explicit nulls: otherwise the client reads OPENAI_* variables and could send a user's OpenAI keys to any endpoint.
      adminAPIKey: null,
      organization: options.organization ?? null,
      project: null,
      maxRetries: 0, // retries are ours, so that aborts interrupt the back-off
      timeout: this.timeoutMs,
      defaultHeaders: {
        ...(keyInApiKeyHeader ? { 'api-key': this.apiKey ?? NO_KEY_PLACEHOLDER, Authorization: null } : {}),
        ...options.defaultHeaders,
      },
      defaultQuery: { ...(keyInApiKeyHeader && azureApiVersion ? { 'api-version': azureApiVersion } : {}), ...options.defaultQuery },
    });
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    return this.withRetries(request.signal, (signal) => this.completeOnce(request, signal));
  }

  /** The model ids the endpoint serves (GET /models), for pickers and for checking a configured name. */
  async listModels(signal?: AbortSignal): Promise<string[]> {
    return this.withRetries(signal, async (attemptSignal) => {
      const page = await this.client.models.list({ signal: attemptSignal });
      const parsed = ModelListSchema.safeParse({ data: page.data });
      if (!parsed.success) throw this.malformedResponse();
      return parsed.data.data.map((model) => model.id);
    });
  }

  /**
   * GET /models, which costs nothing; only when the model is not listed (or the endpoint lists none), a one-token chat
   * request, which is what tells an unknown model from a server that accepts any name (llama.cpp) or lists none (Azure).
   */
  async preflight(signal?: AbortSignal): Promise<void> {
    let listed: string[] = [];
    try {
      listed = await this.listModels(signal);
    } catch (error) {
      // Only these: a 404 here means no listing route, whatever its text says about models.
      if (isFailureOf(error, ['auth', 'unreachable', 'aborted'])) throw error;
    }
    if (listed.includes(this.model)) return;
    try {
      await this.withRetries(signal, (attemptSignal) =>
        this.client.chat.completions.create({ model: this.model, messages: [{ role: 'user', content: 'Reply with OK.' }], max_tokens: 1 }, { signal: attemptSignal }),
      );
    } catch (error) {
      // A 404 that is not about the model means a wrong base URL: every real request would meet it too.
      if (isFailureOf(error, ['auth', 'unreachable', 'aborted', 'model-not-found']) || (error instanceof LlmError && error.status === 404)) throw error;
    }
  }

  private async completeOnce(request: CompletionRequest, signal: AbortSignal): Promise<CompletionResult> {
    const response: unknown = await this.client.chat.completions.create(
      { model: this.model, messages: request.messages, temperature: request.temperature ?? this.temperature },
      { signal },
    );
    const parsed = ChatCompletionSchema.safeParse(response);
    if (!parsed.success) throw this.malformedResponse();
    const choice = parsed.data.choices[0];
    const text = choice?.message?.content ?? '';
    const finishReason = choice?.finish_reason ?? undefined;
    if (text.trim() === '') throw this.emptyReply(finishReason);
    return {
      text,
      usage: reportedUsage(parsed.data.usage) ?? estimateUsage(request.messages, text),
      model: parsed.data.model ?? this.model,
      ...(finishReason !== undefined ? { finishReason } : {}),
    };
  }

  /**
   * Runs `attempt` with a per-attempt deadline and the caller's signal, retrying transient failures with
   * exponential back-off. The deadline is ours rather than the client's because the client's covers only the
   * wait for response headers, not a body that stalls.
   */
  private async withRetries<T>(callerSignal: AbortSignal | undefined, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    let retriesDone = 0;
    let interruptedRetries = 0;
    for (let attempts = 1; ; attempts++) {
      if (callerSignal?.aborted) throw this.aborted();
      const deadline = AbortSignal.timeout(this.timeoutMs);
      const attemptSignal = callerSignal ? AbortSignal.any([callerSignal, deadline]) : deadline;
      let failure: AttemptFailure;
      try {
        return await attempt(attemptSignal);
      } catch (error) {
        if (callerSignal?.aborted) throw this.aborted();
        failure = deadline.aborted ? { error: this.timedOut(), retryable: false, interrupted: true } : this.classify(error);
      }
      if (failure.interrupted && interruptedRetries < INTERRUPTED_RETRIES) {
        interruptedRetries++;
        continue; // at once: nothing says the server is overloaded
      }
      if (!failure.retryable || failure.interrupted || retriesDone >= this.maxRetries) throw this.afterAttempts(failure.error, attempts);
      await sleepUnlessAborted(this.retryDelayMs(retriesDone, failure.retryAfterMs), callerSignal);
      retriesDone++;
      if (callerSignal?.aborted) throw this.aborted();
    }
  }

  private retryDelayMs(retriesDone: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS);
    const backoff = Math.min(this.retryBaseDelayMs * 2 ** retriesDone, MAX_BACKOFF_MS);
    return backoff * (1 - Math.random() * 0.25); // jitter, so parallel loops do not retry in lockstep
  }

  private classify(error: unknown): AttemptFailure {
    if (error instanceof LlmError) return { error, retryable: false, interrupted: error.kind === 'empty-reply' && /token limit/.test(error.message) };
    if (error instanceof APIConnectionTimeoutError) return { error: this.timedOut(), retryable: false, interrupted: true };
    if (isCutOff(error)) return { error: this.cutOff('the connection closed before the reply was complete'), retryable: false, interrupted: true };
    if (error instanceof APIConnectionError) {
      const code = connectionErrorCode(error);
      return { error: this.unreachable(code), retryable: code === undefined || !PERMANENT_CONNECTION_CODES.has(code) };
    }
    if (error instanceof APIError && error.status !== undefined) return this.classifyStatus(error, error.status);
    if (error instanceof SyntaxError) {
      return { error: this.cutOff('its JSON ends early or is not valid: the connection may have been cut, or the server is not OpenAI-compatible (check the base URL: it usually ends in /v1)'), retryable: false, interrupted: true };
    }
    return { error: new LlmError('server', `The request to ${this.baseURL} failed: ${this.redact(String(error))}`), retryable: false };
  }

  private classifyStatus(error: APIError, status: number): AttemptFailure {
    const detail = this.serverDetail(error);
    const serverSaysRetry = error.headers?.get('x-should-retry');
    const retryAfterMs = retryAfterFromHeaders(error.headers);
    const transient = serverSaysRetry === 'true' || (serverSaysRetry !== 'false' && (status === 408 || status === 409 || status === 429 || status >= 500));
    const fail = (kind: LlmErrorKind, message: string, retryable = transient): AttemptFailure => ({
      error: new LlmError(kind, message, status),
      retryable,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });

    if (status === 401) {
      const problem = this.apiKey ? `rejected the API key (401: ${detail})` : `requires an API key (401) and none is configured`;
      return fail('auth', `The endpoint at ${this.baseURL} ${problem}. ${this.credentialHint}`, false);
    }
    if (status === 403) {
      return fail('auth', `The endpoint at ${this.baseURL} refused access (403: ${detail}). Check that the API key may use model "${this.model}". ${this.credentialHint}`, false);
    }
    if (status === 404 && (error.code === 'model_not_found' || /model/i.test(detail))) {
      return fail('model-not-found', `The endpoint at ${this.baseURL} has no model "${this.model}" (404: ${detail}). List the models it serves (GET ${this.baseURL}/models; for Ollama \`ollama list\`, then \`ollama pull <name>\`) and set the model name to one of them.`, false);
    }
    if (status === 404) {
      return fail('bad-request', `The endpoint at ${this.baseURL} has no chat-completions route (404: ${detail}). Check the base URL: OpenAI-compatible servers usually end in /v1.`, false);
    }
    if (status === 429 && error.code === 'insufficient_quota') {
      return fail('rate-limited', `The account behind the API key for ${this.baseURL} is out of quota (429: ${detail}). Check the plan and billing.`, false);
    }
    if (status === 429) return fail('rate-limited', `The endpoint at ${this.baseURL} is rate-limiting requests (429: ${detail}). Wait a minute and try again, or use a plan or model with a higher limit.`);
    if (status === 408) return fail('timeout', `The endpoint at ${this.baseURL} timed out the request (408: ${detail}). Try again later or use a faster model.`);
    if (status >= 500) return fail('server', `The endpoint at ${this.baseURL} failed with ${status} (${detail}). The server may be overloaded or the model may have crashed; try again later.`);
    return fail('bad-request', `The endpoint at ${this.baseURL} rejected the request (${status}: ${detail}).`);
  }

  /** Says that retries happened, so the user knows waiting longer by hand will probably not help. */
  private afterAttempts(error: LlmError, attempts: number): LlmError {
    const tally = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
    if (error.message.includes('{attempts}')) return new LlmError(error.kind, error.message.replace('{attempts}', tally), error.status);
    if (attempts === 1) return error;
    return new LlmError(error.kind, error.message.replace(/\.$/, '') + ` (gave up after ${tally}).`, error.status);
  }

  private unreachable(code: string | undefined): LlmError {
    const reason =
      code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'EAI_AGAIN' ? 'the host name does not resolve'
      : code === 'ECONNREFUSED' ? 'nothing is listening there'
      : code !== undefined && /CERT|TLS|SSL/.test(code) ? `a TLS certificate problem (${code})`
      : code !== undefined ? code
      : 'the connection failed';
    return new LlmError('unreachable', `Could not reach the LLM endpoint at ${this.baseURL}: ${reason}. Check the base URL and that the server is running (for Ollama: \`ollama serve\`).`);
  }

  /** `{attempts}` is filled in by afterAttempts. */
  private timedOut(): LlmError {
    return new LlmError('timeout', `The model "${this.model}" at ${this.baseURL} did not answer within ${formatSeconds(this.timeoutMs)} ({attempts}). Large models on local hardware can be slow: ${TIMEOUT_HINT}.`);
  }

  private cutOff(why: string): LlmError {
    return new LlmError('cut-off', `The reply from the endpoint at ${this.baseURL} was cut off ({attempts}): ${why}.`);
  }

  private aborted(): LlmError {
    return new LlmError('aborted', `The request to ${this.baseURL} was cancelled.`);
  }

  private emptyReply(finishReason: string | undefined): LlmError {
    const why =
      finishReason === 'length' ? ' (it stopped at its output token limit)'
      : finishReason === 'content_filter' ? ' (its content filter blocked the reply)'
      : '';
    return new LlmError('empty-reply', `The model "${this.model}" at ${this.baseURL} returned an empty reply${why}. Try again or use another model.`);
  }

  private malformedResponse(): LlmError {
    return new LlmError('server', `The endpoint at ${this.baseURL} did not answer like an OpenAI-compatible API (the response is not the expected JSON). Check the base URL: it usually ends in /v1.`);
  }

  /** The server's own explanation, shortened, with the API key removed in case the server echoes it. */
  private serverDetail(error: APIError): string {
    const body = error.error as { message?: unknown } | undefined;
    const message = typeof body?.message === 'string' ? body.message : error.message.replace(/^\d{3}\s+/, '');
    const oneLine = message.replace(/\s+/g, ' ').trim() || 'no details';
    return this.redact(oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine);
  }

  private redact(text: string): string {
    return this.apiKey ? text.split(this.apiKey).join('[redacted]') : text;
  }
}

function usesApiKeyHeader(baseURL: string, choice: 'auto' | 'authorization' | 'api-key'): boolean {
  if (choice !== 'auto') return choice === 'api-key';
  try {
    return AZURE_HOST.test(new URL(baseURL).hostname);
  } catch {
    return false;
  }
}

function reportedUsage(usage: z.infer<typeof ChatCompletionSchema>['usage']): TokenUsage | undefined {
  if (!usage) return undefined;
  const { prompt_tokens: promptTokens, completion_tokens: completionTokens } = usage;
  return { promptTokens, completionTokens, totalTokens: usage.total_tokens ?? promptTokens + completionTokens, estimated: false };
}

/** `retry-after-ms` (OpenAI's) or `retry-after` in seconds or as an HTTP date. */
function retryAfterFromHeaders(headers: Headers | undefined): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds)) return milliseconds;
  const retryAfter = headers?.get('retry-after');
  if (!retryAfter) return undefined;
  const seconds = Number.parseFloat(retryAfter);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isFinite(date) ? date - Date.now() : undefined;
}

/** The errno-style code (ECONNREFUSED, ...) buried in fetch's cause chain, if any. */
function connectionErrorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    pending.push(cause, ...(Array.isArray(errors) ? errors : []));
  }
  return undefined;
}

/** For the preflight: failures a real request would meet too. Anything else (max_tokens refused, a slow model) says nothing. */
function isFailureOf(error: unknown, kinds: readonly LlmErrorKind[]): boolean {
  return error instanceof LlmError && kinds.includes(error.kind);
}

/** A body that stopped arriving: undici's "terminated" (socket closed) or a reset, after the headers came. */
function isCutOff(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return (error.name === 'TypeError' && error.message === 'terminated') || cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET';
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
