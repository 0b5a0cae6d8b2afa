/**
 * One round's request for candidates. A reply the model cut at its output token limit before a single usable candidate
 * is asked for once more (sampling differs, and the next reply often fits); a second such reply ends the round with a
 * message saying what to change, since more attempts would only spend tokens against the same limit.
 */
import { LlmError, type ChatMessage, type CompletionResult, type LlmProvider } from './llm/provider.js';
import { parseCandidates, type ParseCandidatesOptions, type ParsedCandidates } from './replyParser.js';

const ATTEMPTS = 2;

export interface CandidateReply {
  reply: CompletionResult;
  parsed: ParsedCandidates;
}

export async function requestCandidates(
  provider: LlmProvider,
  messages: ChatMessage[],
  parse: ParseCandidatesOptions,
  signal: AbortSignal | undefined,
  /** Every reply, the cut-off ones too: their tokens count. */
  onReply: (reply: CompletionResult) => void,
): Promise<CandidateReply> {
  for (let attempt = 1; ; attempt++) {
    const reply = await provider.complete({ messages, ...(signal ? { signal } : {}) });
    onReply(reply);
    const parsed = parseCandidates(reply.text, parse);
    if (reply.finishReason === 'length') dropCutCandidate(parsed);
    if (reply.finishReason !== 'length' || parsed.candidates.length > 0) return { reply, parsed };
    if (attempt >= ATTEMPTS) {
      throw new LlmError(
        'cut-off',
        `The model "${reply.model}" stopped at its output token limit before finishing a candidate (${attempt} attempts). ` +
          'Ask for fewer candidates per round (perfloop.candidates, --candidates) or use a model with a larger output limit.',
      );
    }
  }
}

/**
 * A reply cut at the output limit ends inside its last candidate, whose code is then a fragment (the parser accepts an
 * unclosed fence): it becomes a failure instead of a build error to measure and repair.
 */
function dropCutCandidate(parsed: ParsedCandidates): void {
  const last = parsed.candidates.at(-1);
  if (!last || parsed.failures.some((f) => f.index > last.index)) return;
  parsed.candidates.pop();
  parsed.failures.push({ index: last.index, reason: "cut off at the model's output token limit", code: last.code });
}
