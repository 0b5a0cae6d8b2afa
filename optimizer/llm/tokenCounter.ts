/**
 * Token estimates for back ends that do not report usage (some local servers, the VS Code LM API for replies).
 * About four characters per token holds for English and code with GPT-style tokenizers; users see these numbers
 * marked as estimates, so a real tokenizer would not be worth its size.
 */
import type { ChatMessage, TokenUsage } from './provider.js';

const CHARACTERS_PER_TOKEN = 4;
/** Role markers and separators the chat format adds around each message. */
const TOKENS_PER_MESSAGE = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARACTERS_PER_TOKEN);
}

export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + TOKENS_PER_MESSAGE + estimateTokens(message.content), 0);
}

export function estimateUsage(messages: readonly ChatMessage[], reply: string): TokenUsage {
  const promptTokens = estimatePromptTokens(messages);
  const completionTokens = estimateTokens(reply);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: true };
}
