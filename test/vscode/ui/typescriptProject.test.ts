/**
 * A function of a real TypeScript project, as a person meets it: they open the project (a copy of
 * examples/projects/typescript with its zod installed), click "⚡ Optimize" above `topCustomers` in src/orders/report.ts,
 * read the report, press Apply and save. The function imports sibling .ts files by their NodeNext `.js` names and a
 * module through the tsconfig `paths` alias, and its inputs module validates orders with zod, so the run only works
 * when the editor runs the function as the project resolves its imports. The fake LLM replies with the example's known
 * rewrite (report_fast.ts); the saved file must be exactly what the report's diff showed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { fakeReplies } from '../../support/fakeLlmServer.js';
import { REPO_ROOT, takeScreenshot } from '../browser.js';
import { fileAfterDiff, type ShownDiffRow } from '../fileAfterDiff.js';
import { prepareTypeScriptProject } from '../workspace.js';
import { useVsCodeSession } from './support/session.js';
import { codeLensAbove, findWebviewFrame, frameTextMatches, quickOpen, runCommandFromPalette } from './support/workbench.js';

const REWRITE = readFileSync(join(REPO_ROOT, 'examples/projects/typescript/src/orders/report_fast.ts'), 'utf8');

describe('Optimize a TypeScript project function from the CodeLens', function () {
  this.timeout(300_000);
  const session = useVsCodeSession({
    workspace: prepareTypeScriptProject,
    llm: (body) =>
      (body.messages ?? []).some((m) => m.content.includes('### Candidate N:'))
        ? fakeReplies.text(`### Candidate 1: a Map of totals, then one stable sort\n\`\`\`typescript\n${REWRITE}\`\`\`\n`)
        : fakeReplies.text('Nothing more to improve.'),
    settings: { 'perfloop.rounds': 1, 'perfloop.candidates': 1, 'perfloop.samples': 10, 'perfloop.counters': 'time' },
  });

  it('runs topCustomers of src/orders/report.ts, proves the rewrite faster, and Apply writes exactly the diff shown', async function () {
    const name = this.test?.fullTitle() ?? 'typescript-project';
    const file = join(session.workspace, 'src/orders/report.ts');
    const original = readFileSync(file, 'utf8');
    const page = await session.openWorkbench();
    await quickOpen(page, 'report.ts');

    const lens = await waitForLens(page, 'export function topCustomers');
    await takeScreenshot(page, name, '1-codelens');
    await lens.click();

    const report = await findWebviewFrame(page, frameTextMatches(/topCustomers/), 60_000);
    await report.getByText(/\d(\.\d+)?× faster/).first().waitFor({ state: 'visible', timeout: 240_000 });
    await takeScreenshot(page, name, '2-report-finished');
    assert.equal(session.llm.chatRequests.length, 1, 'one request: the candidates (the inputs come from report.perfloop.ts)');

    const shown = await diffRows(report);
    assert.ok(shown.some((row) => row.kind === 'added' && row.text.includes('const totals = new Map<string, number>();')), 'the diff shows the rewrite');
    assert.ok(shown.some((row) => row.kind === 'removed' && row.text.includes('totals.find(')), 'and the slow scan going');
    assert.equal(readFileSync(file, 'utf8'), original, 'nothing was written before Apply');

    await report.locator('vscode-button', { hasText: /^\s*Apply/ }).first().click();
    await report.getByText(/Applied r1c1/).first().waitFor({ state: 'visible', timeout: 15_000 });
    await runCommandFromPalette(page, 'File: Save All');
    const saved = await waitForFileChange(page, file, original);
    await takeScreenshot(page, name, '3-applied-and-saved');
    assert.equal(saved, fileAfterDiff(original, shown), 'the file is the original with exactly the diff\'s lines changed');
    // Only the function changed: every row the diff changes lies within topCustomers (its doc comment to its last line).
    const lines = original.split('\n');
    const first = lines.findIndex((line) => line.startsWith('/** The `count` customers')) + 1;
    const last = lines.length - 1;
    assert.ok(first > 0);
    for (const row of shown.filter((r) => r.kind === 'removed')) {
      assert.ok(row.oldLine !== undefined && row.oldLine >= first && row.oldLine <= last, `line ${row.oldLine} is outside topCustomers`);
    }
  });
});

/** The lens appears once the extension has activated and parsed the file. */
async function waitForLens(page: Page, lineText: string): Promise<Locator> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await codeLensAbove(page, /Optimize/, lineText);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.waitForTimeout(500);
    }
  }
}

/** The rows of the diff the report panel shows for the selected candidate, read off the page. */
async function diffRows(report: Frame): Promise<ShownDiffRow[]> {
  const rows = report.locator('.code-block.diff').first().locator('.diff-row');
  await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
  const shown: ShownDiffRow[] = [];
  for (let index = 0; index < (await rows.count()); index++) {
    const row = rows.nth(index);
    const classes = (await row.getAttribute('class')) ?? '';
    const kind = (['added', 'removed', 'context', 'gap'] as const).find((k) => classes.split(/\s+/).includes(k));
    assert.ok(kind, `a diff row of unknown kind: ${classes}`);
    if (kind === 'gap') {
      shown.push({ kind, text: (await row.textContent()) ?? '' });
      continue;
    }
    const [oldLine, newLine] = await row.locator('.ln').allTextContents();
    // The text span starts with words for screen readers ("added: "), which are not part of the line.
    const text = ((await row.locator('.text').textContent()) ?? '').slice(((await row.locator('.text .sr-only').allTextContents())[0] ?? '').length);
    shown.push({
      kind,
      ...(oldLine ? { oldLine: Number(oldLine) } : {}),
      ...(newLine ? { newLine: Number(newLine) } : {}),
      text,
    });
  }
  return shown;
}

/** Save All writes through the remote file system: poll the disk until the file differs from `before`. */
async function waitForFileChange(page: Page, file: string, before: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const now = readFileSync(file, 'utf8');
    if (now !== before) return now;
    if (Date.now() > deadline) assert.fail(`${file} was not saved`);
    await page.waitForTimeout(250);
  }
}
