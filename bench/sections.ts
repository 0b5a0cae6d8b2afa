/** Every bench section, in the order `npm run bench` runs them (cheap and fundamental first). */
import { complexityFitSection } from './complexity/complexityFit.js';
import { aaFalsePositivesSection } from './measurement/aaFalsePositives.js';
import { counterStabilitySection } from './measurement/counterStability.js';
import { sensitivitySection } from './measurement/sensitivity.js';
import { pieWholeProgramSection } from './pie/pieWholeProgramSection.js';
import type { BenchSection } from './types.js';

export const BENCH_SECTIONS: readonly BenchSection[] = [
  counterStabilitySection,
  aaFalsePositivesSection,
  sensitivitySection,
  complexityFitSection,
  pieWholeProgramSection,
];
