/** What the outer runner (Node) and the in-host runner (suite/index.ts) exchange; types and one constant, no imports. */

/** Passed as JSON in the PERFLOOP_HOST_TESTS environment variable of the code-server process. */
export interface HostRunConfig {
  /** Absolute paths of the bundled test files (out/vscode-host/*.test.cjs), run in this order. */
  files: string[];
  grep?: string;
  timeoutMs: number;
  /** Where run() writes { failures, results } when it is done. */
  resultsFile?: string;
}

export interface HostTestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

export type HostEvent =
  | { type: 'suite'; title: string; file?: string | undefined }
  | ({ type: 'test' } & HostTestResult)
  /** A line a test printed with hostLog() (support/host.ts). */
  | { type: 'console'; level: string; text: string }
  | { type: 'end'; failures: number };

/** Marks the console lines that carry a HostEvent as JSON. */
export const HOST_EVENT_PREFIX = '@@perfloop-host@@';
