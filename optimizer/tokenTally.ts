import type { TokenUsage } from './llm/provider.js';

/** Token usage summed over a run's requests; estimated as soon as one request's usage was. */
export class TokenTally {
  private usage: TokenUsage & { requests: number } = {
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    estimated: false,
    requests: 0,
  };

  add(usage: TokenUsage): void {
    this.usage = {
      promptTokens: this.usage.promptTokens + usage.promptTokens,
      completionTokens: this.usage.completionTokens + usage.completionTokens,
      totalTokens: this.usage.totalTokens + usage.totalTokens,
      estimated: this.usage.estimated || usage.estimated,
      requests: this.usage.requests + 1,
    };
  }

  total(): TokenUsage & { requests: number } {
    return { ...this.usage };
  }
}
