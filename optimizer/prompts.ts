/**
 * The prompts, as data: plain context in, ChatMessage[] out, deterministic for equal input. The optimize prompt
 * follows SOAP's shape (task, code, overhead profile, rules) with SysLLMatic's ranked patterns and its repair of
 * failed candidates, and feeds back measured results of earlier rounds. Wording is language-neutral; what differs
 * per language comes from the runner's language descriptor (profilers/languages.ts).
 */
import type { ChatMessage } from './llm/provider.js';
import { languageDescriptor } from '../profilers/languages.js';
import type { LanguageDescriptor } from '../profilers/languageDescriptor.js';
import type { LanguageId } from '../profilers/runner.js';
import { formatBytes, formatCount, formatRatio, formatSeconds } from './report/format.js';

/** Any language a runner exists for: its wording comes from profilers/languages.ts. */
export type PromptLanguage = LanguageId;

export interface ProfiledLine {
  line: number;
  text: string;
  hits: number;
  /** Share of the function's time spent on this line, in [0, 1]. */
  timeShare: number;
  /** Memory allocated by this line (increment), in bytes. */
  memoryBytes: number;
}

export interface LineProfile {
  lines: ProfiledLine[];
  totalSeconds: number;
  /** `instructions`: hits are instructions per line (valgrind) and shares are shares of instructions. */
  basis?: 'time' | 'instructions';
}

export interface ComplexityFit {
  /** e.g. "O(n^2)". */
  label: string;
  /** Fitted k in time ∝ n^k. */
  exponent: number;
  exponentStdError: number;
  points: { size: number; seconds: number }[];
}

export interface BaselineMeasurement {
  secondsPerCall: number;
  instructions?: number;
  /** The counter the instructions come from, e.g. "instructions:u" or "callgrind". */
  counter?: string;
  peakMemoryBytes?: number;
}

export interface RankedPattern {
  id: string;
  name: string;
  description: string;
  appliesWhen: string;
  matchedSignals: string[];
  before?: string;
  after?: string;
}

export interface PreviousCandidate {
  id: string;
  round: number;
  code: string;
  /** As measured, e.g. "faster", "slower", "no-difference", "incorrect", "error". */
  verdict: string;
  /** Baseline time / candidate time with its confidence interval: > 1 is faster. */
  speedup?: { ratio: number; low: number; high: number };
  /** Candidate / baseline instructions: < 1 is fewer. */
  instructionsRatio?: number;
  /** Candidate / baseline peak memory: < 1 is less. */
  memoryRatio?: number;
  /** Why it failed: error text, counterexample or parse failure. Present only for failed candidates. */
  failure?: string;
}

export interface OptimizePromptContext {
  language: PromptLanguage;
  functionName: string;
  functionSource: string;
  /** Imports and helpers the function uses, shown read-only; may be empty. */
  contextSource: string;
  candidatesWanted: number;
  round: number;
  rounds: number;
  profile: LineProfile | undefined;
  complexity: ComplexityFit | undefined;
  baseline: BaselineMeasurement;
  /** Most relevant first. */
  patterns: RankedPattern[];
  previous: PreviousCandidate[];
  /** Set when the target is a method of `className` (functionName is then `Class.method` or `Class::method`). */
  method?: PromptMethod;
}

export interface PromptMethod {
  className: string;
  /** The method's own name. */
  name: string;
  isStatic: boolean;
}

export interface WorkloadPromptContext {
  language: PromptLanguage;
  functionName: string;
  functionSource: string;
  contextSource: string;
  parameters: string[];
  /** The generator that failed last time and why, to be repaired. */
  previousAttempt?: { code: string; error: string };
  method?: PromptMethod;
}

/** `{ method }` for a method target, `{}` otherwise: spread into prompt and reply-parser options. */
export function promptMethod(target: { method?: { className: string; name: string; isStatic: boolean } }): { method?: PromptMethod } {
  const m = target.method;
  return m ? { method: { className: m.className, name: m.name, isStatic: m.isStatic } } : {};
}

