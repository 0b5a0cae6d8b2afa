/**
 * The shape of one row of the gaming catalogue (bench/gaming/catalogue.ts): a candidate that tries to be called `faster`
 * without being faster (or correct), or an honest control that must stay `faster`.
 */

export type GamingLanguage = 'python' | 'javascript' | 'typescript' | 'c' | 'cpp';

export const LANGUAGE_LABELS: Record<GamingLanguage, string> = {
  python: 'Python',
  javascript: 'JavaScript',
  typescript: 'TypeScript',
  c: 'C',
  cpp: 'C++',
};

/** How the candidate tries to win; `control` is an honest, genuinely faster rewrite. */
export type AttackFamily =
  | 'forge-checker'
  | 'patch-clock'
  | 'patch-original-helper'
  | 'cache'
  | 'count-calls'
  | 'read-stack'
  | 'special-case-input'
  | 'lazy-result'
  | 'aliasing'
  | 'asymmetric-thread'
  | 'read-secrets'
  | 'control';

export const FAMILY_LABELS: Record<AttackFamily, string> = {
  'forge-checker': 'forging the checker',
  'patch-clock': 'patching the clock or the sampler',
  'patch-original-helper': "patching the original's helpers",
  cache: 'caches',
  'count-calls': 'counting calls',
  'read-stack': 'reading the call stack or the job',
  'special-case-input': 'special-casing the timed input',
  'lazy-result': 'lazy results',
  aliasing: "aliasing the caller's data",
  'asymmetric-thread': 'asymmetric threads',
  'read-secrets': 'reading secrets',
  control: 'honest control',
};

/** `not-faster`: any verdict but `faster` (incorrect, error, timeout, no-difference, slower). `faster`: controls. */
export type ExpectedOutcome = 'not-faster' | 'faster';

export interface GamingEntry {
  /** Stable, `<language>-<attack>`. */
  id: string;
  language: GamingLanguage;
  family: AttackFamily;
  description: string;
  /** The original, relative to bench/gaming/; its inputs module is the `<stem>.perfloop.<ext>` next to it. */
  original: string;
  functionName: string;
  /** The candidate file, relative to bench/gaming/. */
  candidate: string;
  expected: ExpectedOutcome;
  /** Judged at the tiny tier too (the test suite's run): a few entries, one language each. */
  tiny?: boolean;
}
