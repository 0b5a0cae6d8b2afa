/**
 * The fixture workspace the editor tests open. Every VS Code session gets a fresh copy in a temp directory, because tests
 * change files (Apply writes the faster function back) and must not touch the committed fixture or each other. The copy
 * also gets a generated 10,000-line module for the CodeLens performance check, which is not worth committing, and the
 * C++ and JavaScript examples from examples/ that the run tests optimize.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIG_MODULE_NAME, bigModuleText } from './bigModule.js';

/** test/vscode/workspace in the repository (this file is compiled to out/test/vscode/, hence the walk up). */
export const FIXTURE_WORKSPACE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/vscode/workspace');
/** Examples the editor tests run as they ship (copied in rather than committed twice). */
const EXAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../examples');
const COPIED_EXAMPLES = ['cpp/join.cpp', 'cpp/join.perfloop.cpp', 'javascript/leaderboard.mjs', 'javascript/leaderboard.perfloop.mjs', 'javascript/leaderboard_fast.mjs'];

/** Copies the fixture into `<parent>/workspace` and adds the generated module; returns the copy's path. */
export function prepareWorkspace(parent: string): string {
  const workspace = join(parent, 'workspace');
  mkdirSync(parent, { recursive: true });
  cpSync(FIXTURE_WORKSPACE, workspace, {
    recursive: true,
    // The fixture's .gitignore only keeps generated files out of git; it has no business in the Explorer.
    filter: (source) => !/__pycache__|\.gitignore$/.test(source) && !source.endsWith(BIG_MODULE_NAME),
  });
  writeFileSync(join(workspace, BIG_MODULE_NAME), bigModuleText());
  for (const example of COPIED_EXAMPLES) cpSync(join(EXAMPLES, example), join(workspace, basename(example)));
  return workspace;
}
