/**
 * Turns an LLM reply into candidate functions. The prompt asks for `### Candidate N: <rationale>` headings, each
 * followed by one fenced block; replies deviate in every way a model can think of, so this accepts what it can,
 * explains what it cannot, and never throws. It checks structure only: syntax errors are the interpreter's job.
 */
import type { LanguageDescriptor } from '../profilers/languageDescriptor.js';
import { languageDescriptor, languageOfFenceTag } from '../profilers/languages.js';
import type { LanguageId } from '../profilers/runner.js';
import { dedent } from '../profilers/sourceText.js';
import { z } from 'zod';

/** Any language a runner exists for: its syntax facts come from profilers/languages.ts. */
export type ReplyLanguage = LanguageId;

export interface ParseCandidatesOptions {
  functionName: string;
  language: ReplyLanguage;
  maxCandidates: number;
  /** When given, a candidate equal to it (after whitespace normalisation) is rejected instead of measured. */
  originalSource?: string;
  /** Set when the target is a method: replies then define it inside its class (or bare), not at the top level. */
  method?: { className: string; name: string };
}

export interface ParsedCandidate {
  /** 1-based position of the candidate in the reply. */
  index: number;
  code: string;
  rationale: string;
}

export interface ParseFailure {
  /** 1-based position of the candidate in the reply; 0 when the failure concerns the reply as a whole. */
  index: number;
  reason: string;
  code?: string;
}

export interface ParsedCandidates {
  candidates: ParsedCandidate[];
  failures: ParseFailure[];
}



interface CodeBlock {
  tag: string;
  code: string;
  /** The nearest non-empty prose line above the block, a rationale when there is no heading. */
  proseBefore: string;
}

/** A stretch of the reply: under one `Candidate N` heading, or outside any. */
interface Section {
  isCandidate: boolean;
  rationale: string;
  blocks: CodeBlock[];
  textLines: string[];
}

/** A candidate as found, before it is checked. */
interface RawCandidate {
  rationale: string;
  code: string | undefined;
  /** Set when there is no code for the target but a block in another language (its display name). */
  foreignLanguage?: string;
}

