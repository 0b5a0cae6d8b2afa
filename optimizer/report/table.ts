/** The plain-text results table the CLI prints on stdout. */
import type { CandidateResult, OptimizationReport } from '../types.js';
import { bestCandidate, capturedText, formatBytes, formatCount, formatInterval, formatMemoryRatio, formatRatio, formatRedactions, formatSeconds, formatSpeedup, generatorBesideCodeText, timedSizeText, truncate } from './format.js';

function note(c: CandidateResult): string {
  if (c.counterexample) return truncate(`on ${c.counterexample.input}: expected ${c.counterexample.expected}, got ${c.counterexample.actual}`, 70);
  if (c.reason) return truncate(c.reason, 70);
  return truncate(c.rationale, 70);
}

export function renderColumns(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}

export function renderResultsTable(report: OptimizationReport): string {
  const lines: string[] = [];
  const t = report.target;
  lines.push(`Perfloop — ${t.functionName} (${t.file}:${t.range.start}-${t.range.end})`);
  const b = report.baseline;
  if (b) {
    const parts = [`baseline ${formatSeconds(b.secondsPerCall)}/call`];
    if (b.instructions !== undefined) parts.push(`${formatCount(b.instructions)} instructions (${report.environment.instructionCounter})`);
    if (b.peakMemoryBytes !== undefined) parts.push(`peak ${formatBytes(b.peakMemoryBytes)}`);
    if (b.complexity?.fit) parts.push(`growth ${b.complexity.fit.label}`);
    lines.push(parts.join(', '));
  }
  if (report.workload) {
    const w = report.workload;
    lines.push(`inputs: ${w.correctnessInputs} correctness + ${w.performanceInputs} performance (${w.origin}${capturedText(w)}${timedSizeText(w)}); sandbox: ${report.environment.sandbox}`);
    if (w.generatorBesideCode) lines.push(`warning: ${generatorBesideCodeText(w.generatorBesideCode)}`);
  }
  lines.push('');
  if (report.candidates.length > 0) {
    const at = report.workload?.timedSizedN ? ` at n=${report.workload.timedSizedN}` : '';
    const rows = [['candidate', 'verdict', `speedup${at} [95% CI]`, 'instr', 'memory', 'note']];
    for (const c of report.candidates) {
      rows.push([
        c.id,
        c.verdict,
        c.speedup ? formatSpeedup(c.speedup) : '—',
        c.instructions ? formatRatio(c.instructions.ratio) : '—',
        formatMemoryRatio(c),
        note(c),
      ]);
    }
    lines.push(renderColumns(rows));
    lines.push('');
  }
  lines.push(outcomeLine(report));
  const wp = report.wholeProgram;
  if (wp?.speedup && wp.original && wp.patched) {
    lines.push(
      `Whole program (\`${wp.command}\`${wp.buildCommand ? ` after \`${wp.buildCommand}\`` : ''}, ${wp.tool}, ${wp.original.runs} runs each): ${formatSeconds(wp.original.medianSeconds)} → ${formatSeconds(wp.patched.medianSeconds)}, ` +
        `${formatSpeedup(wp.speedup)} — ${wp.speedup.verdict}`,
    );
  }
  const u = report.tokenUsage;
  if (u.requests > 0) {
    lines.push(`LLM: ${u.requests} requests, ${u.totalTokens} tokens (${u.promptTokens} prompt + ${u.completionTokens} completion)${u.estimated ? ', estimated' : ''}`);
  }
  if (report.redactions) lines.push(`Redacted from prompts before they were sent to the LLM: ${formatRedactions(report.redactions)}`);
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

export function outcomeLine(report: OptimizationReport): string {
  switch (report.outcome) {
    case 'improved': {
      const best = bestCandidate(report);
      const s = best?.speedup;
      const threshold = `${(report.settings.noiseThreshold * 100).toFixed(0)}%`;
      return s
        ? `Best: ${best.id}, ${formatRatio(s.ratio)} faster (95% CI ${formatInterval(s)}, clears the ${threshold} noise threshold), equivalent on all inputs.`
        : `Best: ${report.best?.candidateId}`;
    }
    case 'no-significant-improvement':
      return `No significant improvement: no candidate was both equivalent and faster beyond the ${(report.settings.noiseThreshold * 100).toFixed(0)}% noise threshold.`;
    case 'cancelled':
      return 'Cancelled.';
    case 'failed':
      return `Failed: ${report.error ?? 'unknown error'}`;
  }
}
