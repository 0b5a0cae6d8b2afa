/**
 * NativeRunner end to end: real g++/gcc, the real harness, the real sandbox, real valgrind. Programs come from real
 * extraction of the fixtures in test/fixtures/native and of examples/ (extraction itself: nativeTarget.test.ts).
 */
import { judgedTiming, verdictOf } from '../support/judgedTiming.js';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectInstructionCounter } from '../../profilers/counters/instructions.js';
import { NativeRunner } from '../../profilers/native/nativeRunner.js';
import { cppLiteral, jsonWorkloadToCpp } from '../../profilers/native/nativeWorkload.js';
import type { EquivalenceResult, RunOptions, WorkloadSource } from '../../profilers/runner.js';
import { RunnerError } from '../../profilers/runner.js';
import { estimatePairedSpeedup } from '../../profilers/stats/speedup.js';
import { nativeSubject } from '../support/nativeSubject.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixturePath = (name: string): string => path.join(repoRoot, 'test/fixtures/native', name);
const examplePath = (name: string): string => path.join(repoRoot, 'examples', name);

const OPTS: RunOptions = { sandbox: 'auto', timeoutMs: 30_000 };
const NUMBERS: WorkloadSource = { kind: 'module', origin: 'user', path: fixturePath('numbers.perfloop.cpp') };
const SUMS: WorkloadSource = { kind: 'module', origin: 'user', path: fixturePath('sums.perfloop.cpp') };
const VECTORS: WorkloadSource = {
  kind: 'json',
  origin: 'user',
  correctness: [[[]], [[1, 2, 3]], [[2147483647, 2147483647, 5]], [[-4, 4, -4]], [[3, 1, 3, 2, 1]], [[9, 8, 7, 9, 8]]],
  performance: [[Array.from({ length: 3000 }, (_, i) => (i * 7919) % 1009)]],
};

function assertDifferent(result: EquivalenceResult): asserts result is Extract<EquivalenceResult, { status: 'different' }> {
  assert.equal(result.status, 'different', JSON.stringify(result));
}

