import type { Verdict } from '../profilers/stats/types.js';
import type { CandidateResult } from './types.js';

const VERDICT_ORDER: Record<Verdict, number> = {
  faster: 0,
  'no-difference': 1,
  slower: 2,
  incorrect: 3,
  timeout: 4,
  error: 5,
};

/**
 * Best first: verdict, then the speedup's lower confidence bound (a tight 1.9× beats a wobbly 2.0×), then fewer
 * instructions. Stable for equal keys, so earlier candidates stay first.
 */
export function rankCandidates(candidates: readonly CandidateResult[]): CandidateResult[] {
  return [...candidates].sort((a, b) => {
    const byVerdict = VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict];
    if (byVerdict !== 0) return byVerdict;
    const byLow = (b.speedup?.low ?? 0) - (a.speedup?.low ?? 0);
    if (byLow !== 0) return byLow;
    return (a.instructions?.ratio ?? Infinity) - (b.instructions?.ratio ?? Infinity);
  });
}
