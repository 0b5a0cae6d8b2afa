/** Every bench section, in the order `npm run bench` runs them (cheap and fundamental first). */
import { complexityFitSection } from './complexity/complexityFit.js';
import { evalperfEquivalenceSection } from './evalperf/equivalenceSection.js';
import { evalperfRankingSection } from './evalperf/rankingSection.js';
import { gamingSection } from './gaming/gamingSection.js';
import { workloadEndToEndSection } from './hotspots/endToEnd.js';
import { hotspotLocalizationSection } from './hotspots/localization.js';
import { aaFalsePositivesSection } from './measurement/aaFalsePositives.js';
import { counterStabilitySection } from './measurement/counterStability.js';
import { sensitivitySection } from './measurement/sensitivity.js';
import { sizeStabilitySection } from './measurement/sizeStability.js';
import { pieWholeProgramSection } from './pie/pieWholeProgramSection.js';
import { extensionOverheadSection } from './speed/extensionOverheadSection.js';
import { toolSpeedSection } from './speed/toolSpeedSection.js';
import type { BenchSection } from './types.js';

export const BENCH_SECTIONS: readonly BenchSection[] = [
  counterStabilitySection,
  aaFalsePositivesSection,
  sensitivitySection,
  sizeStabilitySection,
  hotspotLocalizationSection,
  workloadEndToEndSection,
  complexityFitSection,
  pieWholeProgramSection,
  evalperfRankingSection,
  evalperfEquivalenceSection,
  gamingSection,
  toolSpeedSection,
  extensionOverheadSection,
];
