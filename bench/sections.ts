/** Every bench section, in the order `npm run bench` runs them (cheap and fundamental first). */
import type { BenchSection } from './types.js';

export const BENCH_SECTIONS: readonly BenchSection[] = [];
