/**
 * C/C++ candidates that attack the judge rather than the problem (README.md, "Judged outside the judged"): each side
 * runs in a process of its own, so a candidate cannot reach the original's memory, and a timing worker's results and
 * caching are checked by Perfloop's coordinator. Every attack here went unnoticed when one executable ran both sides.
 */
import { judgedTiming, verdictOf } from '../support/judgedTiming.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CoordinatedTiming, TimingIntegrity } from '../../profilers/judge/timingCoordinator.js';
import { NativeRunner } from '../../profilers/native/nativeRunner.js';
import type { EquivalenceResult, ExtractedTarget, PairedTimingSamples, Program, RunOptions, TimingOptions, WorkloadSource } from '../../profilers/runner.js';
import { estimatePairedSpeedup } from '../../profilers/stats/speedup.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixturePath = (name: string): string => path.join(repoRoot, 'test/fixtures/native', name);

const OPTS: RunOptions = { sandbox: 'auto', timeoutMs: 60_000 };
const TIMING: TimingOptions = { ...OPTS, samples: 6, sampleSeconds: 0.03 };
const NUMBERS: WorkloadSource = { kind: 'module', origin: 'user', path: fixturePath('numbers.perfloop.cpp') };
const VECTORS: WorkloadSource = {
  kind: 'json',
  origin: 'user',
  correctness: [[[]], [[1, 2, 3]], [[2147483647, 2147483647, 5]], [[-4, 4, -4]], [[3, 1, 3, 2, 1]], [[9, 8, 7, 9, 8]]],
  performance: [[Array.from({ length: 3000 }, (_, i) => (i * 7919) % 1009)]],
};

interface Subject {
  runner: NativeRunner;
  target: ExtractedTarget;
  original: Program;
  candidate(code: string, id: string): Promise<Program>;
}

async function subject(file: string, functionName: string): Promise<Subject> {
  const runner = new NativeRunner({ dialect: file.endsWith('.c') ? 'c' : 'cpp' });
  const target = await runner.extractTarget(readFileSync(file, 'utf8'), file, { functionName });
  return {
    runner,
    target,
    original: runner.originalProgram(target),
    async candidate(code: string, id: string) {
      const build = await runner.buildCandidate(target, code, id);
      assert.ok(build.ok, build.ok ? '' : build.reason);
      return build.program;
    },
  };
}

function assertEquivalent(result: EquivalenceResult): void {
  assert.equal(result.status, 'equivalent', JSON.stringify(result));
}

/** The CPU seconds of the passes over fresh inputs, when both timing workers could make them. */
function freshPasses(timing: PairedTimingSamples): TimingIntegrity['freshPasses'] {
  return (timing as Partial<CoordinatedTiming>).integrity?.freshPasses;
}

/**
 * Rejected by the fresh-input probe (timingCoordinator.ts): two passes over inputs never timed before, the second far
 * cheaper than the first. The first-pass-against-steady probe used without them misses caches on a busy machine.
 */
function assertCaughtByFreshPasses(timing: PairedTimingSamples): void {
  assert.ok(freshPasses(timing), `no fresh passes: ${JSON.stringify(timing)}`);
  assert.match(timing.rejection ?? '', /keeps results between calls/, JSON.stringify(timing));
  assert.match(timing.rejection ?? '', /on inputs it had not seen before/, JSON.stringify(timing));
}

/** Inversions in C, quadratic, with a workload whose sized_input ignores any seed: its inputs depend on n alone. */
function writeInversions(dir: string): { file: string; workload: WorkloadSource } {
  const file = path.join(dir, 'inversions.c');
  writeFileSync(
    file,
    [
      '#include <stddef.h>',
      '',
      '/* Pairs i < j with a[i] > a[j]: quadratic. */',
      'long inversions(const int *a, size_t n) {',
      '    long count = 0;',
      '    for (size_t i = 0; i < n; i++)',
      '        for (size_t j = i + 1; j < n; j++)',
      '            if (a[i] > a[j]) count++;',
      '    return count;',
      '}',
      '',
    ].join('\n'),
  );
  const workload = path.join(dir, 'inversions.perfloop.cpp');
  writeFileSync(
    workload,
    [
      '#include <vector>',
      'void correctness_inputs(perfloop::Inputs& in) {',
      '    in.add({}, 0);',
      '    in.add({3, 1, 2}, 3);',
      '    in.add({1, 2, 3, 4}, 4);',
      '    in.add({4, 3, 2, 1}, 4);',
      '    in.add({5, 1, 4, 2, 3}, 5);',
      '}',
      'void sized_input(std::size_t n, perfloop::Inputs& in) {',
      '    std::vector<int> v(n);',
      '    for (std::size_t i = 0; i < n; i++) v[i] = static_cast<int>((i * 2654435761u) % 1000);',
      '    in.add(v, n);',
      '}',
      '',
    ].join('\n'),
  );
  return { file, workload: { kind: 'module', origin: 'user', path: workload } };
}

