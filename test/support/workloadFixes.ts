/**
 * The two obvious fixes of examples/workloads/python's hot functions, as a model would write them, and a scripted LLM
 * that answers each function's prompt with its fix: shared by the `optimize --workload` tests and the bench's
 * end-to-end section.
 */
import type { ChatRequestBody } from './fakeLlmServer.js';
import { fakeReplies, type FakeReply } from './fakeLlmServer.js';
import { candidateReply } from './pythonFixtures.js';

/** Sorts once instead of once per percentile. */
export const FAST_PERCENTILES =
  'def price_percentiles(records, points):\n    """The unit price at each percentile in `points` (0-100), nearest rank."""\n' +
  '    prices = sorted(r.unit_price for r in records)\n    out = []\n    for p in points:\n' +
  '        rank = clamp(int(round(p / 100 * (len(prices) - 1))), 0, len(prices) - 1)\n        out.append(prices[rank])\n    return out\n';

/** Sets instead of lists for membership, one pass. */
export const FAST_DUPLICATES =
  'def duplicate_skus(records):\n    """SKUs that appear more than once, in the order their second appearance is met."""\n' +
  '    seen, reported, duplicates = set(), set(), []\n    for record in records:\n        sku = record.sku\n' +
  '        if sku in seen and sku not in reported:\n            duplicates.append(sku)\n            reported.add(sku)\n' +
  '        seen.add(sku)\n    return duplicates\n';

/** Answers the first prompt about each named function with its code; anything else (a later round) with prose. */
export function repliesByFunction(candidates: Record<string, string>): (body: ChatRequestBody) => FakeReply {
  return (body) => {
    const text = JSON.stringify(body.messages);
    const name = Object.keys(candidates).find((n) => text.includes(`def ${n}`) && !text.includes('Previous candidates'));
    return name ? fakeReplies.text(candidateReply([{ rationale: `faster ${name}`, code: candidates[name] as string }])) : fakeReplies.text('Nothing more.');
  };
}