const HEADING =
  /^\s{0,3}(?:(?:\d+[.)]|[-*+])\s+)?(#{1,6}\s*)?(\*\*|__)?\s*(?:candidate|option|version|solution|approach|variant)\s*#?\s*(\d+)\b\s*(?:\*\*|__)?\s*([:.)\-–—])?\s*(.*)$/i;

const JsonCandidateSchema = z.object({
  code: z.string().optional(),
  source: z.string().optional(),
  function: z.string().optional(),
  implementation: z.string().optional(),
  optimized_code: z.string().optional(),
  rationale: z.string().optional(),
  explanation: z.string().optional(),
  description: z.string().optional(),
  reason: z.string().optional(),
  title: z.string().optional(),
});
const JsonReplySchema = z.union([
  z.object({ candidates: z.array(JsonCandidateSchema) }),
  z.array(JsonCandidateSchema),
  JsonCandidateSchema,
]);

export function parseCandidates(reply: string, options: ParseCandidatesOptions): ParsedCandidates {
  try {
    return checkCandidates(findCandidates(normaliseNewlines(reply), options), options);
  } catch (error) {
    // Unreachable by intent; a parser bug must cost one round's candidates, not the whole run.
    return { candidates: [], failures: [{ index: 0, reason: `could not parse the reply (${String(error)})` }] };
  }
}

export function parseWorkloadGenerator(reply: string, language: ReplyLanguage = 'python'): { code: string } | { reason: string } {
  try {
    const target = languageDescriptor(language);
    const syntax = target.generatorLanguage ? languageDescriptor(target.generatorLanguage) : target;
    const text = normaliseNewlines(reply);
    if (text.trim() === '') return { reason: 'the reply is empty' };
    const blocks = splitIntoSections(text, syntax)
      .flatMap((section) => section.blocks)
      .filter((block) => isCodeFor(block, syntax));
    const required = syntax.generatorFunctions;
    const definesAll = (code: string) => required.every((name) => syntax.definesFunction(code, name));
    const definesAny = (code: string) => required.some((name) => syntax.definesFunction(code, name));
    const complete = blocks.filter((block) => definesAll(block.code)).pop();
    // Imports or helpers in their own block join the generator; earlier drafts of it do not.
    const support = blocks.filter((block) => !definesAny(block.code) && syntax.definesSupport(block.code) && !/^print\b/m.test(block.code));
    const kept = complete ? blocks.filter((block) => block === complete || support.includes(block)) : blocks.filter((block) => syntax.definesSupport(block.code));
    const merged = kept.map((block) => block.code).join('\n\n');
    const code = merged !== '' ? merged : (fencelessCode(text.split('\n'), syntax) ?? '');
    if (code === '') return { reason: 'no code block found in the reply' };
    const missing = required.filter((name) => !syntax.definesFunction(code, name));
    if (missing.length > 0) return { reason: `the generator does not define ${missing.map((name) => `\`${name}\``).join(' or ')}` };
    return { code: finishCode(code) };
  } catch (error) {
    return { reason: `could not parse the reply (${String(error)})` };
  }
}

/**
 * The language's syntax facts, with "defines the target" meaning "defines the method" for a method target (the
 * language's own test: inside its class or bare; C++ also out of class as `Class::method`).
 */
function syntaxFor(options: ParseCandidatesOptions): LanguageDescriptor {
  const base = languageDescriptor(options.language);
  const method = options.method;
  const definesMethod = base.definesMethod;
  if (!method || !definesMethod) return base;
  return {
    ...base,
    definesFunction: (code, name) => (name === options.functionName ? definesMethod(code, method.className, method.name) : base.definesFunction(code, name)),
  };
}

function findCandidates(text: string, options: ParseCandidatesOptions): RawCandidate[] {
  const syntax = syntaxFor(options);
  const sections = splitIntoSections(text, syntax);
  const headed = sections.filter((section) => section.isCandidate);
  const anyCode = sections.some((section) => section.blocks.some((block) => isCodeFor(block, syntax)));

  if (!anyCode) {
    const fromJson = candidatesFromJson(text, sections, syntax);
    if (fromJson.length > 0) return fromJson;
  }
  if (headed.length > 0) {
    // Code before the first heading is usually the original restated; the candidates are under the headings.
    return headed.map((section) => {
      const code = mergeSectionBlocks(section, options.functionName, syntax) ?? fencelessCode(section.textLines, syntax);
      const foreignLanguage = code === undefined ? foreignLanguageOf(section.blocks, syntax) : undefined;
      return { rationale: section.rationale, code, ...(foreignLanguage ? { foreignLanguage } : {}) };
    });
  }
  const everything: Section = {
    isCandidate: false,
    rationale: '',
    blocks: sections.flatMap((section) => section.blocks),
    textLines: sections.flatMap((section) => section.textLines),
  };
  if (!anyCode) {
    const code = fencelessCode(everything.textLines, syntax);
    if (code !== undefined) return [{ rationale: '', code }];
    const foreignLanguage = foreignLanguageOf(everything.blocks, syntax);
    return foreignLanguage ? [{ rationale: '', code: undefined, foreignLanguage }] : [];
  }
  return candidatesWithoutHeadings(everything, options.functionName, syntax);
}

/**
 * The language of a block fenced as another language than the target's (```javascript for a Python function): the
 * failure then says so, rather than that no code was found or that the code does not parse.
 */
function foreignLanguageOf(blocks: readonly CodeBlock[], syntax: LanguageDescriptor): string | undefined {
  for (const block of blocks) {
    if (block.tag === '' || syntax.fenceTags.has(block.tag) || block.code.trim() === '') continue;
    const language = languageOfFenceTag(block.tag);
    if (language && language.name !== syntax.name) return language.name;
  }
  return undefined;
}

/** Without headings, each block defining the target closes a candidate; helper blocks before it join it. */
function candidatesWithoutHeadings(section: Section, functionName: string, syntax: LanguageDescriptor): RawCandidate[] {
  const blocks = section.blocks.filter((block) => isCodeFor(block, syntax));
  const candidates: RawCandidate[] = [];
  let helpers: CodeBlock[] = [];
  for (const block of blocks) {
    if (syntax.definesFunction(block.code, functionName)) {
      const rationale = block.proseBefore || (helpers[0]?.proseBefore ?? '');
      candidates.push({ rationale, code: [...helpers, block].map((b) => b.code).join('\n\n') });
      helpers = [];
    } else if (syntax.definesSupport(block.code) && !syntax.looksLikeUsageExample(block.code, functionName)) {
      helpers.push(block);
    }
  }
  if (candidates.length > 0) return candidates;
  // Nothing defines the target: report each block, so the failure says what it defines instead.
  return blocks.map((block) => ({ rationale: block.proseBefore, code: block.code }));
}

/** Under one heading: helpers and imports, plus the last block defining the target (earlier ones are drafts or "before"). */
function mergeSectionBlocks(section: Section, functionName: string, syntax: LanguageDescriptor): string | undefined {
  const blocks = section.blocks.filter((block) => isCodeFor(block, syntax));
  if (blocks.length === 0) return undefined;
  const targetBlocks = blocks.filter((block) => syntax.definesFunction(block.code, functionName));
  const lastTarget = targetBlocks[targetBlocks.length - 1];
  const kept = blocks.filter(
    (block) =>
      block === lastTarget ||
      (!targetBlocks.includes(block) && syntax.definesSupport(block.code) && !syntax.looksLikeUsageExample(block.code, functionName)),
  );
  return (kept.length > 0 ? kept : blocks).map((block) => block.code).join('\n\n');
}

function checkCandidates(raw: RawCandidate[], options: ParseCandidatesOptions): ParsedCandidates {
  const syntax = syntaxFor(options);
  const name = options.functionName;
  const candidates: ParsedCandidate[] = [];
  const failures: ParseFailure[] = [];
  if (raw.length === 0) return { candidates, failures: [{ index: 0, reason: 'no code block found in the reply' }] };

  const seen = new Map<string, number>();
  const original = options.originalSource === undefined ? undefined : normaliseWhitespace(options.originalSource);
  for (const [position, found] of raw.entries()) {
    const index = position + 1;
    if (found.foreignLanguage !== undefined) {
      const whose = raw.length === 1 && index === 1 ? { index: 0, what: "the reply's" } : { index, what: `candidate ${index}'s` };
      failures.push({ index: whose.index, reason: `${whose.what} code block is ${found.foreignLanguage}, not ${syntax.name}` });
      continue;
    }
    if (found.code === undefined || found.code.trim() === '') {
      failures.push({ index, reason: `candidate ${index} has no code block` });
      continue;
    }
    const code = finishCode(found.code);
    const normalised = normaliseWhitespace(code);
    const duplicateOf = seen.get(normalised);
    let reason: string | undefined;
    if (!syntax.definesFunction(code, name)) {
      const defined = syntax.topLevelFunctions(code);
      const instead = defined.length > 0 ? `it defines ${defined.map((d) => `\`${d}\``).join(', ')}` : 'it defines no top-level function';
      reason = options.method
        ? `candidate ${index} does not define the method \`${name}\` (in \`${options.method.className}\`, or on its own)`
        : `candidate ${index} does not define \`${name}\` (${instead})`;
    } else if (normalised === original) {
      reason = `candidate ${index} is identical to the original function`;
    } else if (duplicateOf !== undefined) {
      reason = `duplicate of candidate ${duplicateOf}`;
    } else if (candidates.length >= options.maxCandidates) {
      reason = `candidate ${index} is beyond the ${options.maxCandidates} asked for`;
    }
    if (!seen.has(normalised)) seen.set(normalised, index);
    if (reason !== undefined) failures.push({ index, reason, code });
    else candidates.push({ index, code, rationale: found.rationale });
  }
  return { candidates, failures };
}

