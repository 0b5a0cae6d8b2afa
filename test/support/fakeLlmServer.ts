/**
 * A real HTTP server on 127.0.0.1 that speaks enough of the OpenAI chat-completions protocol for the real `openai`
 * client, scripted per request. Tests use it instead of an LLM:
 *
 *   const llm = await startFakeLlmServer([fakeReplies.text('### Candidate 1: ...'), fakeReplies.serverError()]);
 *   const provider = new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'fake-model' });
 *   ...
 *   assert.equal(llm.requests[0]?.headers.authorization, 'Bearer sk-test');
 *   await llm.close();
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** Optional on every reply: wait this long before answering (the client may abort meanwhile). */
interface ReplyTiming {
  delayMs?: number;
}

export type FakeReply = ReplyTiming &
  (
    | {
        /** The assistant message; null sends `"content": null` (what some servers do for refusals). */
        content: string | null;
        finishReason?: string;
        /** Defaults to counts derived from the request and reply lengths. */
        usage?: FakeUsage;
        omitUsage?: boolean;
        /** The `model` field of the response; defaults to the requested model. */
        model?: string;
      }
    | { status: number; body?: unknown; headers?: Record<string, string> }
    | { hang: true }
    | { malformedJson: true }
    /** Headers and half of a valid body, then the connection closes (a proxy or server dropping mid-reply). */
    | { cutOff: true }
  );

export type ReplyScript = FakeReply[] | ((body: ChatRequestBody, requestIndex: number) => FakeReply);

/** The parts of a chat-completions request body that tests usually look at; everything else is kept as sent. */
export interface ChatRequestBody {
  model?: string;
  messages?: { role: string; content: string }[];
  temperature?: number;
  stream?: boolean;
  [field: string]: unknown;
}

export interface RecordedRequest {
  /** 0-based position among all requests the server received. */
  index: number;
  method: string;
  /** Path and query, e.g. "/v1/chat/completions?api-version=2024-10-21". */
  url: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined for bodies that are not JSON (GET requests). */
  body: ChatRequestBody | undefined;
  /** True once the client went away before the server finished answering (abort, timeout). */
  closedByClient: boolean;
  /** Resolves when the exchange is over: answered or dropped by the client. */
  settled: Promise<void>;
}

export interface FakeLlmServer {
  /** e.g. "http://127.0.0.1:41234/v1" — pass it as the provider's baseURL. */
  baseURL: string;
  /** Every request in arrival order, including GET /v1/models and retries. */
  requests: RecordedRequest[];
  /** Only the POST .../chat/completions requests. */
  readonly chatRequests: RecordedRequest[];
  /** Appends replies to the queue (only for queue scripts). */
  enqueue(...replies: FakeReply[]): void;
  /** Stops listening and destroys open sockets, so hanging requests cannot keep mocha alive. */
  close(): Promise<void>;
}

export interface FakeLlmServerOptions {
  /** Model ids listed by GET /v1/models. */
  models?: string[];
  /** When set, every route answers 401 to a request whose bearer token is not one of these, as OpenAI does. */
  apiKeys?: string[];
}

/** Shorthands for the replies tests need most. */
export const fakeReplies = {
  text: (content: string, extra: Partial<{ finishReason: string; usage: FakeUsage; omitUsage: boolean }> = {}): FakeReply => ({
    content,
    ...extra,
  }),
  error: (status: number, message: string, extra: { code?: string; type?: string; headers?: Record<string, string> } = {}): FakeReply => ({
    status,
    body: { error: { message, type: extra.type ?? 'invalid_request_error', code: extra.code ?? null, param: null } },
    headers: extra.headers ?? {},
  }),
  unauthorized: (message = 'Incorrect API key provided.'): FakeReply =>
    fakeReplies.error(401, message, { code: 'invalid_api_key' }),
  modelNotFound: (model: string): FakeReply =>
    fakeReplies.error(404, `The model \`${model}\` does not exist or you do not have access to it.`, { code: 'model_not_found' }),
  /** retry-after-ms keeps tests fast while exercising the retry path. */
  rateLimited: (retryAfterMs = 1): FakeReply =>
    fakeReplies.error(429, 'Rate limit reached for requests.', { type: 'requests', headers: { 'retry-after-ms': String(retryAfterMs) } }),
  serverError: (status = 500): FakeReply =>
    fakeReplies.error(status, 'The server had an error while processing your request.', { type: 'server_error' }),
  hang: (): FakeReply => ({ hang: true }),
  malformedJson: (): FakeReply => ({ malformedJson: true }),
  cutOff: (): FakeReply => ({ cutOff: true }),
};