const PATTERNS_IN_FULL = 8;
const PROFILE_LINES_SHOWN = 30;
const COMPLEXITY_POINTS_SHOWN = 6;
const OTHER_RESULTS_WITH_CODE = 3;
const FAILURE_TEXT_LIMIT = 1500;

export function buildSystemMessage(language: PromptLanguage): ChatMessage {
  const { name, standardLibrary } = languageDescriptor(language);
  return {
    role: 'system',
    content: [
      `You are an expert ${name} performance engineer. You make functions faster without changing what they do, and every`,
      `change you propose is executed: it is checked against the original on many inputs and timed, and the results come back.`,
      `Correctness comes first: same results, same exceptions, same side effects on every input. You use only ${standardLibrary}`,
      `and follow the requested output format exactly.`,
    ].join(' '),
  };
}

export function buildOptimizePrompt(ctx: OptimizePromptContext): ChatMessage[] {
  const lang = languageDescriptor(ctx.language);
  const k = ctx.candidatesWanted;
  const what = ctx.method ? `method \`${ctx.functionName}\` (of class \`${ctx.method.className}\`)` : `function \`${ctx.functionName}\``;
  const sections = [
    `Make the ${lang.name} ${what} faster. Round ${ctx.round} of ${ctx.rounds}.`,
    `## ${ctx.method ? 'Method' : 'Function'}\n${fence(ctx.functionSource, lang.fenceTag)}`,
    ctx.contextSource.trim() !== ''
      ? `## Context (read-only: ${ctx.method ? `the class with the method left out, and the imports and helpers it uses` : 'imports and helpers it uses'}; do not repeat or change them)\n${fence(ctx.contextSource, lang.fenceTag)}`
      : '',
    `## Measurements of the original\n${describeBaseline(ctx.baseline)}`,
    ctx.complexity ? describeComplexity(ctx.complexity) : '',
    ctx.profile ? describeProfile(ctx.profile) : '',
    ctx.patterns.length > 0 ? describePatterns(ctx.patterns, lang.fenceTag) : '',
    ctx.previous.length > 0 ? describePrevious(ctx.previous, lang.fenceTag, k) : '',
    describeRules(ctx, lang),
    describeOutputFormat(k, lang.fenceTag, ctx.method ? 'the complete method in its class, as the rules above say, plus any new imports and helpers' : undefined),
  ];
  return [buildSystemMessage(ctx.language), { role: 'user', content: joinSections(sections) }];
}

