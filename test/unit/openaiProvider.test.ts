import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import OpenAI from 'openai';
import { OpenAICompatibleProvider, type OpenAICompatibleProviderOptions } from '../../optimizer/llm/openaiProvider.js';
import { LlmError, type ChatMessage, type LlmErrorKind } from '../../optimizer/llm/provider.js';
import { fakeReplies, startFakeLlmServer, type FakeLlmServer, type ReplyScript } from '../support/fakeLlmServer.js';

const SECRET_KEY = 'sk-test-0123456789abcdef';
const messages: ChatMessage[] = [
  { role: 'system', content: 'You optimize code.' },
  { role: 'user', content: 'Make `find_dupes` faster.' },
];

describe('OpenAICompatibleProvider (against a fake OpenAI-compatible server)', () => {
  let llm: FakeLlmServer | undefined;
  afterEach(async () => {
    await llm?.close();
    llm = undefined;
  });

  async function providerFor(script: ReplyScript, options: Partial<OpenAICompatibleProviderOptions> = {}) {
    llm = await startFakeLlmServer(script);
    return new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'fake-model', apiKey: SECRET_KEY, retryBaseDelayMs: 1, ...options });
  }

  async function failure(promise: Promise<unknown>): Promise<LlmError> {
    const error = await promise.then(
      () => assert.fail('expected the request to fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof LlmError, `expected an LlmError, got ${String(error)}`);
    return error;
  }

  function assertKind(error: LlmError, kind: LlmErrorKind) {
    assert.equal(error.kind, kind, error.message);
    assert.ok(!error.message.includes(SECRET_KEY), `the API key leaked into: ${error.message}`);
  }

  it('returns the reply text, the model and the usage the server reported', async () => {
    const provider = await providerFor([fakeReplies.text('### Candidate 1: ok', { usage: { prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 } })]);
    const result = await provider.complete({ messages });
    assert.equal(result.text, '### Candidate 1: ok');
    assert.equal(result.model, 'fake-model');
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.usage, { promptTokens: 11, completionTokens: 5, totalTokens: 16, estimated: false });
  });

  it('estimates usage at about four characters per token when the server reports none', async () => {
    const reply = 'x'.repeat(400);
    const provider = await providerFor([{ content: reply, omitUsage: true }]);
    const { usage } = await provider.complete({ messages });
    assert.equal(usage.estimated, true);
    assert.equal(usage.completionTokens, 100);
    assert.ok(usage.promptTokens > 0);
    assert.equal(usage.totalTokens, usage.promptTokens + usage.completionTokens);
  });

  it('sends the messages, the model, the default temperature and the API key as a bearer token', async () => {
    const provider = await providerFor([fakeReplies.text('ok')]);
    await provider.complete({ messages });
    const request = llm!.chatRequests[0];
    assert.equal(request?.headers.authorization, `Bearer ${SECRET_KEY}`);
    assert.equal(request?.body?.model, 'fake-model');
    assert.equal(request?.body?.temperature, 0.7);
    assert.deepEqual(request?.body?.messages, messages);
  });

  it('lets a request override the temperature', async () => {
    const provider = await providerFor([fakeReplies.text('ok'), fakeReplies.text('ok')], { temperature: 0.2 });
    await provider.complete({ messages });
    await provider.complete({ messages, temperature: 1.1 });
    assert.deepEqual(llm!.chatRequests.map((r) => r.body?.temperature), [0.2, 1.1]);
  });

  it('works without an API key (Ollama, llama.cpp, LM Studio), sending only a placeholder', async () => {
    const provider = await providerFor([fakeReplies.text('ok')], { apiKey: undefined });
    assert.equal((await provider.complete({ messages })).text, 'ok');
    assert.equal(llm!.chatRequests[0]?.headers.authorization, 'Bearer no-key');
  });

  it('never sends keys from OPENAI_* environment variables to the configured endpoint', async () => {
    const saved = { key: process.env['OPENAI_API_KEY'], admin: process.env['OPENAI_ADMIN_KEY'] };
    process.env['OPENAI_API_KEY'] = 'sk-env-secret';
    process.env['OPENAI_ADMIN_KEY'] = 'sk-env-admin-secret';
    try {
      const provider = await providerFor([fakeReplies.text('ok')], { apiKey: undefined });
      await provider.complete({ messages });
      assert.ok(!JSON.stringify(llm!.chatRequests[0]?.headers).includes('sk-env'));
    } finally {
      restoreEnv('OPENAI_API_KEY', saved.key);
      restoreEnv('OPENAI_ADMIN_KEY', saved.admin);
    }
  });

  it('sends an Azure-style api-key header and api-version query instead of a bearer token when asked', async () => {
    const provider = await providerFor([fakeReplies.text('ok')], { apiKeyHeader: 'api-key', azureApiVersion: '2024-10-21' });
    await provider.complete({ messages });
    const request = llm!.chatRequests[0];
    assert.equal(request?.headers['api-key'], SECRET_KEY);
    assert.equal(request?.headers.authorization, undefined);
    assert.match(request?.url ?? '', /[?&]api-version=2024-10-21/);
  });

  it('reports a rejected key as an auth error that names the endpoint and says what to set, without the key', async () => {
    // Some servers echo the key they received; it must still not reach the message.
    const provider = await providerFor([fakeReplies.unauthorized(`Incorrect API key provided: ${SECRET_KEY}.`)]);
    const error = await failure(provider.complete({ messages }));
    assertKind(error, 'auth');
    assert.equal(error.status, 401);
    assert.ok(error.message.includes(llm!.baseURL));
    assert.match(error.message, /rejected the API key \(401/);
    assert.match(error.message, /PERFLOOP_API_KEY/);
    assert.equal(llm!.chatRequests.length, 1, 'auth failures are not retried');
  });

  it('says that a key is missing when the endpoint needs one and none is configured', async () => {
    const provider = await providerFor([fakeReplies.unauthorized()], { apiKey: undefined });
    const error = await failure(provider.complete({ messages }));
    assertKind(error, 'auth');
    assert.match(error.message, /requires an API key/);
  });

  it('reports an unknown model by name and suggests listing the served models', async () => {
    const provider = await providerFor([fakeReplies.modelNotFound('gpt-9')], { model: 'gpt-9' });
    const error = await failure(provider.complete({ messages }));
    assertKind(error, 'model-not-found');
    assert.match(error.message, /"gpt-9"/);
    assert.match(error.message, /\/models/);
  });

  it('reports a 404 that is not about the model as a wrong base URL', async () => {
    const provider = await providerFor([fakeReplies.error(404, 'Not Found')]);
    const error = await failure(provider.complete({ messages }));
    assertKind(error, 'bad-request');
    assert.match(error.message, /\/v1/);
  });

  it('reports a closed port as unreachable, naming the base URL, without retrying', async () => {
    const port = await closedPort();
    const baseURL = `http://127.0.0.1:${port}/v1`;
    const provider = new OpenAICompatibleProvider({ baseURL, model: 'fake-model', apiKey: SECRET_KEY, retryBaseDelayMs: 1 });
    const started = Date.now();
    const error = await failure(provider.complete({ messages }));
    assertKind(error, 'unreachable');
    assert.ok(error.message.includes(baseURL));
    assert.match(error.message, /nothing is listening/);
    assert.ok(Date.now() - started < 2000);
  });

  it('retries a 500 and returns the reply that follows', async () => {
    const provider = await providerFor([fakeReplies.serverError(), fakeReplies.text('recovered')]);
    assert.equal((await provider.complete({ messages })).text, 'recovered');
    assert.equal(llm!.chatRequests.length, 2);
  });

  it('gives up on a persistent 500 after maxRetries + 1 requests with a server error', async () => {
    const provider = await providerFor(() => fakeReplies.serverError(503), { maxRetries: 2 });
    const error = await failure(provider.complete({ messages }));
    assertKind(error, 'server');
    assert.equal(error.status, 503);
    assert.match(error.message, /3 attempts/);
    assert.equal(llm!.chatRequests.length, 3);
  });

  it('gives up on a persistent 429 after maxRetries + 1 requests with a rate-limited error', async () => {
    const provider = await providerFor(() => fakeReplies.rateLimited(1), { maxRetries: 3 });
    const error = await failure(provider.complete({ messages }));
    assertKind(error, 'rate-limited');
    assert.equal(llm!.chatRequests.length, 4);
  });

  it('honours retry-after between attempts', async () => {
    const provider = await providerFor([fakeReplies.rateLimited(150), fakeReplies.text('ok')], { retryBaseDelayMs: 10_000 });
    const started = Date.now();
    await provider.complete({ messages });
    const waited = Date.now() - started;
    assert.ok(waited >= 140 && waited < 5000, `waited ${waited} ms`);
  });

  it('does not retry when the account is out of quota', async () => {
    const provider = await providerFor(() => fakeReplies.error(429, 'You exceeded your current quota.', { code: 'insufficient_quota' }));
    const error = await failure(provider.complete({ messages }));
    assertKind(error, 'rate-limited');
    assert.match(error.message, /quota/);
    assert.equal(llm!.chatRequests.length, 1);
  });

  it('cancels a hanging request promptly when aborted, closing the connection', async () => {
    const provider = await providerFor([fakeReplies.hang()]);
    const controller = new AbortController();
    const pending = provider.complete({ messages, signal: controller.signal });
    await waitFor(() => llm!.chatRequests.length === 1);
    const started = Date.now();
    controller.abort();
    const error = await failure(pending);
    assertKind(error, 'aborted');
    assert.ok(Date.now() - started < 500, 'the abort took too long');
    await withDeadline(llm!.chatRequests[0]!.settled, 1000, 'the server never saw the connection close');
    assert.equal(llm!.chatRequests[0]!.closedByClient, true);
  });

  it('cancels during the back-off wait between retries', async () => {
    const provider = await providerFor(() => fakeReplies.rateLimited(30_000));
    const controller = new AbortController();
    const pending = provider.complete({ messages, signal: controller.signal });
    await waitFor(() => llm!.chatRequests.length === 1);
    const started = Date.now();
    controller.abort();
    assertKind(await failure(pending), 'aborted');
    assert.ok(Date.now() - started < 500);
  });

  it('fails at once when the signal is already aborted', async () => {
    const provider = await providerFor([fakeReplies.text('ok')]);
    assertKind(await failure(provider.complete({ messages, signal: AbortSignal.abort() })), 'aborted');
    assert.equal(llm!.chatRequests.length, 0);
  });

  it('retries a request that hangs past timeoutMs once, closing each connection, then says which setting to raise', async () => {
    const provider = await providerFor(() => fakeReplies.hang(), { timeoutMs: 200, maxRetries: 0 });
    const started = Date.now();
    const error = await failure(provider.complete({ messages }));
    assertKind(error, 'timeout');
    assert.ok(Date.now() - started < 4000);
    assert.equal(llm!.chatRequests.length, 2, 'one retry, whatever maxRetries says');
    assert.match(error.message, /did not answer within 0\.2 s \(2 attempts\)/);
    assert.match(error.message, /perfloop\.requestTimeout|--request-timeout|PERFLOOP_REQUEST_TIMEOUT/);
    for (const request of llm!.chatRequests) await withDeadline(request.settled, 1000, 'the server never saw the connection close');
  });

  it('returns the reply of the retry when only the first attempt hung', async () => {
    const provider = await providerFor([fakeReplies.hang(), fakeReplies.text('second time lucky')], { timeoutMs: 300, maxRetries: 0 });
    assert.equal((await provider.complete({ messages })).text, 'second time lucky');
  });

  it('retries a response cut off mid-body once, and returns the retry', async () => {
    const provider = await providerFor([fakeReplies.cutOff(), fakeReplies.text('whole')], { maxRetries: 0 });
    assert.equal((await provider.complete({ messages })).text, 'whole');
    assert.equal(llm!.chatRequests.length, 2);
  });

  it('reports a response cut off twice as cut off, naming the endpoint', async () => {
    const provider = await providerFor(() => fakeReplies.cutOff(), { maxRetries: 0 });
    const error = await failure(provider.complete({ messages }));
    assertKind(error, 'cut-off');
    assert.ok(error.message.includes(llm!.baseURL));
    assert.match(error.message, /cut off.*\(2 attempts\)/);
    assert.equal(llm!.chatRequests.length, 2);
  });

  it('waits for a slow reply that arrives within the timeout', async () => {
    const provider = await providerFor([{ content: 'late but fine', delayMs: 100 }], { timeoutMs: 5000 });
    assert.equal((await provider.complete({ messages })).text, 'late but fine');
  });

  it('reports an empty reply, mentioning the token limit when that was the cause, after asking once more', async () => {
    const provider = await providerFor(() => ({ content: '  \n', finishReason: 'length' }), { maxRetries: 0 });
    const first = await failure(provider.complete({ messages }));
    assertKind(first, 'empty-reply');
    assert.match(first.message, /token limit/);
    assert.equal(llm!.chatRequests.length, 2, 'a reply cut at the token limit is asked for once more');
  });

  it('reports a null reply as empty without retrying', async () => {
    const provider = await providerFor([{ content: null }], { maxRetries: 0 });
    assertKind(await failure(provider.complete({ messages })), 'empty-reply');
    assert.equal(llm!.chatRequests.length, 1);
  });

  it('retries a truncated JSON body once, then reports it as not OpenAI-compatible', async () => {
    const provider = await providerFor(() => fakeReplies.malformedJson(), { maxRetries: 0 });
    const error = await failure(provider.complete({ messages }));
    assertKind(error, 'cut-off');
    assert.match(error.message, /OpenAI-compatible/);
    assert.equal(llm!.chatRequests.length, 2);
  });

  it('reports other 4xx answers as bad requests with the server explanation', async () => {
    const provider = await providerFor([fakeReplies.error(400, "This model's maximum context length is 8192 tokens.")]);
    const error = await failure(provider.complete({ messages }));
    assertKind(error, 'bad-request');
    assert.match(error.message, /maximum context length/);
  });

  it('lists the models the endpoint serves', async () => {
    llm = await startFakeLlmServer([], { models: ['llama3.1:8b', 'qwen2.5-coder:7b'] });
    const provider = new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'x' });
    assert.deepEqual(await provider.listModels(), ['llama3.1:8b', 'qwen2.5-coder:7b']);
  });

  describe('preflight (a cheap check run beside the profiling of the original)', () => {
    it('passes on GET /models alone when the endpoint lists the model: no chat request, no tokens', async () => {
      llm = await startFakeLlmServer([], { models: ['fake-model'] });
      await new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'fake-model' }).preflight();
      assert.deepEqual(llm.requests.map((r) => `${r.method} ${r.url}`), ['GET /v1/models']);
    });

    it('reports a rejected key from the listing', async () => {
      llm = await startFakeLlmServer([], { apiKeys: ['sk-right'] });
      const error = await failure(new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'fake-model', apiKey: SECRET_KEY }).preflight());
      assertKind(error, 'auth');
      assert.match(error.message, /rejected the API key/);
    });

    it('confirms a model the endpoint does not list with a one-token request, and reports it unknown', async () => {
      llm = await startFakeLlmServer([fakeReplies.modelNotFound('gpt-9')], { models: ['fake-model'] });
      const error = await failure(new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'gpt-9', retryBaseDelayMs: 1 }).preflight());
      assertKind(error, 'model-not-found');
      assert.equal(llm.chatRequests[0]?.body?.max_tokens, 1);
    });

    it('passes when a server that lists other names answers for this one (llama.cpp serves any name)', async () => {
      llm = await startFakeLlmServer([fakeReplies.text('OK', { finishReason: 'length' })], { models: ['model.gguf'] });
      await new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'anything' }).preflight();
    });

    it('stays silent about failures that say nothing about the configuration (a parameter refused)', async () => {
      llm = await startFakeLlmServer([fakeReplies.error(400, "Unsupported parameter: 'max_tokens'")], { models: [] });
      await new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'o9' }).preflight();
    });

    it('reports an endpoint where nothing listens at once', async () => {
      const provider = new OpenAICompatibleProvider({ baseURL: `http://127.0.0.1:${await closedPort()}/v1`, model: 'm', retryBaseDelayMs: 1 });
      assertKind(await failure(provider.preflight()), 'unreachable');
    });
  });

  it('describes itself by model and endpoint', async () => {
    const provider = await providerFor([]);
    assert.equal(provider.description, `openai-compatible fake-model @ ${llm!.baseURL}`);
  });
});