describe('NativeRunner (C++) @slow', function () {
  this.timeout(300_000);
  const numbers = fixturePath('numbers.cpp');

  it('describes the compiler and the flags it uses', async () => {
    const { runner } = await nativeSubject(numbers, 'count_pairs');
    assert.match(await runner.describe(), /g\+\+|clang/);
    assert.match(await runner.describe(), /-O2 -g \(default\)/);
  });

  it('checks a generator workload: counts, sized input, the original raising', async () => {
    const s = await nativeSubject(numbers, 'count_pairs');
    const summary = await s.runner.checkWorkload(s.original, NUMBERS, OPTS);
    assert.equal(summary.correctnessCount, 13);
    assert.ok(summary.sizeable);
    assert.equal(summary.originalRaisedOn, 1);
    assert.equal(summary.originalMutatesArguments, false);
  });

  it('measures a correct faster rewrite as equivalent and faster, and the same code as no difference', async () => {
    const s = await nativeSubject(numbers, 'count_pairs');
    const fast = await s.candidate(
      [
        '#include <unordered_map>',
        'long count_pairs(const std::vector<int>& v, int target) {',
        '    for (int x : v) checked(x);',
        '    if (v.size() < 2) return 0;',
        '    std::unordered_map<long, long> seen;',
        '    long pairs = 0;',
        '    for (int x : v) {',
        '        auto it = seen.find(static_cast<long>(target) - x);',
        '        if (it != seen.end()) pairs += it->second;',
        '        seen[x]++;',
        '    }',
        '    return pairs;',
        '}',
      ].join('\n'),
      'fast',
    );
    // The original checks values lazily (pairs only), the rewrite eagerly: they differ on [7, 2000000]? No — the
    // original checks v[0] and v[1] on the first pair, so both throw out_of_range there.
    assert.deepEqual(await s.runner.checkEquivalence(s.original, fast, NUMBERS, OPTS), { status: 'equivalent', inputsChecked: 14 });
    const samples = await s.runner.measureTime(s.original, fast, NUMBERS, false, { ...OPTS, samples: 10, sampleSeconds: 0.03 });
    const estimate = estimatePairedSpeedup(samples.original, samples.candidate);
    assert.equal(estimate.verdict, 'faster', JSON.stringify(estimate));
    assert.ok(estimate.ratio > 3, `ratio ${estimate.ratio}`);

    const same = await s.candidate(s.target.functionSource, 'same');
    const judged = await judgedTiming(s.runner, s.original, same, NUMBERS, false, { ...OPTS, samples: 15, sampleSeconds: 0.03 });
    assert.equal(verdictOf(judged), 'no-difference', JSON.stringify(judged));
  });

  it('finds an off-by-one and a changed exception with the smallest input that shows them', async () => {
    const s = await nativeSubject(numbers, 'count_pairs');
    const offByOne = await s.candidate(s.target.functionSource.replace('j < v.size()', 'j + 1 < v.size()'), 'off-by-one');
    const result = await s.runner.checkEquivalence(s.original, offByOne, NUMBERS, OPTS);
    assertDifferent(result);
    assert.equal(result.counterexample.kind, 'return');
    // The smallest input that shows it: a pair whose last element the rewrite skips.
    assert.match(result.counterexample.input, /^\(\{1000000, 1000000\}, 2000000\)$/);
    const unchecked = await s.candidate(s.target.functionSource.replaceAll('checked(v[i])', 'v[i]').replaceAll('checked(v[j])', 'v[j]'), 'unchecked');
    const thrown = await s.runner.checkEquivalence(s.original, unchecked, NUMBERS, OPTS);
    assertDifferent(thrown);
    assert.equal(thrown.counterexample.kind, 'exception');
    assert.match(thrown.counterexample.expected, /out_of_range/);
  });

  it('finds an integer overflow and a changed output order (JSON inputs)', async () => {
    const s = await nativeSubject(numbers, 'total');
    const narrow = await s.candidate('long long total(const std::vector<int>& v) {\n    int sum = 0;\n    for (int x : v) sum += x;\n    return sum;\n}', 'int-sum');
    const overflow = await s.runner.checkEquivalence(s.original, narrow, VECTORS, { ...OPTS });
    assertDifferent(overflow);
    assert.equal(overflow.counterexample.kind, 'return');
    assert.match(overflow.counterexample.expected, /4294967299/);

    const u = await nativeSubject(numbers, 'unique_in_order', s.runner);
    const sorted = await u.candidate('#include <set>\nstd::vector<int> unique_in_order(const std::vector<int>& v) {\n    std::set<int> s(v.begin(), v.end());\n    return {s.begin(), s.end()};\n}', 'sorted');
    const order = await u.runner.checkEquivalence(u.original, sorted, VECTORS, OPTS);
    assertDifferent(order);
    assert.equal(order.counterexample.kind, 'return');
    assert.equal(order.counterexample.inputSize, 3);
    assert.match(`${order.counterexample.expected} vs ${order.counterexample.actual}`, /\{2147483647, 5\} vs returned \{5, 2147483647\}|\{-4, 4\} vs returned \{-4, 4\}/);
  });

  it('compares mutation of reference arguments and printed output', async () => {
    const s = await nativeSubject(numbers, 'sort_and_report');
    const quiet = await s.candidate('#include <algorithm>\nvoid sort_and_report(std::vector<int>& v) {\n    std::sort(v.begin(), v.end());\n}', 'quiet');
    const silent = await s.runner.checkEquivalence(s.original, quiet, VECTORS, OPTS);
    assertDifferent(silent);
    assert.equal(silent.counterexample.kind, 'stdout');
    const reversed = await s.candidate(
      '#include <algorithm>\n#include <functional>\nvoid sort_and_report(std::vector<int>& v) {\n    std::sort(v.begin(), v.end(), std::greater<int>());\n    std::printf("sorted %zu\\n", v.size());\n}',
      'reversed',
    );
    const mutation = await s.runner.checkEquivalence(s.original, reversed, VECTORS, OPTS);
    assertDifferent(mutation);
    assert.equal(mutation.counterexample.kind, 'mutation');
    const good = await s.candidate('#include <algorithm>\nvoid sort_and_report(std::vector<int>& v) {\n    std::sort(v.begin(), v.end());\n    std::printf("sorted %zu\\n", v.size());\n}', 'good');
    assert.equal((await s.runner.checkEquivalence(s.original, good, VECTORS, OPTS)).status, 'equivalent');
    assert.equal((await s.runner.checkWorkload(s.original, VECTORS, OPTS)).originalMutatesArguments, true);
  });

  it('rejects as incorrect a candidate whose outputs match only by luck of undefined behaviour (ASan/UBSan)', async () => {
    const s = await nativeSubject(numbers, 'total');
    // Reads one element past a copy of exactly the input's size: the value is discarded, so outputs still match.
    const code = [
      'long long total(const std::vector<int>& v) {',
      '    std::vector<int> copy(v);',
      '    copy.shrink_to_fit();',
      '    long long sum = 0;',
      '    for (int x : copy) sum += x;',
      '    if (!copy.empty()) { volatile int past = copy.data()[copy.size()]; (void)past; }',
      '    return sum;',
      '}',
    ].join('\n');
    const overread = await s.candidate(code, 'overread');
    const result = await s.runner.checkEquivalence(s.original, overread, VECTORS, OPTS);
    assertDifferent(result);
    assert.equal(result.counterexample.kind, 'crash');
    assert.match(result.counterexample.actual, /AddressSanitizer: heap-buffer-overflow/);
    const plain = new NativeRunner({ dialect: 'cpp', sanitizers: false });
    const unchecked = await nativeSubject(numbers, 'total', plain);
    const again = await unchecked.candidate(code, 'overread');
    assert.equal((await plain.checkEquivalence(unchecked.original, again, VECTORS, OPTS)).status, 'equivalent');
  });

  it('reports a candidate that does not compile, crashes or hangs as error/timeout', async () => {
    const s = await nativeSubject(numbers, 'total');
    const broken = await s.candidate('long long total(const std::vector<int>& v) {\n    return v.sum();\n}', 'broken');
    const compile = await s.runner.checkEquivalence(s.original, broken, VECTORS, OPTS);
    assert.equal(compile.status, 'error');
    assert.match(compile.status === 'error' ? `${compile.reason}\n${compile.detail}` : '', /does not compile[\s\S]*sum/);
    const crash = await s.candidate('long long total(const std::vector<int>& v) {\n    volatile int* p = nullptr;\n    return v.size() > 1 ? *p : 0;\n}', 'crash');
    const crashed = await s.runner.checkEquivalence(s.original, crash, VECTORS, OPTS);
    assert.equal(crashed.status, 'error');
    assert.match(crashed.status === 'error' ? crashed.reason : '', /SIGSEGV[\s\S]*candidate ran on correctness input 1/);
    const hang = await s.candidate('long long total(const std::vector<int>& v) {\n    for (volatile int i = 0;; i = i + 1) {}\n    return 0;\n}', 'hang');
    const hung = await s.runner.checkEquivalence(s.original, hang, VECTORS, { ...OPTS, timeoutMs: 5000 });
    assert.equal(hung.status, 'timeout');
  });

  it('contains hostile candidates: no processes, no network, no writes outside, no forged verdict', async () => {
    const s = await nativeSubject(numbers, 'total');
    const marker = path.join(repoRoot, 'test/fixtures/native/PWNED');
    rmSync(marker, { force: true });
    const hostile = await s.candidate(
      [
        '#include <cstdlib>',
        '#include <cstdio>',
        '#include <unistd.h>',
        '#include <sys/socket.h>',
        '#include <netinet/in.h>',
        'long long total(const std::vector<int>& v) {',
        `    std::FILE* f = std::fopen(${JSON.stringify(marker)}, "w");`,
        '    if (f) { std::fputs("x", f); std::fclose(f); }',
        '    long long blocked = 0;',
        '    pid_t pid = fork();',
        '    if (pid == 0) _exit(0);',
        '    if (pid < 0) blocked += 1;',
        '    int fd = socket(AF_INET, SOCK_STREAM, 0);',
        '    sockaddr_in addr{}; addr.sin_family = AF_INET; addr.sin_port = htons(80); addr.sin_addr.s_addr = htonl(0x7f000001);',
        '    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) blocked += 1;',
        '    long long sum = 0;',
        '    for (int x : v) sum += x;',
        '    return blocked == 2 ? sum : -1;',
        '}',
      ].join('\n'),
      'hostile',
    );
    const result = await s.runner.checkEquivalence(s.original, hostile, VECTORS, OPTS);
    // It returns the right sum only when both fork and connect failed inside the sandbox.
    assert.deepEqual(result, { status: 'equivalent', inputsChecked: 7 }, 'fork or connect succeeded');
    assert.equal(existsSync(marker), false, 'the candidate wrote into the repository');

    const forger = await s.candidate(
      [
        '#include <cstdio>',
        '#include <unistd.h>',
        'long long total(const std::vector<int>& v) {',
        '    std::FILE* f = std::fopen("result.json", "w");',
        '    if (f) { std::fputs("{\\"protocol\\":1,\\"compiler\\":\\"x\\",\\"nonce\\":\\"guess\\",\\"ok\\":true,\\"mode\\":\\"verify\\",\\"sizedN\\":null,\\"data\\":{\\"status\\":\\"equivalent\\",\\"inputsChecked\\":99}}", f); std::fclose(f); }',
        '    _exit(0);',
        '}',
      ].join('\n'),
      'forger',
    );
    const forged = await s.runner.checkEquivalence(s.original, forger, VECTORS, OPTS);
    assert.equal(forged.status, 'error');
    assert.match(forged.status === 'error' ? forged.reason : '', /nonce/);
  });

  it('names the workload when it does not compile, and the original when it does not', async () => {
    const s = await nativeSubject(numbers, 'count_pairs');
    const bad: WorkloadSource = { kind: 'generator', origin: 'llm', source: 'void correctness_inputs(perfloop::Inputs& in) { in.add("text", 1); }' };
    await assert.rejects(s.runner.checkWorkload(s.original, bad, OPTS), (error: unknown) => {
      assert.ok(error instanceof RunnerError);
      assert.match(error.message, /The workload module does not compile/);
      assert.ok((error.detail ?? '').length > 0);
      return true;
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'perfloop-native-broken-'));
    try {
      const file = path.join(dir, 'broken.cpp');
      writeFileSync(file, '#include <vector>\nlong total(const std::vector<int>& v) {\n    return v.total();\n}\n');
      const broken = await nativeSubject(file, 'total');
      await assert.rejects(broken.runner.checkWorkload(broken.original, VECTORS, OPTS), (error: unknown) => {
        assert.ok(error instanceof RunnerError);
        assert.match(error.message, /^The original does not compile \(g\+\+\) with g\+\+ -O2 -g\./);
        assert.match(error.detail ?? '', /broken\.cpp:3:\d+: error: .*total/);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the user\'s own headers next to the file (#include "util.h")', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'perfloop-native-include-'));
    try {
      writeFileSync(path.join(dir, 'util.h'), '#pragma once\ninline int twice(int x) { return 2 * x; }\n');
      const file = path.join(dir, 'main.cpp');
      writeFileSync(file, '#include "util.h"\n#include <vector>\nlong long total(const std::vector<int>& v) {\n    long long s = 0;\n    for (int x : v) s += twice(x);\n    return s;\n}\n');
      const s = await nativeSubject(file, 'total');
      const small: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[[]], [[1, -2, 3]], [[40000, 5]]], performance: [[[7, 8, 9]]] };
      const summary = await s.runner.checkWorkload(s.original, small, OPTS);
      assert.equal(summary.correctnessCount, 3);
      const doubled = await s.candidate('long long total(const std::vector<int>& v) {\n    long long s = 0;\n    for (int x : v) s += x;\n    return 2 * s;\n}', 'sum-then-double');
      assert.equal((await s.runner.checkEquivalence(s.original, doubled, small, OPTS)).status, 'equivalent');
      // On values near INT_MAX the original's twice() overflows int and the rewrite does not: a real difference.
      assertDifferent(await s.runner.checkEquivalence(s.original, doubled, VECTORS, OPTS));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts instructions exactly, measures memory and complexity, and profiles lines with cachegrind', async function () {
    const counter = await detectInstructionCounter();
    if (!counter) this.skip();
    const s = await nativeSubject(numbers, 'count_pairs');
    await s.runner.checkWorkload(s.original, NUMBERS, OPTS);
    const first = await s.runner.countInstructions(s.original, NUMBERS, OPTS);
    // Fresh processes, the same settled input size: a second runner would settle its own size by timing, which a loaded
    // machine can halve (a count 4× smaller for this quadratic function, seen once in CI).
    const second = await s.runner.countInstructions(s.original, NUMBERS, OPTS);
    assert.ok(first && second && first.instructions > 0);
    if (counter.kind === 'valgrind') assert.equal(first.instructions, second.instructions, 'cachegrind counts are exact');
    const memory = await s.runner.measureMemory(s.original, NUMBERS, OPTS);
    assert.ok(memory.maxRssBytes && memory.maxRssBytes > 0);
    const points = await s.runner.measureComplexity(s.original, NUMBERS, { ...OPTS, maxSecondsPerCall: 0.1, maxPoints: 5 });
    assert.ok(points.length >= 3, JSON.stringify(points));
    const profile = await s.runner.profileLines(s.original, NUMBERS, OPTS);
    assert.equal(profile.basis, 'instructions');
    const hottest = [...profile.entries].sort((a, b) => b.hits - a.hits)[0];
    assert.ok(hottest, 'no line profile');
    // Inclusive: the line that calls checked() twice per pair carries the calls' instructions.
    assert.match(hottest.text, /if \(checked\(v\[i\]\) \+ checked\(v\[j\]\) == target\) pairs\+\+;/);
    assert.ok(hottest.timeShare > 0.5, JSON.stringify(profile.entries));
  });

  it('measures memory a candidate allocates (malloc interposition)', async () => {
    const s = await nativeSubject(numbers, 'total');
    const hungry = await s.candidate('long long total(const std::vector<int>& v) {\n    std::vector<long long> wide(v.begin(), v.end());\n    std::vector<char> pad(1 << 20, 1);\n    long long sum = pad[0] - 1;\n    for (long long x : wide) sum += x;\n    return sum;\n}', 'hungry');
    const memory = await s.runner.measureMemory(hungry, VECTORS, OPTS);
    assert.ok(memory.peakBytes >= 1 << 20, `peak ${memory.peakBytes}`);
    const lean = await s.runner.measureMemory(s.original, VECTORS, OPTS);
    assert.ok(lean.peakBytes < 1024, `peak ${lean.peakBytes}`);
  });
});

