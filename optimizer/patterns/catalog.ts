/**
 * The optimization-pattern catalog: patterns as data (catalog.json), validated
 * once at import, and ranked against the profile evidence of one target so the
 * prompt can show the most relevant ones in full and name the rest.
 *
 * Conventions the data must follow (checked here, so a bad edit fails loudly at
 * start-up rather than producing a silently worse prompt):
 * - `before`/`after` are written in the first listed language; python-tagged
 *   patterns list python first, because Python is the language Perfloop runs.
 * - Regexes are JavaScript regexes; hot-line regexes are tested against one
 *   source line, source regexes against the target's source with the `m` flag.
 */
import { z } from 'zod';
import catalogJson from './catalog.json' with { type: 'json' };

export const PATTERN_LANGUAGES = ['python', 'javascript', 'typescript', 'c', 'cpp'] as const;
export type PatternLanguage = (typeof PATTERN_LANGUAGES)[number];

export const PATTERN_CATEGORIES = [
  'algorithm',
  'data-structure',
  'loop',
  'memory-allocation',
  'locality',
  'builtins-and-library',
  'string-and-io',
  'control-flow',
  'caching-and-precomputation',
  'concurrency-free-micro',
] as const;

export const PATTERN_TARGETS = ['time', 'instructions', 'memory', 'allocations', 'io'] as const;

const Language = z.enum(PATTERN_LANGUAGES);
const Text = z.string().trim().min(1);
// 'g' and 'y' make RegExp.test stateful, which would make matching order-dependent.
const Flags = z.string().regex(/^[imsu]*$/, 'flags may only contain i, m, s, u').optional();
const Weight = z.number().positive().max(10).optional();

const HotLineSignal = z.strictObject({
  kind: z.literal('hot-line-matches'),
  regex: Text,
  flags: Flags,
  /** Noun phrase for the reason shown to the model, e.g. "a membership test". */
  what: Text,
  /** Lines below this share of the time are ignored; default DEFAULT_MIN_TIME_SHARE. */
  minTimeShare: z.number().min(0).max(1).optional(),
  weight: Weight,
  /** Restricts a language-specific regex to these languages. */
  languages: z.array(Language).min(1).optional(),
});

const SourceSignal = z.strictObject({
  kind: z.literal('source-matches'),
  regex: Text,
  flags: Flags,
  what: Text,
  weight: Weight,
  languages: z.array(Language).min(1).optional(),
});

const ComplexitySignal = z.strictObject({
  kind: z.literal('complexity-exponent-at-least'),
  value: z.number().positive(),
  weight: Weight,
});

const MemorySignal = z.strictObject({
  kind: z.literal('memory-peak-ratio-at-least'),
  /** Peak memory divided by the size of the output. */
  value: z.number().positive(),
  weight: Weight,
});

const Signal = z.discriminatedUnion('kind', [HotLineSignal, SourceSignal, ComplexitySignal, MemorySignal]);

const Pattern = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'id must be kebab-case'),
  name: Text,
  category: z.enum(PATTERN_CATEGORIES),
  targets: z.array(z.enum(PATTERN_TARGETS)).min(1),
  languages: z.array(Language).min(1),
  description: Text,
  appliesWhen: Text,
  signals: z.array(Signal).min(1),
  before: Text,
  after: Text,
  caution: Text,
});

export type PatternSignal = z.infer<typeof Signal>;
export type OptimizationPattern = z.infer<typeof Pattern>;

export interface PatternEvidence {
  /** Source of the target function (and whatever context the caller wants matched). */
  source: string;
  /** Profiled lines with their share of the time, 0–1. */
  hotLines: { text: string; timeShare: number }[];
  /** Exponent of the fitted power law time ≈ c·n^k, when measured. */
  complexityExponent?: number;
  peakMemoryBytes?: number;
  outputSizeBytes?: number;
}

export type RankedPattern = OptimizationPattern & {
  /** Sum of the weights of the matched signals; 0 when none matched. */
  score: number;
  /** Human-readable reasons, one per matched signal. */
  matchedSignals: string[];
};

const DEFAULT_MIN_TIME_SHARE = 0.05;
// Bounds the cost of backtracking source regexes on unusually large targets.
const MAX_SOURCE_CHARS = 50_000;
const MAX_QUOTED_LINE = 80;

interface CompiledPattern {
  pattern: OptimizationPattern;
  regexes: (RegExp | undefined)[];
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(entry)'}: ${issue.message}`).join('; ');
}

