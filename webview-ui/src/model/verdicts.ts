/** How each verdict is named, explained and coloured in the panel. Pure: colours are roles the stylesheet maps to themes. */
import type { Verdict } from '../../../profilers/stats/types.js';

/** Colour role: the CSS maps each to a --vscode-charts-* colour, and the charts read the same variables. */
export type Tone = 'good' | 'neutral' | 'caution' | 'warning' | 'bad';

export interface VerdictStyle {
  label: string;
  tone: Tone;
  /** One sentence for the tooltip and the screen-reader label. */
  description: string;
}

export const VERDICT_STYLES: Record<Verdict, VerdictStyle> = {
  faster: {
    label: 'faster',
    tone: 'good',
    description: 'Equivalent on every input, and the whole 95% interval of the speedup lies above the noise threshold.',
  },
  'no-difference': {
    label: 'no difference',
    tone: 'neutral',
    description: 'Equivalent, but the 95% interval reaches into the noise band around 1×: not measurably faster or slower.',
  },
  slower: {
    label: 'slower',
    tone: 'caution',
    description: 'Equivalent, but the whole 95% interval lies below the noise band: measurably slower.',
  },
  incorrect: {
    label: 'incorrect',
    tone: 'bad',
    description: 'Behaves differently from the original on at least one input, so it was not timed.',
  },
  timeout: {
    label: 'timeout',
    tone: 'warning',
    description: 'Ran past the time limit while being checked or measured.',
  },
  error: {
    label: 'error',
    tone: 'bad',
    description: 'Could not be checked: it failed to load, crashed, or was rejected by the harness.',
  },
};

/** What a counterexample's mismatch kind means, as a heading. */
export function describeMismatch(kind: string): string {
  switch (kind) {
    case 'return':
      return 'Returns a different value';
    case 'mutation':
      return 'Changes its arguments differently';
    case 'exception':
      return 'Raises differently';
    case 'stdout':
      return 'Prints different output';
    case 'crash':
      return 'Crashes';
    default:
      return 'Behaves differently';
  }
}
