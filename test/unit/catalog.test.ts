import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import catalogJson from '../../optimizer/patterns/catalog.json' with { type: 'json' };
import {
  allPatterns,
  PATTERN_LANGUAGES,
  rankPatterns,
  validateCatalog,
  type OptimizationPattern,
  type PatternEvidence,
} from '../../optimizer/patterns/catalog.js';

const catalog: OptimizationPattern[] = validateCatalog(catalogJson);

/** A deep copy of the raw catalog with one entry changed, for negative tests. */
function withEntry(index: number, change: (entry: Record<string, unknown>) => void): unknown[] {
  const copy = structuredClone(catalogJson) as Record<string, unknown>[];
  change(copy[index] as Record<string, unknown>);
  return copy;
}

function evidenceFrom(source: string, hot: Record<string, number>, extra: Partial<PatternEvidence> = {}): PatternEvidence {
  const hotLines = source.split('\n').map((text) => ({ text, timeShare: hot[text.trim()] ?? 0.01 }));
  return { source, hotLines, ...extra };
}

function rankOf(id: string, language: (typeof PATTERN_LANGUAGES)[number], evidence: PatternEvidence): number {
  return rankPatterns(language, evidence).findIndex((p) => p.id === id);
}

describe('optimization pattern catalog', () => {
  it('validates, with 35–45 patterns and unique kebab-case ids', () => {
    assert.ok(catalog.length >= 35 && catalog.length <= 45, `${catalog.length} patterns`);
    const ids = catalog.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('has regexes that all compile', () => {
    for (const pattern of catalog) {
      for (const signal of pattern.signals) {
        if (signal.kind !== 'hot-line-matches' && signal.kind !== 'source-matches') continue;
        assert.doesNotThrow(() => new RegExp(signal.regex, signal.flags ?? 'm'), `${pattern.id}: ${signal.regex}`);
      }
    }
  });

  it('covers Python first and C/C++ and JS/TS as well', () => {
    assert.ok(allPatterns('python').length >= 30);
    for (const language of PATTERN_LANGUAGES) assert.ok(allPatterns(language).length >= 10, language);
    assert.ok(allPatterns('cpp').every((p) => p.languages.includes('cpp')));
  });

  it('writes python-tagged examples in Python, and each before/after parses', () => {
    const examples = allPatterns('python').flatMap((p) => [
      { name: `${p.id}.before`, code: p.before },
      { name: `${p.id}.after`, code: p.after },
    ]);
    for (const pattern of allPatterns('python')) assert.equal(pattern.languages[0], 'python', `${pattern.id} lists python first`);
    // One interpreter parses every example (a process per example costs ~15 s); it reports each failure by name.
    const script = [
      'import ast, json, sys',
      'failures = []',
      'for example in json.load(sys.stdin):',
      '    try:',
      '        ast.parse(example["code"])',
      '    except SyntaxError as error:',
      '        failures.append(example["name"] + ": " + str(error))',
      'print(json.dumps({"parsed": len(failures) == 0, "failures": failures}))',
    ].join('\n');
    const result = spawnSync('python3', ['-c', script], { input: JSON.stringify(examples), encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { failures: string[] };
    assert.deepEqual(report.failures, []);
    assert.ok(examples.length >= 60);
  });

  it('names the broken entry when the catalog is invalid', () => {
    assert.throws(() => validateCatalog(withEntry(3, (e) => (e.category = 'magic'))), /entry 3 \("[a-z-]+"\): category/);
    assert.throws(
      () => validateCatalog(withEntry(0, (e) => ((e.signals as unknown[])[0] = { kind: 'source-matches', regex: '(', what: 'x' }))),
      /entry 0 \("list-membership-to-set"\): signals\.0\.regex does not compile/,
    );
    assert.throws(() => validateCatalog(withEntry(1, (e) => (e.id = catalog[0]?.id))), /entry 1 .*duplicate id/);
    assert.throws(() => validateCatalog(withEntry(2, (e) => delete e.caution)), /entry 2 .*caution/);
    assert.throws(() => validateCatalog(withEntry(2, (e) => (e.extra = 1))), /entry 2 /);
    assert.throws(() => validateCatalog({}), /array/);
  });

  it('ranks set/dict membership in the top 3 for a quadratic `x in list` loop', () => {
    const source = [
      'def dedupe(items):',
      '    seen_list = []',
      '    for x in items:',
      '        if x not in seen_list:',
      '            seen_list.append(x)',
      '    return seen_list',
    ].join('\n');
    const evidence = evidenceFrom(source, { 'if x not in seen_list:': 0.86, 'seen_list.append(x)': 0.06 }, { complexityExponent: 1.97 });
    const ranked = rankPatterns('python', evidence);
    const index = ranked.findIndex((p) => p.id === 'list-membership-to-set');
    assert.ok(index >= 0 && index < 3, `ranked ${index + 1}`);
    const reasons = ranked[index]?.matchedSignals ?? [];
    assert.ok(reasons.some((r) => r.includes('86% of time') && r.includes('if x not in seen_list:')), reasons.join(' | '));
    assert.ok(reasons.some((r) => r.includes('n^1.97')));
  });

  it('ranks join in the top 3 for string += in a loop', () => {
    const source = [
      'def render(rows):',
      '    out = ""',
      '    for name, score in rows:',
      '        out += name + ": " + str(score) + "\\n"',
      '    return out',
    ].join('\n');
    const evidence = evidenceFrom(source, { 'out += name + ": " + str(score) + "\\n"': 0.7, 'for name, score in rows:': 0.2 });
    const index = rankOf('string-concatenation-to-join', 'python', evidence);
    assert.ok(index >= 0 && index < 3, `ranked ${index + 1}`);
  });

  it('recognises each pattern in its own before example (top 3)', () => {
    for (const pattern of catalog) {
      const language = pattern.languages[0] as (typeof PATTERN_LANGUAGES)[number];
      const lines = pattern.before.split('\n').map((text) => ({ text, timeShare: 0.3 }));
      const index = rankOf(pattern.id, language, { source: pattern.before, hotLines: lines });
      assert.ok(index >= 0 && index < 3, `${pattern.id} ranked ${index + 1} on its own example`);
    }
  });

  it('returns every pattern for the language, by descending score, unmatched ones last with no reasons', () => {
    const evidence = evidenceFrom('def f(x):\n    return x + 1', {});
    const ranked = rankPatterns('python', evidence);
    assert.equal(ranked.length, allPatterns('python').length);
    assert.ok(ranked.every((p) => p.score === 0 && p.matchedSignals.length === 0));
    assert.deepEqual(ranked.map((p) => p.id), allPatterns('python').map((p) => p.id), 'ties keep catalog order');

    const busy = rankPatterns('python', evidenceFrom('def f(q):\n    while q:\n        q.pop(0)', { 'q.pop(0)': 0.9 }));
    for (let i = 1; i < busy.length; i++) assert.ok((busy[i - 1]?.score ?? 0) >= (busy[i]?.score ?? 0));
    assert.equal(busy[0]?.id, 'deque-for-queue');
  });

  it('ignores matching lines below the time-share floor and signals scoped to other languages', () => {
    const cold = evidenceFrom('def f(q):\n    q.pop(0)', { 'q.pop(0)': 0.01 });
    assert.equal(rankPatterns('python', cold).find((p) => p.id === 'deque-for-queue')?.score, 0);
    const jsLine = evidenceFrom('function f(q) {\n  q.shift();\n}', { 'q.shift();': 0.9 });
    assert.equal(rankPatterns('python', jsLine).find((p) => p.id === 'deque-for-queue')?.score, 0);
    assert.ok((rankPatterns('javascript', jsLine).find((p) => p.id === 'deque-for-queue')?.score ?? 0) > 0);
  });

  it('uses the memory ratio only when both peak and output sizes are known', () => {
    const source = 'def f(xs):\n    return len(xs)';
    const generator = (extra: Partial<PatternEvidence>) =>
      rankPatterns('python', { source, hotLines: [], ...extra }).find((p) => p.id === 'generator-instead-of-list');
    assert.equal(generator({ peakMemoryBytes: 1e8 })?.score, 0);
    assert.equal(generator({ peakMemoryBytes: 1e8, outputSizeBytes: 1e6 })?.matchedSignals[0], 'peak memory is 100× the output size (≥ 10×)');
    assert.equal(generator({ peakMemoryBytes: 2e6, outputSizeBytes: 1e6 })?.score, 0);
  });

  it('hands out frozen patterns, so callers cannot corrupt the catalog', () => {
    const [first] = allPatterns('python');
    assert.ok(first && Object.isFrozen(first) && Object.isFrozen(first.signals));
  });
});