describe('NativeRunner (C) @slow', function () {
  this.timeout(300_000);
  const sums = fixturePath('sums.c');

  it('checks pointer + length functions: overflow found, output arrays compared, overreads caught', async () => {
    const s = await nativeSubject(sums, 'sum_values');
    const narrow = await s.candidate('long long sum_values(const int *a, size_t n) {\n    int sum = 0;\n    for (size_t i = 0; i < n; i++) sum += a[i];\n    return sum;\n}', 'narrow');
    const overflow = await s.runner.checkEquivalence(s.original, narrow, SUMS, OPTS);
    assertDifferent(overflow);
    // Signed overflow is UB too: found either as a different return value or by UBSan.
    assert.match(overflow.counterexample.kind, /return|crash/);
    assert.match(overflow.counterexample.input, /2147483647|-2147483648/);

    const r = await nativeSubject(sums, 'reverse_in_place', s.runner);
    const inPlace = await r.candidate('void reverse_in_place(int *a, size_t n) {\n    for (size_t i = 0, j = n; i + 1 < j; i++, j--) { int t = a[i]; a[i] = a[j - 1]; a[j - 1] = t; }\n}', 'swap');
    assert.equal((await r.runner.checkEquivalence(r.original, inPlace, SUMS, OPTS)).status, 'equivalent');
    const wrong = await r.candidate('void reverse_in_place(int *a, size_t n) {\n    for (size_t i = 0; i + 1 < n; i += 2) { int t = a[i]; a[i] = a[i + 1]; a[i + 1] = t; }\n}', 'pairs');
    const mutation = await r.runner.checkEquivalence(r.original, wrong, SUMS, OPTS);
    assertDifferent(mutation);
    assert.equal(mutation.counterexample.kind, 'mutation');
    const overread = await r.candidate(
      'void reverse_in_place(int *a, size_t n) {\n    int *copy = malloc(n * sizeof(int) + 1);\n    for (size_t i = 0; i < n; i++) copy[i] = a[n - 1 - i];\n    for (size_t i = 0; i < n; i++) a[i] = copy[i];\n    if (n > 0) { volatile int past = copy[n + 1]; (void)past; }\n    free(copy);\n}',
      'overread',
    );
    const ub = await r.runner.checkEquivalence(r.original, overread, SUMS, OPTS);
    assertDifferent(ub);
    assert.equal(ub.counterexample.kind, 'crash');
    assert.match(ub.counterexample.actual, /AddressSanitizer/);
  });

  it('times the same C code as no difference, and reports a crashing or hanging C candidate as error/timeout', async () => {
    const s = await nativeSubject(sums, 'sum_values');
    const same = await s.candidate(s.target.functionSource, 'same');
    const judged = await judgedTiming(s.runner, s.original, same, SUMS, false, { ...OPTS, samples: 15, sampleSeconds: 0.03 });
    assert.equal(verdictOf(judged), 'no-difference', JSON.stringify(judged));
    const crash = await s.candidate('long long sum_values(const int *a, size_t n) {\n    const int *p = n > 2 ? NULL : a;\n    long long sum = 0;\n    for (size_t i = 0; i < n; i++) sum += p[i];\n    return sum;\n}', 'crash');
    const crashed = await s.runner.checkEquivalence(s.original, crash, SUMS, OPTS);
    assert.equal(crashed.status, 'error');
    assert.match(crashed.status === 'error' ? crashed.reason : '', /SIGSEGV[\s\S]*candidate ran on correctness input 2/);
    const hang = await s.candidate('long long sum_values(const int *a, size_t n) {\n    volatile int spin = 1;\n    while (n > 2 && spin) {}\n    long long sum = 0;\n    for (size_t i = 0; i < n; i++) sum += a[i];\n    return sum;\n}', 'hang');
    const hung = await s.runner.checkEquivalence(s.original, hang, SUMS, { ...OPTS, timeoutMs: 5000 });
    assert.equal(hung.status, 'timeout');
    // The candidate's limit on that input (20 times the original's time, at least 2 s) stops it, not the process's.
    assert.match(hung.status === 'timeout' ? hung.reason : '', /^the candidate ran longer than 2\.0 s \(the original took 0\.000 s\) on correctness input 2 /);
  });

  it('measures the example column_sums rewrite (row order instead of column order) as faster', async () => {
    const s = await nativeSubject(examplePath('c/column_sums.c'), 'column_sums');
    const workload: WorkloadSource = { kind: 'module', origin: 'user', path: examplePath('c/column_sums.perfloop.cpp') };
    const fast = await s.candidate(readFileSync(examplePath('c/column_sums_fast.c'), 'utf8'), 'fast');
    await s.runner.checkWorkload(s.original, workload, OPTS);
    assert.equal((await s.runner.checkEquivalence(s.original, fast, workload, OPTS)).status, 'equivalent');
    const samples = await s.runner.measureTime(s.original, fast, workload, true, { ...OPTS, samples: 10, sampleSeconds: 0.03 });
    const estimate = estimatePairedSpeedup(samples.original, samples.candidate);
    assert.equal(estimate.verdict, 'faster', JSON.stringify(estimate));
  });
});

