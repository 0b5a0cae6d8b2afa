/**
 * A full run from the editor, then Apply, stale Apply and the history on disk — in a real VS Code, with the real engine
 * (real Python in the sandbox) and the real `openai` client against the tests' local OpenAI-compatible server.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PerfloopApi } from '../../../extension/extension.js';
import { fakeReplies } from '../../support/fakeLlmServer.js';
import { candidateReply, FAST_DUPLICATES, WRONG_ORDER_DUPLICATES } from '../../support/pythonFixtures.js';
import { codeLensesFor, hostLog, openFixture, perfloopExtension, useFakeLlm, useQuickRuns, waitFor } from './support/host.js';

async function api(): Promise<PerfloopApi> {
  const extension = perfloopExtension() as vscode.Extension<PerfloopApi>;
  return extension.isActive ? extension.exports : extension.activate();
}

describe('A run from the editor', function () {
  this.timeout(240_000);
  const llm = useFakeLlm((_body, index) =>
    index === 0
      ? fakeReplies.text(
          candidateReply([
            { rationale: 'sets for membership', code: FAST_DUPLICATES },
            { rationale: 'sorted set', code: WRONG_ORDER_DUPLICATES },
          ]),
        )
      : fakeReplies.text('Nothing more to improve.'),
  );
  let runId = '';
  let original = '';

  useQuickRuns({ rounds: 2, candidates: 2, samples: 12 });

  it('optimizes a function clicked in the editor and records the run', async () => {
    const perfloop = await api();
    await perfloop.historyLoaded;
    const editor = await openFixture('duplicates.py');
    original = editor.document.getText();
    const finished = perfloop.nextRun();
    void vscode.commands.executeCommand('perfloop.optimizeFunction', editor.document.uri, 'find_duplicates');
    const entry = await finished;
    runId = entry.id;
    hostLog(`run ${runId}: ${entry.outcome}, best ${entry.best?.candidateId} ${entry.best?.ratio.toFixed(2)}×`);
    assert.equal(entry.outcome, 'improved', entry.report.error);
    assert.equal(entry.functionName, 'find_duplicates');
    const verdicts = new Map(entry.report.candidates.map((c) => [c.rationale, c.verdict]));
    assert.equal(verdicts.get('sets for membership'), 'faster');
    assert.equal(verdicts.get('sorted set'), 'incorrect');
    assert.ok(llm.server.chatRequests.length >= 1);
    assert.ok(perfloop.history().some((e) => e.id === runId), 'the run is in the history');
    const state = perfloop.reportState(runId);
    assert.equal(state?.status, 'done', 'the report panel shows the finished run');
    assert.equal(editor.document.getText(), original, 'nothing touched the file before Apply');
  });

  it('applies the best candidate as one undo step', async () => {
    const perfloop = await api();
    const editor = await openFixture('duplicates.py');
    const entry = perfloop.history().find((e) => e.id === runId);
    assert.ok(entry?.best);
    await perfloop.sendReportMessage(runId, { type: 'apply', candidateId: entry.best.candidateId });
    await waitFor(() => editor.document.getText().includes('seen = set()') || undefined, { timeoutMs: 10_000, message: 'Apply did not edit the document' });
    assert.ok(editor.document.isDirty, 'applied to the buffer, not saved behind the user');
    assert.equal(perfloop.reportState(runId)?.applied?.candidateId, entry.best.candidateId);
    const applied = perfloop.history().find((e) => e.id === runId)?.applied;
    assert.equal(applied?.candidateId, entry.best.candidateId);

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => editor.document.getText() === original || undefined, { timeoutMs: 10_000, message: 'one undo did not restore the original' });
  });

  it('refuses to apply when the function changed since the run', async () => {
    const perfloop = await api();
    const editor = await openFixture('duplicates.py');
    const at = editor.document.getText().indexOf('    seen = []');
    const edited = await editor.edit((b) => b.insert(editor.document.positionAt(at), '    # edited after the run\n'));
    assert.ok(edited);
    const before = editor.document.getText();
    const entry = perfloop.history().find((e) => e.id === runId);
    assert.ok(entry?.best);
    await perfloop.sendReportMessage(runId, { type: 'apply', candidateId: entry.best.candidateId });
    assert.equal(editor.document.getText(), before, 'the document is untouched');
    assert.equal(perfloop.reportState(runId)?.stale, true, 'the report says why Apply is refused');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('keeps the history on disk for the next session', async () => {
    const perfloop = await api();
    const onDisk = await perfloop.historyOnDisk();
    const entry = onDisk.find((e) => e.id === runId);
    assert.ok(entry, 'the run was written to the history file');
    assert.equal(entry.outcome, 'improved');
    assert.ok(entry.applied, 'and so was the Apply');
  });

  it('reverts an applied candidate from the history, and deletes the run', async () => {
    const perfloop = await api();
    const editor = await openFixture('duplicates.py');
    assert.equal(editor.document.getText(), original, 'the previous test restored the file');
    const entry = perfloop.history().find((e) => e.id === runId);
    assert.ok(entry?.best);
    await perfloop.sendReportMessage(runId, { type: 'apply', candidateId: entry.best.candidateId });
    await waitFor(() => editor.document.getText().includes('seen = set()') || undefined, { timeoutMs: 10_000, message: 'Apply did not edit the document' });

    await vscode.commands.executeCommand('perfloop.history.revert', perfloop.history().find((e) => e.id === runId));
    await waitFor(() => editor.document.getText() === original || undefined, { timeoutMs: 10_000, message: 'Revert did not restore the function' });
    assert.ok(perfloop.history().find((e) => e.id === runId)?.applied?.revertedAt, 'the history says it was reverted');

    await vscode.commands.executeCommand('perfloop.history.delete', perfloop.history().find((e) => e.id === runId));
    await waitFor(() => (perfloop.history().some((e) => e.id === runId) ? undefined : true), { timeoutMs: 10_000, message: 'Delete did not remove the run' });
    assert.ok(!(await perfloop.historyOnDisk()).some((e) => e.id === runId), 'and not from the file either');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});

/** The body of examples/cpp/join_fast.cpp: one allocation of the final size instead of a copy per word. */
const FAST_JOIN = `#include <string>
#include <vector>

// One allocation of the final size, then appends: linear in the total length instead of quadratic.
std::string join_words(const std::vector<std::string>& words, const std::string& sep) {
    std::size_t total = 0;
    for (const std::string& word : words) total += word.size() + sep.size();
    std::string result;
    result.reserve(total);
    for (const std::string& word : words) {
        if (word.empty()) continue;
        if (!result.empty()) result += sep;
        result += word;
    }
    return result;
}`;

