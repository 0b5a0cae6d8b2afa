/**
 * The fixture workspace the editor tests open. Every VS Code session gets a fresh copy in a temp directory, because tests
 * change files (Apply writes the faster function back) and must not touch the committed fixture or each other. The copy
 * also gets a generated 10,000-line module for the CodeLens performance check, which is not worth committing, the
 * C++ and JavaScript examples from examples/ that the run tests optimize, and the example Python project under
 * `projects/python/`. The example TypeScript project is opened as a workspace of its own (prepareTypeScriptProject).
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
/** The repository's own node_modules, where the example TypeScript project's one dependency (zod) is installed. */
const REPO_NODE_MODULES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../node_modules');

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
  cpSync(join(EXAMPLES, 'projects/python'), join(workspace, 'projects/python'), { recursive: true, filter: (source) => !source.includes('__pycache__') });
  return workspace;
}

/**
 * A copy of examples/projects/typescript in `<parent>/shop`, with its dependencies installed as `npm install` would put
 * them: zod, copied from the repository's node_modules (the tests cannot reach a registry, and the sandbox shows the
 * project's own node_modules, not a link out of it). In the repository the example resolves zod by walking up to the
 * repository's node_modules; a copy under /tmp has nothing above it.
 */
export function prepareTypeScriptProject(parent: string): string {
  const project = join(parent, 'shop');
  mkdirSync(parent, { recursive: true });
  cpSync(join(EXAMPLES, 'projects/typescript'), project, { recursive: true, filter: (source) => !source.includes('node_modules') });
  cpSync(join(REPO_NODE_MODULES, 'zod'), join(project, 'node_modules/zod'), { recursive: true, dereference: true });
  return project;
}