describe('NativeRunner (C++ methods) @slow', function () {
  this.timeout(300_000);
  const cart = fixturePath('cart.cpp');
  const CART: WorkloadSource = { kind: 'module', origin: 'user', path: fixturePath('cart.perfloop.cpp') };
  const generator = (source: string): WorkloadSource => ({ kind: 'generator', origin: 'llm', source });
  let runner: NativeRunner;
  before(() => {
    runner = new NativeRunner({ dialect: 'cpp' });
  });

  it('measures a correct faster method rewrite as equivalent and faster; receivers are shown field by field', async () => {
    const s = await nativeSubject(cart, 'Cart::total', runner);
    const summary = await s.runner.checkWorkload(s.original, CART, OPTS);
    assert.equal(summary.originalMutatesArguments, false);
    assert.equal(summary.examples[2], '(shop::Cart{{shop::Item{"tea", 3, 2}, shop::Item{"jam", 250, 1}}, 10})');
    const fast = await s.candidate(
      'long shop::Cart::total() const {\n    long sum = 0;\n    for (const Item& item : items) sum += item.price * item.qty;\n    return sum - sum * percentOff / 100;\n}',
      'fast',
    );
    assert.deepEqual(await s.runner.checkEquivalence(s.original, fast, CART, OPTS), { status: 'equivalent', inputsChecked: 10 });
    const samples = await s.runner.measureTime(s.original, fast, CART, false, { ...OPTS, samples: 10, sampleSeconds: 0.03 });
    const estimate = estimatePairedSpeedup(samples.original, samples.candidate);
    assert.equal(estimate.verdict, 'faster', JSON.stringify(estimate));
  });

  it('finds a method that changes the receiver differently (mutation), with public members or private ones', async () => {
    const s = await nativeSubject(cart, 'consolidate', runner);
    const carts = generator(
      'void correctness_inputs(perfloop::Inputs& in) {\n  in.add(shop::Cart{});\n  in.add(shop::Cart{{{"tea", 3, 2}, {"jam", 5, 1}}, 0});\n  in.add(shop::Cart{{{"tea", 3, 2}, {"tea", 3, 1}}, 0});\n}\n',
    );
    assert.equal((await s.runner.checkWorkload(s.original, carts, OPTS)).originalMutatesArguments, true);
    // Same count returned, the quantities of merged items not added up.
    const lossy = await s.candidate(
      [
        'int shop::Cart::consolidate() {',
        '    std::vector<Item> kept;',
        '    int merged = 0;',
        '    for (const Item& item : items) {',
        '        bool seen = false;',
        '        for (const Item& k : kept) seen = seen || k.name == item.name;',
        '        if (seen) merged++; else kept.push_back(item);',
        '    }',
        '    items = kept;',
        '    return merged;',
        '}',
      ].join('\n'),
      'lossy',
    );
    const result = await s.runner.checkEquivalence(s.original, lossy, carts, OPTS);
    assertDifferent(result);
    assert.equal(result.counterexample.kind, 'mutation');
    assert.equal(result.counterexample.input, '(shop::Cart{{shop::Item{"tea", 3, 2}, shop::Item{"tea", 3, 1}}, 0})');
    assert.equal(result.counterexample.expected, 'arguments after the call: (shop::Cart{{shop::Item{"tea", 3, 3}}, 0})');
    assert.equal(
      result.counterexample.actual,
      'arguments after the call: (shop::Cart{{shop::Item{"tea", 3, 2}}, 0}); first difference: arguments[0].0[0].2: 3 vs 2',
    );

    const tree = await nativeSubject(cart, 'Tree::scale', runner);
    const trees = generator('void correctness_inputs(perfloop::Inputs& in) {\n  in.add(shop::Tree({}), 3);\n  in.add(shop::Tree({1, 2, 3}), 2);\n}\n');
    const skipsRoot = await tree.candidate('void shop::Tree::scale(long k) {\n    for (std::size_t i = 1; i < values_.size(); i++) values_[i] *= k;\n}', 'skips-root');
    const scaled = await tree.runner.checkEquivalence(tree.original, skipsRoot, trees, OPTS);
    assertDifferent(scaled);
    assert.equal(scaled.counterexample.kind, 'mutation');
    assert.equal(
      scaled.counterexample.actual,
      'arguments after the call: (shop::Tree{{1, 4, 6}}, 2); first difference: arguments[0].0[0]: 2 vs 1',
      'private members are compared and shown',
    );
  });

  it('finds a wrong return: a static method (JSON inputs), and a recursive method wrong only deeper down', async () => {
    const cents = await nativeSubject(cart, 'Cart::cents', runner);
    const rounded = await cents.candidate('long shop::Cart::cents(long units, int percent) {\n    return units * percent + (units > 5);\n}', 'rounded');
    const json: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[3, 2], [7, 100]], performance: [] };
    const wrong = await cents.runner.checkEquivalence(cents.original, rounded, json, OPTS);
    assertDifferent(wrong);
    assert.deepEqual([wrong.counterexample.kind, wrong.counterexample.input, wrong.counterexample.expected, wrong.counterexample.actual], ['return', '(7, 100)', 'returned 700', 'returned 701; first difference: result: 700 vs 701']);

    const weighted = await nativeSubject(cart, 'weighted', runner);
    const trees = generator(
      '#include <vector>\nvoid correctness_inputs(perfloop::Inputs& in) {\n  std::vector<long> v;\n  for (long i = 1; i <= 20; i++) { v.push_back(i); in.add(shop::Tree(v), 0, 1); }\n}\n',
    );
    // Wrong below depth 3 only: the top call is right, so only the candidate's own recursion shows it.
    const capped = await weighted.candidate(
      'long shop::Tree::weighted(std::size_t index, int depth) const {\n    if (index >= values_.size()) return 0;\n    long here = values_[index] * (depth > 3 ? 3 : depth);\n    return here + weighted(2 * index + 1, depth + 1) + weighted(2 * index + 2, depth + 1);\n}',
      'capped',
    );
    const deep = await weighted.runner.checkEquivalence(weighted.original, capped, trees, OPTS);
    assertDifferent(deep);
    assert.equal(deep.counterexample.kind, 'return');
    assert.equal(deep.counterexample.input, '(shop::Tree{{1, 2, 3, 4, 5, 6, 7, 8}}, 0, 1)');
  });

  it('reports a method candidate that does not compile as an error, in the method\'s own names', async () => {
    const s = await nativeSubject(cart, 'Cart::total', runner);
    const broken = await s.candidate('long shop::Cart::total() const {\n    long total = 0;\n    return total + items.sum();\n}', 'broken');
    const result = await s.runner.checkEquivalence(s.original, broken, CART, OPTS);
    assert.equal(result.status, 'error');
    const detail = result.status === 'error' ? (result.detail ?? '') : '';
    assert.match(result.status === 'error' ? result.reason : '', /does not compile/);
    assert.match(detail, /<candidate Cart::total>:3:\d+: error: .*sum/);
    assert.match(detail, /In member function .*shop::Cart::total\(\) const/);
    assert.doesNotMatch(detail, /perfloop_candidate_/);
  });

  it('asks for operator<< when the receiver a method changes cannot be compared', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'perfloop-native-method-'));
    try {
      const file = path.join(dir, 'counter.cpp');
      writeFileSync(file, '#include <vector>\nstruct Base { int id = 0; };\nclass Counter : public Base {\npublic:\n    void bump(int k) { log_.push_back(k); }\nprivate:\n    std::vector<int> log_;\n};\n');
      const s = await nativeSubject(file, 'bump');
      const same = await s.candidate('void Counter::bump(int k) { log_.push_back(k); }');
      const workload = generator('void correctness_inputs(perfloop::Inputs& in) { in.add(Counter{}, 1); }\n');
      await assert.rejects(
        s.runner.checkEquivalence(s.original, same, workload, OPTS),
        (e: unknown) => e instanceof RunnerError && /cannot compare `Counter` objects .*give the class an `operator<<`/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('NativeRunner (C++ function templates) @slow', function () {
  this.timeout(300_000);
  const stats = fixturePath('stats.cpp');
  const STATS: WorkloadSource = { kind: 'module', origin: 'user', path: fixturePath('stats.perfloop.cpp') };

  it('instantiates a function template with the types its inputs deduce: a faster rewrite measured, a wrong one caught', async () => {
    const s = await nativeSubject(stats, 'sum');
    assert.ok(s.target.functionSource.startsWith('template <class T>\nT sum('));
    const summary = await s.runner.checkWorkload(s.original, STATS, OPTS);
    assert.deepEqual(summary.examples, ['({})', '({5})', '({3, -1, 2})']);
    const fast = await s.candidate('template <class T>\nT sum(const std::vector<T>& values) {\n    T total{};\n    for (const T& v : values) total += v;\n    return total;\n}', 'fast');
    assert.deepEqual(await s.runner.checkEquivalence(s.original, fast, STATS, OPTS), { status: 'equivalent', inputsChecked: 9 });
    const samples = await s.runner.measureTime(s.original, fast, STATS, false, { ...OPTS, samples: 10, sampleSeconds: 0.03 });
    assert.equal(estimatePairedSpeedup(samples.original, samples.candidate).verdict, 'faster');
    const skipsLast = await s.candidate(
      'template <class T>\nT sum(const std::vector<T>& values) {\n    T total{};\n    for (std::size_t i = 0; i + 1 < values.size(); i++) total += values[i];\n    return total;\n}',
      'skips-last',
    );
    const wrong = await s.runner.checkEquivalence(s.original, skipsLast, STATS, OPTS);
    assertDifferent(wrong);
    assert.deepEqual([wrong.counterexample.kind, wrong.counterexample.input], ['return', '({5})']);
  });

  it('says why inputs cannot instantiate a template: JSON values, braced lists', async () => {
    const s = await nativeSubject(stats, 'sum');
    const json: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[[1, 2]]], performance: [] };
    await assert.rejects(s.runner.checkWorkload(s.original, json, OPTS), (e: unknown) => e instanceof RunnerError && /JSON inputs cannot instantiate the function template `sum`/.test(e.message));
    const braced: WorkloadSource = { kind: 'generator', origin: 'llm', source: 'void correctness_inputs(perfloop::Inputs& in) { in.add({1, 2}); }\n' };
    await assert.rejects(
      s.runner.checkWorkload(s.original, braced, OPTS),
      (e: unknown) => e instanceof RunnerError && /do not instantiate the function template `sum`.*typed values/.test(e.message) && /add/.test(e.detail ?? ''),
    );
  });
});

describe('C/C++ JSON workloads', () => {
  it('turns JSON values into C++ initializers', () => {
    assert.equal(cppLiteral([1, [2, 3], 'a"b\\c', true, null]), '{1, {2, 3}, "a\\"b\\\\c", true, {}}');
    assert.equal(cppLiteral(5_000_000_000), '5000000000LL');
    assert.equal(cppLiteral(0.5), '0.5');
    assert.equal(cppLiteral({ k: 1 }), '{{"k", 1}}');
    assert.equal(cppLiteral('é\n'), '"\\303\\251\\012"');
    assert.throws(() => cppLiteral(Number.NaN), RunnerError);
    const module = jsonWorkloadToCpp([[[1, 2], 3]], []);
    assert.match(module, /void correctness_inputs\(perfloop::Inputs& in\) \{\n {2}in\.add\(\{1, 2\}, 3\);\n\}/);
    assert.doesNotMatch(module, /performance_inputs/);
  });
});