describe('fake LLM server', () => {
  it('streams server-sent events when a client asks for stream: true', async () => {
    const llm = await startFakeLlmServer([fakeReplies.text('a reply long enough to need several chunks')]);
    try {
      const client = new OpenAI({ baseURL: llm.baseURL, apiKey: 'k', maxRetries: 0 });
      const stream = await client.chat.completions.create({ model: 'm', messages, stream: true, stream_options: { include_usage: true } });
      let text = '';
      let sawUsage = false;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        sawUsage ||= chunk.usage != null;
      }
      assert.equal(text, 'a reply long enough to need several chunks');
      assert.ok(sawUsage);
    } finally {
      await llm.close();
    }
  });

  it('answers with a non-retryable error when the script runs out, so forgotten replies fail fast', async () => {
    const llm = await startFakeLlmServer([]);
    try {
      const provider = new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'm', retryBaseDelayMs: 1 });
      const error = await provider.complete({ messages }).catch((e: unknown) => e);
      assert.ok(error instanceof LlmError && /no scripted reply/.test(error.message));
      assert.equal(llm.chatRequests.length, 1);
    } finally {
      await llm.close();
    }
  });
});

function restoreEnv(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** A port nothing listens on: bind one, then release it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function withDeadline(promise: Promise<void>, ms: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  try {
    await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
