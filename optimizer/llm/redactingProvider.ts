/**
 * The one door prompts leave by: every message of every request (optimization rounds, repairs, input generators) is
 * passed through redact.ts before the wrapped provider sends it, and what was taken out is tallied for the report.
 */
import { redactSecrets, secretEnvironmentValues, type SecretKind } from '../redact.js';
import type { RedactionSummary } from '../redaction.js';
import type { CompletionRequest, CompletionResult, LlmProvider } from './provider.js';

export type { RedactionSummary } from '../redaction.js';

export class RedactingProvider implements LlmProvider {
  readonly description: string;
  readonly preflight?: (signal?: AbortSignal) => Promise<void>;
  /** Secret value → its kind; kept in memory only, to count each secret once. */
  private readonly seen = new Map<string, SecretKind>();

  constructor(
    private readonly inner: LlmProvider,
    /** Told of each prompt that had secrets, with the kinds newly found in it. */
    private readonly onRedacted: (kinds: SecretKind[]) => void = () => undefined,
    private readonly knownSecrets: readonly string[] = secretEnvironmentValues(),
  ) {
    this.description = inner.description;
    if (inner.preflight) this.preflight = (signal) => inner.preflight!(signal);
  }

  complete(request: CompletionRequest): Promise<CompletionResult> {
    return this.inner.complete({ ...request, messages: request.messages.map((m) => ({ ...m, content: this.redact(m.content) })) });
  }

  /** `text` as it may leave; also for logs, which should not keep secrets either. */
  redact(text: string): string {
    const { text: redacted, found } = redactSecrets(text, this.knownSecrets);
    const fresh = found.filter((f) => !this.seen.has(f.value));
    for (const f of fresh) this.seen.set(f.value, f.kind);
    if (fresh.length > 0) this.onRedacted([...new Set(fresh.map((f) => f.kind))]);
    return redacted;
  }

  summary(): RedactionSummary | undefined {
    if (this.seen.size === 0) return undefined;
    const kinds: RedactionSummary['kinds'] = {};
    for (const kind of this.seen.values()) kinds[kind] = (kinds[kind] ?? 0) + 1;
    return { count: this.seen.size, kinds };
  }
}
