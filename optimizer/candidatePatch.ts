/**
 * A candidate as Apply writes it: the user's file with the target replaced (the runner's `applyCandidate`), the changed
 * lines given the file's line ending, and the unified diff of exactly that file against the original. The report's
 * diffs, the CLI's --apply, the panel's Apply and VS Code's diff editor all go through here, so what the user reviews
 * is what is written.
 */
import { createTwoFilesPatch } from 'diff';
import { basename } from 'node:path';
import { minimalReplacement } from '../profilers/minimalEdit.js';
import type { ExtractedTarget, LanguageRunner } from '../profilers/runner.js';
import { dominantLineEnding } from '../profilers/sourceFile.js';

export interface CandidatePatch {
  /** The whole file with the candidate applied, in the original's line endings. */
  patchedFileText: string;
  /** Unified diff from `target.fileText` to `patchedFileText`. */
  diff: string;
}

/** Throws the runner's RunnerError when the candidate cannot be applied. */
export async function patchCandidate(runner: LanguageRunner, target: ExtractedTarget, code: string, label: string): Promise<CandidatePatch> {
  const patchedFileText = withFileLineEndings(target.fileText, await runner.applyCandidate(target, code));
  return { patchedFileText, diff: fileDiff(target, patchedFileText, label) };
}

/** Functions are short: the whole function as context reads best, until it would bury the change. */
const MAX_CONTEXT_LINES = 200;

export function fileDiff(target: ExtractedTarget, patchedFileText: string, label: string): string {
  const name = basename(target.filePath);
  const functionLines = target.range.end - target.range.start + 1;
  const context = Math.min(Math.max(3, functionLines), MAX_CONTEXT_LINES);
  return createTwoFilesPatch(`a/${name}`, `b/${name}`, target.fileText, patchedFileText, 'original', label, { context });
}

/**
 * `patched` with the lines it changed ending as the original's lines do. Runners and replies write `\n`; in a CRLF file
 * the changed stretch gets `\r\n`, and everything outside it is left byte for byte (a mixed file stays mixed there).
 */
export function withFileLineEndings(original: string, patched: string): string {
  if (dominantLineEnding(original) !== '\r\n') return patched;
  const change = minimalReplacement(original, patched);
  if (!change) return patched;
  const crlf = change.text.replace(/(?<!\r)\n/g, '\r\n');
  return patched.slice(0, change.start) + crlf + patched.slice(change.start + change.text.length);
}
