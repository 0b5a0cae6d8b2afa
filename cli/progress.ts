/** Live progress on stderr: one line per event worth a human's attention. */
import { formatBytes, formatCount, formatSeconds, formatSpeedup, timedSizeText, truncate } from '../optimizer/report/format.js';
import type { RunEvent } from '../optimizer/types.js';

export function describeEvent(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'stage':
      return event.stage === 'finish' ? `» ${event.message}` : `• ${event.message}…`;
    case 'target':
      return `  target ${event.target.functionName} (lines ${event.target.range.start}-${event.target.range.end})` +
        (event.target.contextNames.length > 0 ? `, needs ${event.target.contextNames.join(', ')}` : '');
    case 'environment': {
      const e = event.environment;
      return `  ${e.runner}; sandbox ${e.sandbox}; instruction counter ${e.instructionCounter}${e.llm ? `; LLM ${e.llm}` : ''}`;
    }
    case 'workload': {
      const w = event.workload;
      return `  inputs: ${w.correctnessInputs} correctness + ${w.performanceInputs} performance from ${w.origin}${timedSizeText(w)}` +
        (w.originalMutatesArguments ? ' (the original mutates its arguments)' : '');
    }
    case 'baseline': {
      const b = event.baseline;
      const parts = [`${formatSeconds(b.secondsPerCall)}/call`];
      if (b.instructions !== undefined) parts.push(`${formatCount(b.instructions)} instr`);
      if (b.peakMemoryBytes !== undefined) parts.push(`peak ${formatBytes(b.peakMemoryBytes)}`);
      if (b.complexity?.fit) parts.push(b.complexity.fit.label);
      return `  original: ${parts.join(', ')}`;
    }
    case 'round-start':
      return `• Round ${event.round}/${event.rounds}: asking the LLM…`;
    case 'llm-reply':
      return `  reply: ${event.candidates} candidates${event.failures ? `, ${event.failures} unusable` : ''} (${event.usage.totalTokens} tokens)`;
    case 'candidate-start':
      return `  ${event.id}: checking equivalence and measuring…`;
    case 'candidate': {
      const c = event.candidate;
      const detail = c.speedup ? formatSpeedup(c.speedup) : truncate(c.reason ?? '', 100);
      return `  ${c.id}: ${c.verdict}${detail ? ` — ${detail}` : ''}`;
    }
    case 'round-end':
      return event.improved ? undefined : `  round ${event.round} brought no new best`;
    case 'warning':
      return `! ${event.message}`;
    case 'log':
      return `  ${event.message}`;
    case 'trace':
      return undefined;
  }
}