function compileSignalRegex(signal: PatternSignal): RegExp | undefined {
  if (signal.kind === 'hot-line-matches') return new RegExp(signal.regex, signal.flags ?? '');
  if (signal.kind === 'source-matches') return new RegExp(signal.regex, signal.flags ?? 'm');
  return undefined;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function compileCatalog(raw: unknown): CompiledPattern[] {
  if (!Array.isArray(raw)) throw new Error('pattern catalog: expected a JSON array of patterns');
  const seen = new Set<string>();
  return raw.map((entry: unknown, index) => {
    const label = (entry as { id?: unknown } | null)?.id;
    const where = `pattern catalog entry ${index}${typeof label === 'string' ? ` ("${label}")` : ''}`;
    const parsed = Pattern.safeParse(entry);
    if (!parsed.success) throw new Error(`${where}: ${formatIssues(parsed.error)}`);
    const pattern = parsed.data;
    if (seen.has(pattern.id)) throw new Error(`${where}: duplicate id`);
    seen.add(pattern.id);
    if (pattern.languages.includes('python') && pattern.languages[0] !== 'python') {
      throw new Error(`${where}: python-tagged patterns must list python first (examples are in the first language)`);
    }
    const regexes = pattern.signals.map((signal, s) => {
      if ('languages' in signal && signal.languages?.some((l) => !pattern.languages.includes(l))) {
        throw new Error(`${where}: signals.${s}.languages must be a subset of the pattern's languages`);
      }
      try {
        return compileSignalRegex(signal);
      } catch (error) {
        throw new Error(`${where}: signals.${s}.regex does not compile: ${(error as Error).message}`);
      }
    });
    return { pattern: deepFreeze(pattern), regexes };
  });
}

/** Validates a catalog (an array of patterns); throws naming the first bad entry. */
export function validateCatalog(raw: unknown): OptimizationPattern[] {
  return compileCatalog(raw).map((c) => c.pattern);
}

const CATALOG: readonly CompiledPattern[] = compileCatalog(catalogJson);

/** Every pattern that applies to `language`, in catalog order. */
export function allPatterns(language: PatternLanguage): OptimizationPattern[] {
  return CATALOG.filter((c) => c.pattern.languages.includes(language)).map((c) => c.pattern);
}

function quote(line: string): string {
  const text = line.trim();
  return text.length > MAX_QUOTED_LINE ? `${text.slice(0, MAX_QUOTED_LINE - 1)}…` : text;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** Score contribution and reason of one signal, or undefined when it does not match. */
function evaluateSignal(
  signal: PatternSignal,
  regex: RegExp | undefined,
  language: PatternLanguage,
  evidence: PatternEvidence,
): { score: number; reason: string } | undefined {
  const weight = signal.weight ?? 1;
  switch (signal.kind) {
    case 'hot-line-matches': {
      if (signal.languages && !signal.languages.includes(language)) return undefined;
      const minShare = signal.minTimeShare ?? DEFAULT_MIN_TIME_SHARE;
      let hottest: { text: string; timeShare: number } | undefined;
      for (const line of evidence.hotLines) {
        if (line.timeShare < minShare || !regex?.test(line.text)) continue;
        if (!hottest || line.timeShare > hottest.timeShare) hottest = line;
      }
      if (!hottest) return undefined;
      // A hotter line is stronger evidence: up to 3× the weight at 100% of the time.
      return {
        score: weight * (1 + 2 * Math.min(hottest.timeShare, 1)),
        reason: `hot line (${percent(hottest.timeShare)} of time) has ${signal.what}: \`${quote(hottest.text)}\``,
      };
    }
    case 'source-matches': {
      if (signal.languages && !signal.languages.includes(language)) return undefined;
      if (!regex?.test(evidence.source.slice(0, MAX_SOURCE_CHARS))) return undefined;
      return { score: weight, reason: `source has ${signal.what}` };
    }
    case 'complexity-exponent-at-least': {
      const k = evidence.complexityExponent;
      if (k === undefined || !(k >= signal.value)) return undefined;
      return { score: weight, reason: `time grows ~n^${k.toFixed(2)} with input size (≥ n^${signal.value})` };
    }
    case 'memory-peak-ratio-at-least': {
      const { peakMemoryBytes: peak, outputSizeBytes: output } = evidence;
      if (peak === undefined || output === undefined || !(output > 0)) return undefined;
      const ratio = peak / output;
      if (!(ratio >= signal.value)) return undefined;
      return { score: weight, reason: `peak memory is ${ratio.toFixed(0)}× the output size (≥ ${signal.value}×)` };
    }
  }
}

/**
 * All patterns for `language`, most relevant first: ordered by the summed
 * weights of the signals the evidence matches, ties in catalog order (which
 * lists the larger, algorithmic wins first). Unmatched patterns follow with
 * score 0 so the prompt can still name them.
 */
export function rankPatterns(language: PatternLanguage, evidence: PatternEvidence): RankedPattern[] {
  const ranked = CATALOG.filter((c) => c.pattern.languages.includes(language)).map((c) => {
    let score = 0;
    const matchedSignals: string[] = [];
    c.pattern.signals.forEach((signal, i) => {
      const match = evaluateSignal(signal, c.regexes[i], language, evidence);
      if (!match) return;
      score += match.score;
      matchedSignals.push(match.reason);
    });
    return { ...c.pattern, score, matchedSignals };
  });
  // Array.prototype.sort is stable, so equal scores keep catalog order.
  return ranked.sort((a, b) => b.score - a.score);
}
