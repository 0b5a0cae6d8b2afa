/**
 * The VS Code Language Model API (Copilot and other contributed models, no key) behind the engine's LlmProvider
 * interface. Models are only requested from a user action, as the API requires.
 */
import * as vscode from 'vscode';
import { LlmError, type CompletionRequest, type CompletionResult, type LlmProvider } from '../../optimizer/llm/provider.js';
import { estimatePromptTokens, estimateTokens } from '../../optimizer/llm/tokenCounter.js';

export class VscodeLmProvider implements LlmProvider {
  readonly description: string;

  constructor(
    private readonly model: vscode.LanguageModelChat,
    /** perfloop.requestTimeout: the LM API has no deadline of its own, and a stalled model would hold the run. */
    private readonly timeoutMs = 120_000,
  ) {
    this.description = `VS Code language model ${model.name} (${model.vendor}/${model.family})`;
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    // The LM API has no system role: the system text leads the first user message.
    const messages = request.messages.map((m) =>
      m.role === 'assistant' ? vscode.LanguageModelChatMessage.Assistant(m.content) : vscode.LanguageModelChatMessage.User(m.content),
    );
    const source = new vscode.CancellationTokenSource();
    const abort = (): void => source.cancel();
    request.signal?.addEventListener('abort', abort, { once: true });
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      source.cancel();
    }, this.timeoutMs);
    try {
      const response = await this.model.sendRequest(messages, { justification: 'Perfloop asks for faster versions of the function you selected.' }, source.token);
      let text = '';
      for await (const fragment of response.text) text += fragment;
      // A cancelled stream may just end: the text would be a fragment, not a reply.
      if (source.token.isCancellationRequested) throw new Error('cancelled');
      if (!text.trim()) throw new LlmError('empty-reply', `${this.model.name} returned an empty reply.`);
      const promptTokens = estimatePromptTokens(request.messages);
      const completionTokens = estimateTokens(text);
      return {
        text,
        model: this.model.id,
        usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: true },
      };
    } catch (error) {
      if (error instanceof LlmError) throw error;
      if (timedOut && !request.signal?.aborted) {
        throw new LlmError('timeout', `${this.model.name} did not answer within ${Math.round(this.timeoutMs / 1000)} s: raise perfloop.requestTimeout or pick a faster model.`);
      }
      if (request.signal?.aborted || source.token.isCancellationRequested) throw new LlmError('aborted', 'The request was cancelled.');
      if (error instanceof vscode.LanguageModelError) {
        const kind = error.code === vscode.LanguageModelError.NoPermissions.name ? 'auth' : error.code === vscode.LanguageModelError.NotFound.name ? 'model-not-found' : 'server';
        throw new LlmError(kind, `${this.model.name}: ${error.message}`);
      }
      throw new LlmError('server', `${this.model.name} failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(deadline);
      request.signal?.removeEventListener('abort', abort);
      source.dispose();
    }
  }
}

/** The chat models VS Code offers right now (empty in code-server or without Copilot). */
export async function availableLanguageModels(family?: string): Promise<vscode.LanguageModelChat[]> {
  if (!vscode.lm?.selectChatModels) return [];
  try {
    return await vscode.lm.selectChatModels(family ? { family } : {});
  } catch {
    return [];
  }
}
