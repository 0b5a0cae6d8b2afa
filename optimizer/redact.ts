/**
 * Secret-shaped strings taken out of text bound for an LLM. What the code under test prints, returns or raises comes
 * back in repair prompts (counterexamples, error text, the tail of the user's test command), and code that reads a
 * `.env` file or the environment would otherwise send its keys to a third party. Each secret becomes a marker naming
 * its kind, e.g. `[redacted: API key]`, so the LLM still sees that something was there.
 *
 * The patterns are the documented shapes of the common providers' keys, plus `NAME=value` lines whose name says
 * secret, plus the values of this process's own secret-named environment variables, verbatim. They are anchored on
 * distinctive prefixes so that ordinary code (`key=len`, `MAX_TOKENS = 10`) passes untouched: a false positive would
 * change the function the LLM is asked to improve.
 */

import type { SecretKind } from './redaction.js';

export type { SecretKind };

interface SecretPattern {
  kind: SecretKind;
  regex: RegExp;
  /** Which capture group is the secret; the rest of the match stays. Default: the whole match. */
  group?: number;
}

/** Name parts that make `NAME=value` a secret (matched against the parts of an UPPER_SNAKE name). */
const SECRET_NAME_PARTS = new Set(['KEY', 'APIKEY', 'TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'PASS', 'PWD', 'AUTH', 'CREDENTIAL', 'CREDENTIALS', 'PRIVATE', 'SESSION', 'COOKIE', 'DSN']);
/** Environment variables holding secrets, besides those whose name says so. */
const SECRET_ENV_NAMES = new Set(['PERFLOOP_API_KEY', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'AZURE_OPENAI_API_KEY', 'GITHUB_TOKEN', 'GH_TOKEN', 'HF_TOKEN', 'DATABASE_URL']);
/** Shorter values would match ordinary words and numbers. */
const MIN_ENV_VALUE_LENGTH = 8;

const PATTERNS: SecretPattern[] = [
  // PEM blocks, also when a cap cut the END line off.
  { kind: 'private key', regex: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/g },
  // JWTs: header.payload[.signature], both base64url JSON objects.
  { kind: 'JWT', regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*)?/g },
  // OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-) and Anthropic (sk-ant-api03-…).
  { kind: 'API key', regex: /\bsk-[A-Za-z0-9_-]{20,}/g },
  { kind: 'API key', regex: /\bAIza[0-9A-Za-z_-]{35}\b/g }, // Google
  { kind: 'GitHub token', regex: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})\b/g },
  { kind: 'AWS key', regex: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g },
  { kind: 'AWS key', regex: /\baws_secret_access_key\b["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{20,})/gi, group: 1 },
  { kind: 'Slack token', regex: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: 'bearer token', regex: /\b(?:Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{16,})/g, group: 1 },
  // NAME=value as in .env files: an UPPER_SNAKE name at a line start, or after a quote or an escaped newline (a
  // Python or JSON repr of a file's text), `=` without spaces; the value runs to the end of the (escaped) line.
  { kind: 'env secret', regex: /(?:^|(?<=\\n|\\r|["'\s]))(?:export\s+)?([A-Z][A-Z0-9_]*)=["']?((?:(?!\\[nr])[^\s"'])+)/gm, group: 2 },
];

export interface RedactionResult {
  text: string;
  /** Each distinct secret found, with its kind (the values stay in memory only, to count each secret once). */
  found: { kind: SecretKind; value: string }[];
}

/** The secret-looking values of `env` (by default this process's): what code under test could print of them verbatim. */
export function secretEnvironmentValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < MIN_ENV_VALUE_LENGTH) continue;
    if (!SECRET_ENV_NAMES.has(name) && !hasSecretName(name)) continue;
    // Paths (SSH_AUTH_SOCK, GOOGLE_APPLICATION_CREDENTIALS) name where a secret is, and appear in tracebacks legitimately.
    if (value.startsWith('/')) continue;
    values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length); // longest first, so a value inside another goes with it
}

export function redactSecrets(text: string, knownSecrets: readonly string[] = []): RedactionResult {
  const found: RedactionResult['found'] = [];
  let out = text;
  for (const value of knownSecrets) {
    if (value.length < MIN_ENV_VALUE_LENGTH) continue;
    const before = out;
    out = redactFragments(out.split(value).join(marker('environment value')), value);
    if (out !== before) found.push({ kind: 'environment value', value });
  }
  for (const { kind, regex, group } of PATTERNS) {
    out = out.replace(regex, (match: string, ...groups: unknown[]) => {
      if (group === undefined) {
        found.push({ kind, value: match });
        return marker(kind);
      }
      const name = groups[0];
      const secret = groups[group - 1];
      if (typeof secret !== 'string' || secret.startsWith('[redacted')) return match;
      if (kind === 'env secret' && (typeof name !== 'string' || !hasSecretName(name))) return match;
      found.push({ kind, value: secret });
      return match.slice(0, match.length - secret.length) + marker(kind);
    });
  }
  return { text: out, found };
}

function marker(kind: SecretKind): string {
  return `[redacted: ${kind}]`;
}

function hasSecretName(name: string): boolean {
  return name.toUpperCase().split(/_+/).some((part) => SECRET_NAME_PARTS.has(part));
}

/**
 * Pieces of `value` where a cap cut it: its start before `…`/`...` or at the end of the text (the prompts' caps), its
 * end after `...` (reprlib elides the middle of long strings). The verbatim match misses them, and half a key is still
 * too much to send.
 */
function redactFragments(text: string, value: string): string {
  const m = marker('environment value');
  let out = text;
  for (let n = value.length - 1; n >= MIN_ENV_VALUE_LENGTH; n--) {
    const head = value.slice(0, n);
    const tail = value.slice(-n);
    for (const elision of ['...', '…']) out = out.split(head + elision).join(m + elision).split(elision + tail).join(elision + m);
    if (out.endsWith(head)) out = out.slice(0, -n) + m;
  }
  return out;
}
