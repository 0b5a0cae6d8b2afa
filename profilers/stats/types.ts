/** Verdict vocabulary shared by the engine, the CLI, the report and (later) the editor. */
export type Verdict = 'faster' | 'slower' | 'no-difference' | 'incorrect' | 'error' | 'timeout';

/** original time / candidate time: above 1 means the candidate is faster. */
export interface SpeedupEstimate {
  /** Point estimate of the speedup ratio. */
  ratio: number;
  /** 95% (or `confidence`) interval of the ratio. */
  low: number;
  high: number;
  confidence: number;
  /** Relative threshold the interval had to clear (0.05 = 5%). */
  noiseThreshold: number;
  /** faster, slower or no-difference: only the timing part of a verdict. */
  verdict: 'faster' | 'slower' | 'no-difference';
  /** Number of pairs (paired), or the smaller side's run count (unpaired). */
  samples: number;
  /**
   * Fresh pairs of processes (one per side) the pairs came from, when more than one: the interval then includes how much
   * identical code differs from one process to the next. Absent in reports saved before it existed.
   */
  processPairs?: number;
  /** Short human-readable description of the estimator and interval. */
  method: string;
  /** Median seconds per call. */
  originalSeconds: number;
  candidateSeconds: number;
  /** Coefficient of variation of each side's samples (noise, stated). */
  originalCv: number;
  candidateCv: number;
}

export interface PowerLawFit {
  /** time ≈ c · size^exponent */
  exponent: number;
  /** Standard error of the exponent from the log–log regression. */
  exponentStdError: number;
  /**
   * 95% interval of the exponent: Student's t (points − 2 degrees of freedom) times the standard error, widened by the
   * bend (below) in quadrature. What reports show. Absent in reports saved before it existed.
   */
  exponentLow?: number;
  exponentHigh?: number;
  /** Half the difference between the slopes over the larger and the smaller half of the sizes (6+ points). */
  exponentBend?: number;
  coefficient: number;
  /** Coefficient of determination of the log–log fit. */
  rSquared: number;
  points: number;
  /** Human label, e.g. "≈ O(n^2.0)". */
  label: string;
  /**
   * Nearest familiar class (e.g. "n log n"), when one of them fits the points
   * about as well as the free power law; absent when none does.
   */
  bestClass?: string;
  /** Set when the interval holds the exponents of several classes (e.g. linear and n log n): none is named. */
  plausibleClasses?: string[];
}
