/**
 * An original that raises on every input has no behaviour to compare but its failure, and one that raises on every
 * performance input has no work to time but raising: every candidate that fails alike would be "equivalent" and
 * "no-difference". That verdict would be wrong without a word, so the run stops and names the exception instead, with
 * the cause its language's runs make likely (a file not visible in the sandbox, an import).
 */
import { languageDescriptor } from '../profilers/languages.js';
import type { LanguageId, WorkloadSummary } from '../profilers/runner.js';

/** Why the original cannot be optimized on these inputs, or undefined when it returns on some of them. */
export function originalFailure(summary: WorkloadSummary, functionName: string, language: LanguageId): string | undefined {
  const raised = summary.firstRaised;
  if (!raised) return undefined;
  const calls = summary.callsChecked;
  const everyInput = calls !== undefined && calls > 0 && summary.originalRaisedOn >= calls;
  const everyTimed = summary.performanceCount > 0 && (summary.performanceRaisedOn ?? 0) >= summary.performanceCount;
  if (!everyInput && !everyTimed) return undefined;
  const which = everyInput
    ? `on every input (${summary.originalRaisedOn} of ${calls}), so there is nothing to compare but the failure`
    : `on every performance input (${summary.performanceCount}), so timing would measure only the failure`;
  const message = raised.message ? `: ${raised.message}` : '';
  const cause = languageDescriptor(language).likelyCauseOfFailure?.(raised.type, raised.message);
  return (
    `The original \`${functionName}\` raised ${raised.type} ${which}${message} (first on ${raised.set} input ${raised.index} ${raised.input}). ` +
    (cause ? `Likely cause: ${cause}` : 'Give it inputs on which it returns, or fix what makes it raise.')
  );
}
