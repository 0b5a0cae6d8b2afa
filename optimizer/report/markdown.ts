/** The Markdown report (`--markdown OUT`): what a reviewer reads in a pull request or CI artifact. */
import type { LineProfile } from '../../profilers/runner.js';
import type { OptimizationReport } from '../types.js';
import { formatBytes, formatCount, formatInterval, formatRatio, formatMemoryRatio, formatRedactions, formatSeconds, timedSizeText, truncate, generatorBesideCodeText, capturedText } from './format.js';
import { outcomeLine } from './table.js';
import { MAX_PROCESS_PAIRS, MIN_PROCESS_PAIRS } from '../timeCandidate.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function lineProfileTable(profile: LineProfile, top = 8): string[] {
  const hot = [...profile.entries].sort((a, b) => b.timeShare - a.timeShare).slice(0, top);
  const rows = [
    profile.basis === 'instructions' ? '| line | instructions | % instructions | memory | code |' : '| line | hits | % time | memory | code |',
    '|---:|---:|---:|---:|---|',
  ];
  for (const e of hot) {
    rows.push(`| ${e.line} | ${e.hits} | ${(e.timeShare * 100).toFixed(1)} | ${formatBytes(e.memoryBytes)} | \`${cell(truncate(e.text, 80))}\` |`);
  }
  return rows;
}

export function renderMarkdownReport(report: OptimizationReport): string {
  const t = report.target;
  const out: string[] = [`# Perfloop: \`${t.functionName}\``, '', `${t.file}, lines ${t.range.start}–${t.range.end}`, ''];
  out.push(`**${outcomeLine(report)}**`, '');
  const env = report.environment;
  out.push('## How it was measured', '');
  out.push(`- Runner: ${env.runner}; sandbox: ${env.sandbox}${env.sandboxWarning ? ` (${env.sandboxWarning})` : ''}`);
  out.push(`- Timing: ${env.timer}; ${report.settings.timingSamples} sample pairs split over at least ${MIN_PROCESS_PAIRS} fresh process pairs (up to ${MAX_PROCESS_PAIRS} while undecided), the interval across them; verdict "faster" only when the 95% interval's lower bound exceeds ${1 + report.settings.noiseThreshold}×`);
  out.push(`- Instruction counter: ${env.instructionCounter}${env.instructionCounterDetail ? ` (${env.instructionCounterDetail})` : ''}`);
  if (report.workload) {
    const w = report.workload;
    out.push(`- Inputs: ${w.correctnessInputs} correctness + ${w.performanceInputs} performance, from ${w.origin}${capturedText(w)}${w.path ? ` (${w.path})` : ''}${timedSizeText(w)}`);
    if (w.generatorBesideCode) out.push(`- **Warning:** ${generatorBesideCodeText(w.generatorBesideCode)}`);
  }
  if (env.llm) out.push(`- LLM: ${env.llm}; ${report.tokenUsage.requests} requests, ${report.tokenUsage.totalTokens} tokens${report.tokenUsage.estimated ? ' (estimated)' : ''}`);
  if (report.redactions) out.push(`- Redacted from prompts before they were sent to the LLM: ${formatRedactions(report.redactions)}`);
  out.push('');

  const b = report.baseline;
  if (b) {
    out.push('## Original', '');
    out.push(`- Time per call: ${formatSeconds(b.secondsPerCall)}`);
    if (b.instructions !== undefined) out.push(`- Instructions: ${formatCount(b.instructions)}`);
    if (b.peakMemoryBytes !== undefined) out.push(`- Peak memory of a call: ${formatBytes(b.peakMemoryBytes)}`);
    if (b.complexity?.fit) {
      const f = b.complexity.fit;
      out.push(`- Growth: ${f.label} (exponent ${f.exponent.toFixed(2)}, standard error ${f.exponentStdError.toFixed(2)}, R² ${f.rSquared.toFixed(3)}, ${f.points} sizes)`);
    }
    if (b.lineProfile && b.lineProfile.entries.length > 0) out.push('', ...lineProfileTable(b.lineProfile));
    out.push('');
  }

  if (report.candidates.length > 0) {
    out.push('## Candidates', '');
    out.push('| candidate | verdict | speedup | 95% CI | instructions | memory | note |', '|---|---|---:|---|---:|---:|---|');
    for (const c of report.candidates) {
      const s = c.speedup;
      const noteText = c.counterexample
        ? `on \`${truncate(c.counterexample.input, 60)}\`: expected \`${truncate(c.counterexample.expected, 40)}\`, got \`${truncate(c.counterexample.actual, 40)}\``
        : truncate(c.reason ?? c.rationale, 100);
      out.push(
        `| ${c.id} | ${c.verdict} | ${s ? formatRatio(s.ratio) : '—'} | ${s ? formatInterval(s) : '—'} | ${c.instructions ? formatRatio(c.instructions.ratio) : '—'} | ${formatMemoryRatio(c)} | ${cell(noteText)} |`,
      );
    }
    out.push('', 'Instructions and memory are candidate ÷ original (below 1× is better); speedup is original ÷ candidate time.', '');
  }

  const wp = report.wholeProgram;
  if (wp) {
    out.push('## Whole program', '');
    if (wp.speedup && wp.original && wp.patched) {
      if (wp.buildCommand) out.push(`Built with \`${wp.buildCommand}\` in each copy (untimed).`, '');
      out.push(`\`${wp.command}\`, timed with ${wp.tool}${wp.toolVersion ? ` ${wp.toolVersion}` : ''}, ${wp.original.runs} runs per side:`, '');
      out.push('| | median | mean ± sd |', '|---|---:|---:|');
      for (const [name, t] of [['original', wp.original], ['patched', wp.patched]] as const) {
        out.push(`| ${name} | ${formatSeconds(t.medianSeconds)} | ${formatSeconds(t.meanSeconds)} ± ${formatSeconds(t.stddevSeconds)} |`);
      }
      out.push('', `Speedup ${formatRatio(wp.speedup.ratio)} (95% CI ${formatInterval(wp.speedup)}): ${wp.speedup.verdict}.`, '');
    } else {
      out.push(`\`${wp.command}\` could not be timed: ${wp.error ?? 'unknown error'}`, '');
    }
  }
  if (report.best) {
    out.push('## Best candidate diff', '', '```diff', report.best.diff.trimEnd(), '```', '');
    if (report.best.lineProfile && report.best.lineProfile.entries.length > 0) {
      out.push('### Line profile of the best candidate', '', ...lineProfileTable(report.best.lineProfile), '');
    }
  }
  if (report.warnings.length > 0) out.push('## Warnings', '', ...report.warnings.map((w) => `- ${w}`), '');
  return out.join('\n');
}