/** Whether valgrind runs here: the C/C++ runner's line profile (cachegrind) needs it, whatever perfloop.counters says. */
function valgrindRuns(): boolean {
  const probe = spawnSync('valgrind', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return probe.status === 0 && /valgrind/i.test(probe.stdout);
}

/** One round of one candidate, few samples, time only: what the runs of other languages need to show their path. */
async function oneQuickRound(): Promise<void> {
  const config = vscode.workspace.getConfiguration('perfloop');
  await config.update('rounds', 1, vscode.ConfigurationTarget.Global);
  await config.update('candidates', 1, vscode.ConfigurationTarget.Global);
  await config.update('samples', 12, vscode.ConfigurationTarget.Global);
  await config.update('counters', 'time', vscode.ConfigurationTarget.Global);
}

/**
 * The same run on C++ code: the real compiler, the harness, cachegrind and the sanitizer re-check, with the inputs from
 * `join.perfloop.cpp` next to the file, so the LLM is asked for candidates only.
 */
describe('A C++ run from the editor', function () {
  this.timeout(300_000);
  const llm = useFakeLlm((body) =>
    (body.messages ?? []).some((m) => m.content.includes('### Candidate N:'))
      ? fakeReplies.text(`Here is my candidate.\n\n### Candidate 1: reserve the final size\n\`\`\`cpp\n${FAST_JOIN}\n\`\`\`\n`)
      : fakeReplies.text('Nothing more to improve.'),
  );

  before(oneQuickRound);

  it('optimizes a C++ function, profiles its lines and applies the faster version', async () => {
    const perfloop = await api();
    await perfloop.historyLoaded;
    const editor = await openFixture('join.cpp');
    assert.equal(editor.document.languageId, 'cpp');
    const original = editor.document.getText();
    const requestsBefore = llm.server.chatRequests.length;
    const started = Date.now();
    const finished = perfloop.nextRun();
    void vscode.commands.executeCommand('perfloop.optimizeFunction', editor.document.uri, 'join_words');
    const entry = await finished;
    const runId = entry.id;
    const report = entry.report;
    hostLog(
      `C++ run ${runId}: ${entry.outcome}, best ${entry.best?.candidateId} ${entry.best?.ratio.toFixed(2)}× ` +
        `in ${(report.durationMs / 1000).toFixed(1)} s (${((Date.now() - started) / 1000).toFixed(1)} s from the command)`,
    );
    assert.equal(entry.outcome, 'improved', report.error);
    assert.equal(entry.functionName, 'join_words');
    assert.equal(report.target.language, 'cpp');
    assert.equal(report.workload?.origin, 'user-module', 'the inputs come from join.perfloop.cpp');
    assert.equal(llm.server.chatRequests.length - requestsBefore, 1, 'one request: the candidates (no input generator)');
    assert.equal(report.candidates.length, 1);
    assert.equal(report.candidates[0]?.verdict, 'faster', report.candidates[0]?.reason);

    const lineProfile = report.baseline?.lineProfile;
    if (valgrindRuns()) {
      assert.equal(lineProfile?.basis, 'instructions', 'cachegrind profiled the original');
      assert.ok((lineProfile?.entries.length ?? 0) > 0, 'with instructions on the function\'s lines');
      const top = [...(lineProfile?.entries ?? [])].sort((a, b) => b.hits - a.hits)[0];
      hostLog(`hottest line: ${top?.text.trim()} (${((top?.timeShare ?? 0) * 100).toFixed(0)}% of the instructions)`);
    } else {
      hostLog('valgrind does not run here: no line profile to check');
    }

    const state = perfloop.reportState(runId);
    assert.equal(state?.status, 'done', 'the report panel shows the finished run');
    assert.equal(state?.report.target?.language, 'cpp', 'and its target is C++');
    assert.equal(editor.document.getText(), original, 'nothing touched the file before Apply');

    assert.ok(entry.best);
    await perfloop.sendReportMessage(runId, { type: 'apply', candidateId: entry.best.candidateId });
    await waitFor(() => editor.document.getText().includes('result.reserve(total);') || undefined, { timeoutMs: 10_000, message: 'Apply did not edit the document' });
    assert.ok(editor.document.isDirty, 'applied to the buffer, not saved behind the user');
    assert.ok(!editor.document.getText().includes('result = result + sep;'), 'the slow body is gone');
    assert.equal(perfloop.reportState(runId)?.applied?.candidateId, entry.best.candidateId);
    const inHistory = perfloop.history().find((e) => e.id === runId);
    assert.ok(inHistory, 'the run is in the history');
    assert.equal(inHistory.applied?.candidateId, entry.best.candidateId, 'and so is the Apply');

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});

/** A method, from its own lens: the receiver is an input, and Apply rewrites the method inside its class. */
describe('A JavaScript method run from the editor', function () {
  this.timeout(300_000);
  const llm = useFakeLlm((body) =>
    (body.messages ?? []).some((m) => m.content.includes('### Candidate N:'))
      ? fakeReplies.text(`### Candidate 1: sort the scores once\n\`\`\`javascript\n${readFileSync(join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '', 'leaderboard_fast.mjs'), 'utf8')}\`\`\`\n`)
      : fakeReplies.text('Nothing more to improve.'),
  );

  before(oneQuickRound);

  it('optimizes Leaderboard.ranking from its lens and applies it inside the class', async () => {
    const perfloop = await api();
    await perfloop.historyLoaded;
    const editor = await openFixture('leaderboard.mjs');
    const original = editor.document.getText();
    const lens = await waitFor(async () => (await codeLensesFor(editor.document.uri)).find((l) => l.command?.arguments?.[1] === 'Leaderboard.ranking'), {
      timeoutMs: 15_000,
      message: 'no "Optimize" lens for Leaderboard.ranking',
    });
    assert.equal(lens.range.start.line, editor.document.getText().split('\n').findIndex((l) => l.trim().startsWith('ranking() {')), 'the lens sits on the method');
    const requestsBefore = llm.server.chatRequests.length;
    const finished = perfloop.nextRun();
    void vscode.commands.executeCommand(lens.command?.command ?? '', ...(lens.command?.arguments ?? []));
    const entry = await finished;
    const report = entry.report;
    hostLog(`JS method run ${entry.id}: ${entry.outcome}, best ${entry.best?.ratio.toFixed(2)}× in ${(report.durationMs / 1000).toFixed(1)} s`);
    assert.equal(entry.outcome, 'improved', report.error);
    assert.equal(entry.functionName, 'Leaderboard.ranking');
    assert.equal(report.workload?.origin, 'user-module', 'the inputs come from leaderboard.perfloop.mjs');
    assert.equal(report.candidates[0]?.verdict, 'faster', report.candidates[0]?.reason);
    const prompt = String(llm.server.chatRequests[requestsBefore]?.body?.messages?.at(-1)?.content ?? '');
    assert.match(prompt, /Make the JavaScript method `Leaderboard\.ranking` \(of class `Leaderboard`\) faster/);
    assert.equal(editor.document.getText(), original, 'nothing touched the file before Apply');

    assert.ok(entry.best);
    await perfloop.sendReportMessage(entry.id, { type: 'apply', candidateId: entry.best.candidateId });
    await waitFor(() => editor.document.getText().includes('const rankOf = new Map();') || undefined, { timeoutMs: 10_000, message: 'Apply did not edit the document' });
    const applied = editor.document.getText();
    assert.ok(!applied.includes('let better = 0;'), 'the slow body is gone');
    assert.ok(applied.includes('  add(name, score) {\n    this.entries.push({ name, score });'), 'the other members stay');
    assert.equal(applied.match(/export class Leaderboard/g)?.length, 1, 'one class, not a second one');
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
