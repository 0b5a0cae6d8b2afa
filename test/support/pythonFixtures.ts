/** Python sources shared by the engine and CLI tests: a slow function and scripted LLM replies about it. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SLOW_DUPLICATES = `def normalise(email):
    return email.strip().lower()


def find_duplicates(emails):
    seen = []
    duplicates = []
    for email in emails:
        key = normalise(email)
        if key in seen and key not in duplicates:
            duplicates.append(key)
        seen.append(key)
    return duplicates
`;

export const FAST_DUPLICATES = `def find_duplicates(emails):
    seen = set()
    reported = set()
    duplicates = []
    for email in emails:
        key = normalise(email)
        if key in seen:
            if key not in reported:
                reported.add(key)
                duplicates.append(key)
        else:
            seen.add(key)
    return duplicates`;

/** Loses the order of the output: equal as sets, different as lists. */
export const WRONG_ORDER_DUPLICATES = `def find_duplicates(emails):
    seen = set()
    dupes = set()
    for email in emails:
        key = normalise(email)
        if key in seen:
            dupes.add(key)
        seen.add(key)
    return sorted(dupes)`;

/** Correct but does the quadratic work twice. */
export const SLOWER_DUPLICATES = `def find_duplicates(emails):
    for _ in range(2):
        seen = []
        duplicates = []
        for email in emails:
            key = normalise(email)
            if key in seen and key not in duplicates:
                duplicates.append(key)
            seen.append(key)
    return duplicates`;

/** A workload JSON with a few edge cases and one large performance input. */
export function duplicatesInputs(): { correctness: unknown[][]; performance: unknown[][] } {
  const big: string[] = [];
  for (let i = 0; i < 1500; i++) big.push(`User${(i * 7919) % 1000}@Example.com `);
  return {
    correctness: [[[]], [['a@x.org']], [['b@x', 'a@x', 'B@x ', 'a@x', 'b@x']], [['c', 'a', 'b', 'a', 'c']], [big.slice(0, 60)]],
    performance: [[big]],
  };
}

export function candidateReply(candidates: { rationale: string; code: string }[]): string {
  const blocks = candidates.map((c, i) => `### Candidate ${i + 1}: ${c.rationale}\n\`\`\`python\n${c.code}\n\`\`\``);
  return `Here are my candidates.\n\n${blocks.join('\n\n')}\n`;
}

/** A fresh directory holding `duplicates.py` (and optionally its inputs file). */
export function projectWithDuplicates(withInputs = true): { dir: string; file: string; inputs: string } {
  const dir = mkdtempSync(join(tmpdir(), 'perfloop-test-'));
  const file = join(dir, 'duplicates.py');
  const inputs = join(dir, 'inputs.json');
  writeFileSync(file, SLOW_DUPLICATES);
  if (withInputs) writeFileSync(inputs, JSON.stringify(duplicatesInputs()));
  return { dir, file, inputs };
}
