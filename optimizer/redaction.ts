/**
 * What the report says of secrets kept out of prompts: shared with the webview, so free of Node (redact.ts does the
 * work).
 */
export type SecretKind =
  | 'API key'
  | 'GitHub token'
  | 'AWS key'
  | 'Slack token'
  | 'JWT'
  | 'bearer token'
  | 'private key'
  | 'env secret'
  | 'environment value';

export interface RedactionSummary {
  /** Distinct secrets kept out of prompts (one secret repeated in several prompts counts once). */
  count: number;
  kinds: Partial<Record<SecretKind, number>>;
}