describe('C/C++ candidates attacking the judge @slow', function () {
  this.timeout(600_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'perfloop-native-judge-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a static std::map memo is rejected while timing: its second pass is a cache hit', async () => {
    const s = await subject(fixturePath('numbers.cpp'), 'count_pairs');
    await s.runner.checkWorkload(s.original, NUMBERS, OPTS);
    const memo = await s.candidate(
      [
        '#include <map>',
        '#include <utility>',
        'long count_pairs(const std::vector<int>& v, int target) {',
        '    static std::map<std::pair<std::vector<int>, int>, long> memo;',
        '    auto key = std::make_pair(v, target);',
        '    auto hit = memo.find(key);',
        '    if (hit != memo.end()) return hit->second;',
        '    long pairs = 0;',
        '    for (std::size_t i = 0; i < v.size(); i++)',
        '        for (std::size_t j = i + 1; j < v.size(); j++)',
        '            if (checked(v[i]) + checked(v[j]) == target) pairs++;',
        '    memo.emplace(key, pairs);',
        '    return pairs;',
        '}',
      ].join('\n'),
      'memo',
    );
    // Every input is called once: the memo gives the right answers.
    assertEquivalent(await s.runner.checkEquivalence(s.original, memo, NUMBERS, OPTS));
    const timing = await s.runner.measureTime(s.original, memo, NUMBERS, false, TIMING);
    assertCaughtByFreshPasses(timing);
  });

  it("a candidate writing the original's global through its symbol changes only its own process", async () => {
    const file = path.join(dir, 'scale.c');
    writeFileSync(file, '#include <stddef.h>\n\nint scale = 2;\n\nlong scaled(long x) {\n    return x * scale;\n}\n');
    const s = await subject(file, 'scaled');
    const inputs: WorkloadSource = { kind: 'json', origin: 'user', correctness: [[1], [2], [5]], performance: [[7]] };
    // Before main, it sets the original's `scale` to its own factor: in a shared process both would return x * 3.
    const rigged = await s.candidate(
      [
        'extern int original_scale __asm__("perfloop_original_scale");',
        '__attribute__((constructor)) static void rig(void) { original_scale = 3; }',
        'long scaled(long x) {',
        '    return x * 3;',
        '}',
      ].join('\n'),
      'rigged',
    );
    const result = await s.runner.checkEquivalence(s.original, rigged, inputs, OPTS);
    assert.equal(result.status, 'different', JSON.stringify(result));
    assert.equal(result.status === 'different' ? result.counterexample.kind : '', 'return');
    assert.equal(result.status === 'different' ? result.counterexample.input : '', '(1)');
    assert.match(result.status === 'different' ? `${result.counterexample.expected} / ${result.counterexample.actual}` : '', /^returned 2 \/ returned 3;/);
  });

  it('a C candidate returning its static last result for a repeated input is rejected while timing', async () => {
    const { file, workload: inputs } = writeInversions(dir);
    const s = await subject(file, 'inversions');
    await s.runner.checkWorkload(s.original, inputs, OPTS);
    const lastResult = await s.candidate(
      [
        'static long last_result = -1;',
        'static size_t last_n = (size_t)-1;',
        'static int last_first, last_middle, last_last;',
        'long inversions(const int *a, size_t n) {',
        '    if (n > 0 && n == last_n && a[0] == last_first && a[n / 2] == last_middle && a[n - 1] == last_last) return last_result;',
        '    long count = 0;',
        '    for (size_t i = 0; i < n; i++)',
        '        for (size_t j = i + 1; j < n; j++)',
        '            if (a[i] > a[j]) count++;',
        '    if (n > 0) { last_n = n; last_first = a[0]; last_middle = a[n / 2]; last_last = a[n - 1]; }',
        '    last_result = count;',
        '    return count;',
        '}',
      ].join('\n'),
      'last-result',
    );
    assertEquivalent(await s.runner.checkEquivalence(s.original, lastResult, inputs, OPTS));
    const timing = await s.runner.measureTime(s.original, lastResult, inputs, false, TIMING);
    assertCaughtByFreshPasses(timing);
  });

  it('an honest faster C candidate on a sized workload gets fresh passes and is not rejected', async () => {
    const { file, workload: inputs } = writeInversions(dir);
    const s = await subject(file, 'inversions');
    await s.runner.checkWorkload(s.original, inputs, OPTS);
    // Counting while merge-sorting a copy: n log n, nothing kept between calls. Its buffer of 2n ints per call is why
    // fresh inputs are a little smaller than the timed ones: at a size above any before, the first call faulted in new
    // memory and cost 4× the second (timingCoordinator.ts, "caching").
    const mergeSort = await s.candidate(
      [
        '#include <stdlib.h>',
        '#include <string.h>',
        'static long merge_count(int *a, int *tmp, size_t n) {',
        '    if (n < 2) return 0;',
        '    size_t mid = n / 2;',
        '    long count = merge_count(a, tmp, mid) + merge_count(a + mid, tmp, n - mid);',
        '    size_t i = 0, j = mid, k = 0;',
        '    while (i < mid && j < n) {',
        '        if (a[j] < a[i]) { count += (long)(mid - i); tmp[k++] = a[j++]; }',
        '        else tmp[k++] = a[i++];',
        '    }',
        '    while (i < mid) tmp[k++] = a[i++];',
        '    while (j < n) tmp[k++] = a[j++];',
        '    memcpy(a, tmp, n * sizeof *a);',
        '    return count;',
        '}',
        'long inversions(const int *a, size_t n) {',
        '    if (n < 2) return 0;',
        '    int *copy = malloc(2 * n * sizeof *copy);',
        '    memcpy(copy, a, n * sizeof *copy);',
        '    long count = merge_count(copy, copy + n, n);',
        '    free(copy);',
        '    return count;',
        '}',
      ].join('\n'),
      'merge-sort',
    );
    assertEquivalent(await s.runner.checkEquivalence(s.original, mergeSort, inputs, OPTS));
    const timing = await s.runner.measureTime(s.original, mergeSort, inputs, false, TIMING);
    assert.ok(freshPasses(timing), `no fresh passes: ${JSON.stringify(timing)}`);
    assert.equal(timing.rejection, undefined, JSON.stringify(timing));
    assert.equal(estimatePairedSpeedup(timing.original, timing.candidate).verdict, 'faster', JSON.stringify(timing));
  });

  it('a candidate that returns wrong results only after 30 calls is rejected while timing', async () => {
    const s = await subject(fixturePath('numbers.cpp'), 'total');
    const late = await s.candidate(
      [
        'long long total(const std::vector<int>& v) {',
        '    static long calls = 0;',
        '    long long sum = 0;',
        '    for (int x : v) sum += x;',
        '    return ++calls > 30 ? sum + 1 : sum;',
        '}',
      ].join('\n'),
      'late',
    );
    // Seven inputs, one call each: right every time.
    assertEquivalent(await s.runner.checkEquivalence(s.original, late, VECTORS, OPTS));
    const timing = await s.runner.measureTime(s.original, late, VECTORS, false, TIMING);
    assert.match(timing.rejection ?? '', /when timed, its result on performance input 0 differs from the original's/, JSON.stringify(timing));
  });

  it('a thread the candidate leaves spinning while the original is timed cannot make it look faster', async () => {
    const s = await subject(fixturePath('numbers.cpp'), 'count_pairs');
    await s.runner.checkWorkload(s.original, NUMBERS, OPTS);
    // The original's code, plus a thread that shares the caller's CPU and spins whenever the candidate is not running.
    const spinner = await s.candidate(
      [
        '#include <atomic>',
        '#include <thread>',
        '#include <sched.h>',
        '#include <time.h>',
        'static std::atomic<bool> candidate_running{false};',
        'static void share_one_cpu() {',
        '    cpu_set_t one;',
        '    CPU_ZERO(&one);',
        '    CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);',
        '    sched_setaffinity(0, sizeof one, &one);',
        '    std::thread([one]() {',
        '        sched_setaffinity(0, sizeof one, &one);',
        '        for (volatile unsigned long spin = 0;; spin = spin + 1) {',
        '            if (candidate_running.load(std::memory_order_relaxed)) {',
        '                timespec pause{0, 1000000};',
        '                nanosleep(&pause, nullptr);',
        '            }',
        '        }',
        '    }).detach();',
        '}',
        'long count_pairs(const std::vector<int>& v, int target) {',
        '    static bool started = (share_one_cpu(), true);',
        '    (void)started;',
        '    candidate_running.store(true, std::memory_order_relaxed);',
        '    long pairs = 0;',
        '    for (std::size_t i = 0; i < v.size(); i++)',
        '        for (std::size_t j = i + 1; j < v.size(); j++)',
        '            if (checked(v[i]) + checked(v[j]) == target) pairs++;',
        '    candidate_running.store(false, std::memory_order_relaxed);',
        '    return pairs;',
        '}',
      ].join('\n'),
      'spinner',
    );
    assertEquivalent(await s.runner.checkEquivalence(s.original, spinner, NUMBERS, OPTS));
    const judged = await judgedTiming(s.runner, s.original, spinner, NUMBERS, false, { ...TIMING, samples: 10 });
    assert.equal(judged.rejection, undefined);
    assert.notEqual(verdictOf(judged), 'faster', JSON.stringify(judged));
  });
});