/**
 * Splits the reply at headings outside fences; fenced blocks stay whole. An unterminated fence runs to the end, or
 * to the next candidate heading or fence opening with a language tag, neither of which can be code.
 */
function splitIntoSections(text: string, syntax: LanguageDescriptor): Section[] {
  const lines = text.split('\n');
  const sections: Section[] = [{ isCandidate: false, rationale: '', blocks: [], textLines: [] }];
  let current = sections[0]!;
  let proseBefore = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = FENCE_OPENING.exec(line);
    if (fence) {
      const marker = fence[1] ?? '```';
      const closing = new RegExp(`^[ \\t]*${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`);
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const inner = lines[j] ?? '';
        if (closing.test(inner)) break;
        if (marker[0] === '`' && inner.trimEnd().endsWith(marker)) {
          body.push(inner.trimEnd().slice(0, -marker.length)); // "    return x```": a closing fence glued to the last line
          break;
        }
        if (isMarkdownCandidateHeading(inner) || /^[ \t]*(`{3,}|~{3,})[ \t]*[A-Za-z]/.test(inner)) {
          j--; // an unterminated fence: let the outer loop see this line
          break;
        }
        body.push(inner);
      }
      current.blocks.push({ tag: fenceTag(fence[2] ?? ''), code: dedent(body.join('\n')), proseBefore });
      i = j;
      continue;
    }
    const heading = candidateHeading(line);
    if (heading !== undefined) {
      current = { isCandidate: true, rationale: heading, blocks: [], textLines: [] };
      sections.push(current);
      proseBefore = '';
      continue;
    }
    if (current.blocks.length > 0 && /^#{1,6}[ \t]+\S/.test(line)) {
      // "## Summary" after the code ends the candidate, so its blocks (benchmarks, tests) are not merged in.
      current = { isCandidate: false, rationale: '', blocks: [], textLines: [] };
      sections.push(current);
    }
    if (line.trim() !== '' && !syntax.codeStartLine.test(line)) {
      proseBefore = cleanRationale(line);
      if (current.isCandidate && current.rationale === '' && current.blocks.length === 0) current.rationale = proseBefore;
    }
    current.textLines.push(line);
  }
  return sections;
}

const FENCE_OPENING = /^[ \t]*(`{3,}|~{3,})[ \t]*([^`\s]*)[^`]*$/;

/** The rationale of a `### Candidate N: rationale` line ('' when it has none), or undefined for other lines. */
function candidateHeading(line: string): string | undefined {
  const match = HEADING.exec(line);
  // Plain "Candidate 2 is faster" is prose; a heading needs a #, bold, or a separator after the number.
  if (!match || !(match[1] || match[2] || match[4])) return undefined;
  return cleanRationale(match[5] ?? '');
}

function isMarkdownCandidateHeading(line: string): boolean {
  return /^\s{0,3}#{1,6}/.test(line) && candidateHeading(line) !== undefined;
}

function isCodeFor(block: CodeBlock, syntax: LanguageDescriptor): boolean {
  if (block.code.trim() === '') return false;
  if (block.tag === '' || syntax.fenceTags.has(block.tag)) return true;
  // A mislabelled fence (```python3.12, ```Python code) still counts if it defines a function.
  return block.tag !== 'json' && syntax.topLevelFunctions(block.code).length > 0;
}

/** `{"candidates": [{"code": ..., "rationale": ...}]}`, a bare array or object, raw or in a ```json fence. */
function candidatesFromJson(text: string, sections: Section[], syntax: LanguageDescriptor): RawCandidate[] {
  const sources = [text.trim(), ...sections.flatMap((section) => section.blocks.map((block) => block.code.trim()))];
  for (const source of sources) {
    if (!/^[[{]/.test(source)) continue;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch {
      continue;
    }
    const parsed = JsonReplySchema.safeParse(value);
    if (!parsed.success) continue;
    const entries = 'candidates' in parsed.data ? parsed.data.candidates : Array.isArray(parsed.data) ? parsed.data : [parsed.data];
    const found = entries
      .map((entry) => ({
        rationale: cleanRationale(entry.rationale ?? entry.explanation ?? entry.description ?? entry.reason ?? entry.title ?? ''),
        code: unwrapFence(entry.code ?? entry.optimized_code ?? entry.implementation ?? entry.source ?? entry.function ?? '', syntax),
      }))
      .filter((entry) => entry.code.trim() !== '');
    if (found.length > 0) return found;
  }
  return [];
}

function unwrapFence(code: string, syntax: LanguageDescriptor): string {
  const normalised = normaliseNewlines(code);
  const block = splitIntoSections(normalised, syntax).flatMap((s) => s.blocks).find((b) => isCodeFor(b, syntax));
  return block ? block.code : normalised;
}

/** Code in a reply without fences: from the first line that starts code to the first prose line after it. */
function fencelessCode(lines: string[], syntax: LanguageDescriptor): string | undefined {
  const start = lines.findIndex((line) => syntax.codeStartLine.test(line));
  if (start < 0) return undefined;
  const code: string[] = [];
  for (const line of lines.slice(start)) {
    if (line.trim() !== '' && !syntax.codeContinuationLine.test(line)) break;
    code.push(line);
  }
  return code.join('\n');
}

function fenceTag(info: string): string {
  // "python", "{.python}", "python:solution.py", "Python3"
  return (info.replace(/^[{.]+/, '').split(/[:{},]/)[0] ?? '').toLowerCase();
}

function cleanRationale(text: string): string {
  return text
    .replace(/^[\s*_#>:.\-–—]+/, '')
    .replace(/[\s*_:.]+$/, '')
    .trim()
    .slice(0, 300);
}

function finishCode(code: string): string {
  return `${code.replace(/^(?:[ \t]*\n)+/, '').trimEnd()}\n`;
}

function normaliseNewlines(text: string): string {
  return typeof text === 'string' ? text.replace(/\r\n?/g, '\n') : '';
}

/** Keeps indentation, which is meaning in Python (a statement moved out of a loop), and collapses the rest. */
function normaliseWhitespace(code: string): string {
  return code
    .split('\n')
    .map((line) => (/^[ \t]*/.exec(line)?.[0] ?? '') + line.trim().replace(/\s+/g, ' '))
    .filter((line) => line !== '')
    .join('\n');
}
