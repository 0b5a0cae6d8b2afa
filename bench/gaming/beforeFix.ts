/**
 * The "before" figure of the gaming section: every catalogue entry judged by the code before the judge fix. Filled in
 * by the measurement named in `command`.
 */
import type { Verdict } from '../../profilers/stats/types.js';

export interface BeforeFixRun {
  commit: string;
  date: string;
  command: string;
  verdicts: Readonly<Record<string, { verdict: Verdict | 'failed'; speedup?: number }>>;
}

export const BEFORE_FIX: BeforeFixRun = {
  commit: 'unmeasured',
  date: 'unmeasured',
  command: '',
  verdicts: {},
};