export async function startFakeLlmServer(script: ReplyScript = [], options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  const queue = Array.isArray(script) ? [...script] : undefined;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let chatIndex = 0;

  const nextReply = (body: ChatRequestBody): FakeReply => {
    const index = chatIndex++;
    if (queue === undefined) return (script as Exclude<ReplyScript, FakeReply[]>)(body, index);
    return (
      queue.shift() ??
      // x-should-retry: false so a forgotten reply fails the test at once instead of being retried.
      fakeReplies.error(500, `fake LLM server: no scripted reply left for chat request #${index}`, {
        headers: { 'x-should-retry': 'false' },
      })
    );
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake LLM server failed: ${String(error)}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    let settle!: () => void;
    const record: RecordedRequest = {
      index: requests.length,
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: parseJsonObject(rawBody),
      closedByClient: false,
      settled: new Promise<void>((resolve) => (settle = resolve)),
    };
    requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.closedByClient = true;
      settle();
    });

    const path = new URL(record.url, 'http://localhost').pathname;
    const bearer = /^Bearer (.*)$/.exec(req.headers.authorization ?? '')?.[1];
    if (options.apiKeys && !options.apiKeys.includes(bearer ?? '')) {
      sendJson(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key', param: null } });
      return;
    }
    if (req.method === 'GET' && path.endsWith('/models')) {
      const data = (options.models ?? ['fake-model']).map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' }));
      sendJson(res, 200, { object: 'list', data });
      return;
    }
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
      sendJson(res, 404, { error: { message: `fake LLM server: no route for ${req.method} ${path}`, type: 'invalid_request_error' } });
      return;
    }

    const body = record.body ?? {};
    const reply = nextReply(body);
    if (reply.delayMs !== undefined) {
      await sleepUnlessClosed(reply.delayMs, res);
      if (res.destroyed) return;
    }
    if ('hang' in reply) return; // never answer; close() or the client's abort ends it
    if ('malformedJson' in reply) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": "chatcmpl-fake", "choices": [ {"message": ');
      return;
    }
    if ('cutOff' in reply) {
      const full = JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion', created: 0, model: body.model ?? 'fake-model', choices: [{ index: 0, message: { role: 'assistant', content: 'x'.repeat(2000) }, finish_reason: 'stop' }] });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(full)) });
      res.write(full.slice(0, full.length >> 1), () => res.destroy());
      return;
    }
    if ('status' in reply) {
      const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status, { 'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json', ...reply.headers });
      res.end(payload);
      return;
    }
    const model = reply.model ?? body.model ?? 'fake-model';
    const usage = reply.omitUsage ? undefined : (reply.usage ?? derivedUsage(rawBody, reply.content ?? ''));
    if (body.stream === true) {
      sendStream(res, model, reply.content ?? '', reply.finishReason ?? 'stop', includeStreamUsage(body) ? usage : undefined);
      return;
    }
    sendJson(res, 200, {
      id: `chatcmpl-fake-${record.index}`,
      object: 'chat.completion',
      created: 0,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply.content }, finish_reason: reply.finishReason ?? 'stop', logprobs: null }],
      ...(usage ? { usage } : {}),
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get chatRequests() {
      return requests.filter((r) => r.method === 'POST' && r.url.includes('/chat/completions'));
    },
    enqueue(...replies) {
      if (queue === undefined) throw new Error('enqueue() needs a server started with a list of replies, not a function');
      queue.push(...replies);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJsonObject(text: string): ChatRequestBody | undefined {
  if (text.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as ChatRequestBody) : undefined;
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** Server-sent events as OpenAI sends them: role first, content in pieces, finish reason, optional usage, [DONE]. */
function sendStream(res: ServerResponse, model: string, content: string, finishReason: string, usage: FakeUsage | undefined): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const chunk = (delta: object, finish: string | null, extra: object = {}) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
  res.write(chunk({ role: 'assistant', content: '' }, null));
  for (let start = 0; start < content.length; start += 16) res.write(chunk({ content: content.slice(start, start + 16) }, null));
  res.write(chunk({}, finishReason));
  if (usage) res.write(`data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model, choices: [], usage })}\n\n`);
  res.end('data: [DONE]\n\n');
}

function includeStreamUsage(body: ChatRequestBody): boolean {
  const streamOptions = body['stream_options'];
  return typeof streamOptions === 'object' && streamOptions !== null && (streamOptions as { include_usage?: unknown }).include_usage === true;
}

/** Deterministic, plausible counts so tests can tell reported usage from the provider's own estimate. */
function derivedUsage(requestBody: string, content: string): FakeUsage {
  const prompt_tokens = 7 + Math.ceil(requestBody.length / 3);
  const completion_tokens = 3 + Math.ceil(content.length / 3);
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

function sleepUnlessClosed(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    res.once('close', done);
    function done() {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
  });
}