export function buildWorkloadPrompt(ctx: WorkloadPromptContext): ChatMessage[] {
  const target = languageDescriptor(ctx.language);
  // The generator's own language: the target's, unless its harness takes generators in another (C functions: C++).
  const lang = target.generatorLanguage ? languageDescriptor(target.generatorLanguage) : target;
  const parameters = ctx.parameters.length > 0 ? ctx.parameters.map((p) => `\`${p}\``).join(', ') : 'none';
  const sections = [
    `Write a ${lang.name} module that generates inputs for testing and timing the ${target.name} ${ctx.method ? 'method' : 'function'} \`${ctx.functionName}\` (parameters, in order: ${parameters}${ctx.method && !ctx.method.isStatic ? `; the first is the receiver, a \`${ctx.method.className}\` object` : ''}).`,
    `## ${ctx.method ? 'Method' : 'Function'}\n${fence(ctx.functionSource, target.fenceTag)}`,
    ctx.contextSource.trim() !== '' ? `## Context (imports and helpers it uses)\n${fence(ctx.contextSource, target.fenceTag)}` : '',
    [
      '## The module defines',
      `- \`${lang.correctnessGenerator}\` returning a list of at least 15 argument lists, each with one value per parameter in order.`,
      '  They are used to check that a rewrite behaves exactly like the original, so cover the edge cases: empty, single element,',
      '  duplicates, negative numbers and zero, unicode, boundary and very large values, and whatever else the function\'s domain',
      '  suggests. A few inputs on which the function raises are welcome (exceptions are compared too).',
      `- \`${lang.sizedGenerator}\` returning ONE argument list whose work for the function grows with n (n goes from about 10`,
      `  to 100 000), valid for the function's contract (it must not raise), and deterministic: use \`${lang.seededRandom}\`,`,
      '  never global randomness. Building it should take time roughly linear in n.',
      ...(target.generatorNotes ? [target.generatorNotes] : []),
      ...(ctx.method && target.methodGeneratorNote ? [target.methodGeneratorNote(ctx.method.className, ctx.method.name, ctx.method.isStatic)] : []),
    ].join('\n'),
    [
      '## Rules',
      `- Use only ${lang.standardLibrary}; no I/O, no printing, no network.`,
      '- Build new objects on every call: the function may mutate its arguments.',
      '- Use plain data (numbers, strings, lists, maps, sets) unless the function needs objects from its context.',
    ].join('\n'),
    ctx.previousAttempt
      ? `## Your previous module failed; fix it\n${fence(ctx.previousAttempt.code, lang.fenceTag)}\nError:\n${fence(truncate(ctx.previousAttempt.error, FAILURE_TEXT_LIMIT), '')}`
      : '',
    `Reply with one \`\`\`${lang.fenceTag} block containing the whole module.`,
  ];
  return [buildSystemMessage(ctx.language), { role: 'user', content: joinSections(sections) }];
}

function describeBaseline(baseline: BaselineMeasurement): string {
  const parts = [`${formatSeconds(baseline.secondsPerCall)} per call`];
  if (baseline.instructions !== undefined) {
    parts.push(`${formatCount(baseline.instructions)} instructions per call${baseline.counter ? ` (${baseline.counter})` : ''}`);
  }
  if (baseline.peakMemoryBytes !== undefined) parts.push(`peak memory ${formatBytes(baseline.peakMemoryBytes)}`);
  return `${parts.join('; ')}.`;
}

function describeComplexity(fit: ComplexityFit): string {
  const step = Math.max(1, Math.ceil(fit.points.length / COMPLEXITY_POINTS_SHOWN));
  const points = fit.points.filter((_, i) => i % step === 0 || i === fit.points.length - 1);
  const timings = points.map((p) => `n=${formatCount(p.size)}: ${formatSeconds(p.seconds)}`).join(', ');
  return `Empirical complexity: ${fit.label} (time ∝ n^k, fitted k = ${fit.exponent.toFixed(2)}, standard error ${fit.exponentStdError.toFixed(2)}).${timings ? ` Timings: ${timings}.` : ''}`;
}

