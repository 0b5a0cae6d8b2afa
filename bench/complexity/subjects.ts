/**
 * The functions of known cost the complexity-fit bench measures, and how much of it each tier runs. Each language's
 * functions live in one file next to one inputs module whose `sized_input(n)` gives n random, nearly distinct integers.
 */
import type { BenchTier } from '../types.js';
import type { GrowthClass } from './growthStats.js';

export type SubjectLanguage = 'python' | 'javascript' | 'cpp';

export interface KnownGrowthSubject {
  language: SubjectLanguage;
  functionName: string;
  growth: GrowthClass;
  /** What the function does, for the tables. */
  pattern: string;
  /** Relative to the repository root. */
  codeFile: string;
  workloadFile: string;
}

const FILES: Record<SubjectLanguage, { codeFile: string; workloadFile: string }> = {
  python: { codeFile: 'bench/complexity/python/known.py', workloadFile: 'bench/complexity/python/known.perfloop.py' },
  javascript: { codeFile: 'bench/complexity/javascript/known.mjs', workloadFile: 'bench/complexity/javascript/known.perfloop.mjs' },
  cpp: { codeFile: 'bench/complexity/cpp/known.cpp', workloadFile: 'bench/complexity/cpp/known.perfloop.cpp' },
};

function subject(language: SubjectLanguage, functionName: string, growth: GrowthClass, pattern: string): KnownGrowthSubject {
  return { language, functionName, growth, pattern, ...FILES[language] };
}

export const KNOWN_GROWTH_SUBJECTS: readonly KnownGrowthSubject[] = [
  subject('python', 'scan_sum', 'linear', 'loop sum'),
  subject('python', 'sort_values', 'n log n', 'sorted()'),
  subject('python', 'count_pairs', 'quadratic', 'nested loops'),
  subject('python', 'distinct_by_list', 'quadratic', 'list membership in a loop'),
  subject('python', 'count_triples', 'cubic', 'triple loop'),
  subject('javascript', 'scanHash', 'linear', 'multiply-xor scan'),
  subject('javascript', 'sortValues', 'n log n', 'Array.sort with comparator'),
  subject('javascript', 'countPairs', 'quadratic', 'nested loops'),
  subject('javascript', 'countTriples', 'cubic', 'triple loop'),
  subject('cpp', 'scan_hash', 'linear', 'multiply-xor scan'),
  subject('cpp', 'sort_values', 'n log n', 'std::sort of a copy'),
  subject('cpp', 'count_pairs', 'quadratic', 'nested loops'),
  subject('cpp', 'count_triples', 'cubic', 'triple loop'),
];

export interface TierPlan {
  subjects: readonly KnownGrowthSubject[];
  /** Independent engine runs per subject (each a fresh measureComplexity, each with its naive two-point twin). */
  repeats: number;
}

/**
 * tiny: one Python function once (proves the code runs, ~7 s). quick: every function twice (~2.5 min on 2 cores, of
 * which ~1 min builds and checks). full: every function 12 times (~8–9 min), a spread per function and 156 runs for the
 * coverage rates.
 */
export function tierPlan(tier: BenchTier): TierPlan {
  switch (tier) {
    case 'tiny':
      return { subjects: KNOWN_GROWTH_SUBJECTS.filter((s) => s.language === 'python' && s.functionName === 'count_pairs'), repeats: 1 };
    case 'quick':
      return { subjects: KNOWN_GROWTH_SUBJECTS, repeats: 2 };
    case 'full':
      return { subjects: KNOWN_GROWTH_SUBJECTS, repeats: 12 };
  }
}
