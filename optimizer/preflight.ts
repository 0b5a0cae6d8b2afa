/**
 * The provider's preflight, run beside the preparation of a run. Profiling the original takes 10–60 s; a wrong key,
 * URL or model name would otherwise be reported only after it, at the first round. A failure settles `failed` and calls
 * `onFailure` (the session then stops the preparation, whose steps notice at their next child process); a check still
 * going when the preparation ends is stopped, since the first round's request will tell the same.
 */
import { LlmError, type LlmProvider } from './llm/provider.js';

export interface Preflight {
  /** The check's failure, once there is one. */
  readonly failure: LlmError | undefined;
  /** Settles with the failure if there is one; never otherwise. For racing the preparation. */
  readonly failed: Promise<LlmError>;
  /** The failure if the check has failed by now; stops the check if it is still going. */
  finish(): LlmError | undefined;
}

export function startPreflight(provider: LlmProvider, signal: AbortSignal | undefined, onFailure: (error: LlmError) => void): Preflight {
  const stop = new AbortController();
  let failure: LlmError | undefined;
  let announce: (error: LlmError) => void = () => undefined;
  const failed = new Promise<LlmError>((resolve) => (announce = resolve));
  if (provider.preflight) {
    const checkSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
    provider.preflight(checkSignal).then(
      () => undefined,
      (error: unknown) => {
        if (!(error instanceof LlmError) || error.kind === 'aborted') return; // stopped, or cancelled with the run
        failure = error;
        onFailure(error);
        announce(error);
      },
    );
  }
  return {
    get failure() {
      return failure;
    },
    failed,
    finish() {
      stop.abort();
      return failure;
    },
  };
}
