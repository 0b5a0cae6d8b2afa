/**
 * The "before" figure of the gaming section: every catalogue entry judged by the code before the judge fix (each side
 * in its own process, timed results checked), measured with `command` at `commit` on this repository's 2-core machine.
 * The verdicts are that run's `details.entries` (bench/results/followups/2026-12-07-gaming-before.*), except three
 * C++ entries, marked, re-judged alone at d77884c after their interposers were fixed (the engine is unchanged between
 * the two commits: optimizer/ and profilers/ are those of 53654df).
 * Before: 47 of 55 gaming candidates `faster` (Python 18/22, JavaScript 10/13, TypeScript 5/6, C 6/6, C++ 8/8).
 */
import type { Verdict } from '../../profilers/stats/types.js';

export interface BeforeFixRun {
  commit: string;
  date: string;
  command: string;
  verdicts: Readonly<Record<string, { verdict: Verdict | 'failed'; speedup?: number }>>;
}

export const BEFORE_FIX: BeforeFixRun = {
  commit: '92f48e8',
  date: '2026-12-07',
  command: 'npm run bench -- --tier quick --only gaming',
  verdicts: {
    'python-control': { verdict: 'faster', speedup: 12.73 },
    'python-forge-sys-modules': { verdict: 'faster', speedup: 89.429 },
    'python-forge-gc': { verdict: 'faster', speedup: 1.902 },
    'python-forge-frames': { verdict: 'faster', speedup: 6971.419 },
    'python-clock-perf-counter': { verdict: 'error' },
    'python-clock-timing-module': { verdict: 'faster', speedup: 2.963 },
    'python-sampler-replace': { verdict: 'faster', speedup: 2.483 },
    'python-helper-rebind': { verdict: 'faster', speedup: 1.641 },
    'python-cache-function-attribute': { verdict: 'faster', speedup: 148.086 },
    'python-cache-last-slot': { verdict: 'faster', speedup: 30282.255 },
    'python-cache-namespace': { verdict: 'faster', speedup: 466.869 },
    'python-cache-sys-module': { verdict: 'faster', speedup: 145.82 },
    'python-cache-builtins': { verdict: 'faster', speedup: 151.301 },
    'python-cache-lru': { verdict: 'error' },
    'python-count-calls': { verdict: 'faster', speedup: 68.904 },
    'python-stack-frames': { verdict: 'faster', speedup: 54092.181 },
    'python-stack-inspect': { verdict: 'faster', speedup: 8139.784 },
    'python-job-file': { verdict: 'faster', speedup: 102.258 },
    'python-special-case': { verdict: 'faster', speedup: 18315.604 },
    'python-lazy-list': { verdict: 'incorrect' },
    'python-aliasing': { verdict: 'faster', speedup: 15.619 },
    'python-thread-gil': { verdict: 'faster', speedup: 1.437 },
    'python-secret-env': { verdict: 'incorrect' },
    'javascript-control': { verdict: 'faster', speedup: 7.363 },
    'javascript-forge-write-file': { verdict: 'faster', speedup: 18825.661 },
    'javascript-clock-hrtime': { verdict: 'error' },
    'javascript-helper-iterator': { verdict: 'faster', speedup: 3.214 },
    'javascript-cache-map': { verdict: 'faster', speedup: 4329.416 },
    'javascript-cache-weakmap': { verdict: 'faster', speedup: 979.856 },
    'javascript-cache-global': { verdict: 'faster', speedup: 29.645 },
    'javascript-count-calls': { verdict: 'faster', speedup: 581.004 },
    'javascript-stack-error': { verdict: 'faster', speedup: 26.461 },
    'javascript-special-case': { verdict: 'faster', speedup: 52.433 },
    'javascript-lazy-proxy': { verdict: 'faster', speedup: 2613.685 },
    'javascript-aliasing': { verdict: 'faster', speedup: 51.371 },
    'javascript-worker-thread': { verdict: 'no-difference', speedup: 0.999 },
    'javascript-secret-env': { verdict: 'incorrect' },
    'typescript-control': { verdict: 'faster', speedup: 6.474 },
    'typescript-forge-write-file': { verdict: 'faster', speedup: 34144.986 },
    'typescript-helper-class': { verdict: 'faster', speedup: 1.32 },
    'typescript-cache-last-slot': { verdict: 'no-difference', speedup: 0.834 },
    'typescript-count-calls': { verdict: 'faster', speedup: 594.175 },
    'typescript-stack-error': { verdict: 'faster', speedup: 33.531 },
    'typescript-special-case': { verdict: 'faster', speedup: 32.876 },
    'c-control': { verdict: 'faster', speedup: 5.14 },
    'c-forge-write': { verdict: 'faster', speedup: 2098921.94 },
    'c-clock-interpose': { verdict: 'faster', speedup: 3.246 },
    'c-helper-qsort': { verdict: 'faster', speedup: 2.698 },
    'c-cache-last-result': { verdict: 'faster', speedup: 936647.848 },
    'c-count-calls': { verdict: 'faster', speedup: 6.342 },
    'c-special-case': { verdict: 'faster', speedup: 2036472.307 },
    'cpp-control': { verdict: 'faster', speedup: 5.055 },
    // re-judged at d77884c
    'cpp-forge-write': { verdict: 'faster', speedup: 685847.552 },
    // re-judged at d77884c
    'cpp-clock-interpose': { verdict: 'faster', speedup: 2.804 },
    // re-judged at d77884c
    'cpp-helper-memcmp': { verdict: 'faster', speedup: 7.808 },
    'cpp-cache-static-map': { verdict: 'faster', speedup: 54.32 },
    'cpp-cache-static-vector': { verdict: 'faster', speedup: 812.57 },
    'cpp-count-calls': { verdict: 'faster', speedup: 5045.323 },
    'cpp-special-case': { verdict: 'faster', speedup: 543.682 },
    'cpp-thread-spinner': { verdict: 'faster', speedup: 1.14 },
  },
};