/** SOAP's overhead profile: the lines that cost something, hot ones marked, in source order. */
function describeProfile(profile: LineProfile): string {
  const costly = profile.lines.filter((l) => l.hits > 0 || l.timeShare > 0 || l.memoryBytes > 0);
  if (costly.length === 0) return '';
  const byTime = [...costly].sort((a, b) => b.timeShare - a.timeShare || a.line - b.line);
  const shown = new Set(byTime.slice(0, PROFILE_LINES_SHOWN));
  const hot = new Set(byTime.filter((l, rank) => l.timeShare >= 0.1 || (rank === 0 && l.timeShare > 0)));
  const withMemory = costly.some((l) => l.memoryBytes > 0);
  const shownLines = costly.filter((l) => shown.has(l));
  // Keep the indentation, which shows the loop nesting, minus what all shown lines share.
  const commonIndent = Math.min(...shownLines.map((l) => /^\s*/.exec(l.text)?.[0].length ?? 0));
  const rows = shownLines.map((l) => {
    const cells = [hot.has(l) ? '>>' : '  ', String(l.line).padStart(5), formatCount(l.hits).padStart(8), `${(l.timeShare * 100).toFixed(1)}%`.padStart(6)];
    if (withMemory) cells.push((l.memoryBytes > 0 ? formatBytes(l.memoryBytes) : '-').padStart(9));
    cells.push(truncate(l.text.slice(commonIndent).trimEnd(), 90));
    return cells.join(' ');
  });
  const byInstructions = profile.basis === 'instructions';
  const header = ['  ', ' line', byInstructions ? '   instr' : '    hits', byInstructions ? ' share' : '  time', ...(withMemory ? ['   memory'] : []), 'code'].join(' ');
  const omitted = costly.length - shown.size;
  return [
    byInstructions
      ? 'Line profile (instructions per line including what the line calls, counted exactly by valgrind; ">>" marks the hot lines):'
      : `Line profile (${formatSeconds(profile.totalSeconds)} in total; ">>" marks the hot lines):`,
    '```text',
    header,
    ...rows,
    '```',
    omitted > 0 ? `(${omitted} cheaper lines not shown)` : '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function describePatterns(patterns: RankedPattern[], fenceTag: string): string {
  const full = patterns.slice(0, PATTERNS_IN_FULL).map((p, i) => {
    const lines = [`${i + 1}. ${p.id} ${p.name}: ${p.description} Applies when: ${p.appliesWhen}`];
    if (p.matchedSignals.length > 0) lines.push(`   Seen here: ${p.matchedSignals.join('; ')}`);
    if (p.before) lines.push(`   Before:\n${indent(fence(p.before, fenceTag), 3)}`);
    if (p.after) lines.push(`   After:\n${indent(fence(p.after, fenceTag), 3)}`);
    return lines.join('\n');
  });
  const rest = patterns.slice(PATTERNS_IN_FULL).map((p) => `${p.id} ${p.name}`);
  return [
    '## Optimization patterns that match this code (most relevant first; use them only where they apply)',
    ...full,
    rest.length > 0 ? `Also possibly relevant: ${rest.join('; ')}.` : '',
  ]
    .filter((s) => s !== '')
    .join('\n');
}

/** SOAP-style feedback: what earlier candidates measured, the best one to build on, the failed ones to repair. */
function describePrevious(previous: PreviousCandidate[], fenceTag: string, k: number): string {
  const failed = previous.filter((p) => p.failure !== undefined);
  const measured = previous
    .filter((p) => p.failure === undefined)
    .sort((a, b) => (b.speedup?.ratio ?? 0) - (a.speedup?.ratio ?? 0) || a.id.localeCompare(b.id));
  const best = measured.find((p) => p.speedup !== undefined && p.speedup.low > 1);
  const others = measured.filter((p) => p !== best);
  const latestFailedRound = Math.max(...failed.map((p) => p.round));
  const toRepair = failed.filter((p) => p.round === latestFailedRound).slice(0, k);

  const table = [...measured, ...failed].map((p) => {
    const cells = [p.id, `round ${p.round}`, p.verdict];
    if (p.speedup) cells.push(`speedup ${formatRatio(p.speedup.ratio)} (95% CI ${formatRatio(p.speedup.low)}–${formatRatio(p.speedup.high)})`);
    if (p.instructionsRatio !== undefined) cells.push(`instructions ${formatRatio(p.instructionsRatio)} of the original`);
    if (p.memoryRatio !== undefined) cells.push(`memory ${formatRatio(p.memoryRatio)} of the original`);
    if (p.failure !== undefined && !toRepair.includes(p)) cells.push(truncate(p.failure.split('\n')[0] ?? '', 160));
    return `- ${cells.join(', ')}`;
  });
  const parts = ['## Results of earlier candidates (speedup > 1 is faster than the original)', ...table];
  if (best) {
    parts.push(`Best so far: ${best.id}. Build on it: keep what made it fast and go further.\n${fence(best.code, fenceTag)}`);
  } else {
    parts.push('No earlier candidate was measurably faster: try different approaches.');
  }
  const otherWithCode = [...others].sort((a, b) => b.round - a.round || a.id.localeCompare(b.id)).slice(0, OTHER_RESULTS_WITH_CODE);
  if (otherWithCode.length > 0) {
    parts.push('Not faster, or less so; do not repeat these ideas:');
    for (const p of otherWithCode) parts.push(`${p.id} (${p.verdict}):\n${fence(p.code, fenceTag)}`);
  }
  if (toRepair.length > 0) {
    parts.push('Failed (did not run, or behaved differently from the original). Repair those whose idea is sound:');
    for (const p of toRepair) {
      parts.push(`${p.id} (${p.verdict}):\n${fence(p.code, fenceTag)}\nFailure:\n${fence(truncate(p.failure ?? '', FAILURE_TEXT_LIMIT), '')}`);
    }
  }
  return parts.join('\n');
}

function describeRules(ctx: OptimizePromptContext, lang: LanguageDescriptor): string {
  const method = ctx.method;
  return [
    '## Rules',
    method
      ? `1. Keep the name \`${method.name}\`, its class and the exact signature (parameters, defaults, annotations, ${method.isStatic ? 'static' : 'qualifiers'}).`
      : `1. Keep the name \`${ctx.functionName}\` and the exact signature (parameters, defaults, annotations).`,
    '2. Same behaviour on every input, edge cases included: the same return values, the same exception types, the same',
    '   mutation of arguments, the same printed output.',
    `3. Use only ${lang.standardLibrary} and modules the code already imports (no new dependencies). You may add imports and helper functions.`,
    '4. No caching or memoization across calls, no global or module-level state, no threads or processes, no I/O beyond',
    '   what the original does, and no shortcuts for particular inputs (such as the ones measured).',
    '5. Keep the code readable; a short comment where a trick is not obvious.',
    ...(method
      ? [
          `6. Same effect on the object: its state after the call is compared too.${method.isStatic ? '' : ' Do not add fields to the object.'}`,
          `7. ${lang.methodReplyRule?.(method.className, method.name) ?? `Reply with the method \`${method.name}\` only.`}`,
        ]
      : []),
  ].join('\n');
}

function describeOutputFormat(k: number, fenceTag: string, body = '<the complete function, plus any new imports and helpers it needs>'): string {
  const candidates = k === 1 ? 'exactly 1 candidate' : `exactly ${k} candidates, each a different approach`;
  return [
    '## Output format',
    `Reply with ${candidates}, each in this form:`,
    `### Candidate N: <one-line rationale>`,
    `\`\`\`${fenceTag}`,
    body.startsWith('<') ? body : `<${body}>`,
    '```',
  ].join('\n');
}

/** A fence longer than any backtick run in the code, so code containing ``` cannot end it early. */
function fence(code: string, tag: string): string {
  const longestRun = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const marker = '`'.repeat(Math.max(3, longestRun + 1));
  return `${marker}${tag}\n${code.replace(/\s+$/, '')}\n${marker}`;
}

function joinSections(sections: string[]): string {
  return sections.filter((s) => s.trim() !== '').join('\n\n');
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/**
 * At most `limit` characters, cut between words: half a token would slip past the secret patterns of redact.ts (a key
 * cut in two no longer looks like a key). A word longer than 512 characters is cut anyway, so a prompt stays bounded.
 */
export function capForPrompt(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = text.slice(0, limit);
  const partial = /\S+$/.exec(cut)?.[0] ?? '';
  if (/\S/.test(text.charAt(limit)) && partial.length <= 512 && partial.length < cut.length) cut = cut.slice(0, cut.length - partial.length);
  return `${cut}… (${text.length - cut.length} more characters)`;
}

const truncate = capForPrompt;

