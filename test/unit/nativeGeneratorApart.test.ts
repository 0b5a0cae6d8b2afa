/**
 * An LLM-written C++ input generator runs apart from the code under test: one `inputs` process (an executable with the
 * generator and the original, never a candidate) makes each seed's inputs and writes them as data (harness/
 * perfloop_transfer.hpp), and every side's executable is built without the generator and reads them. Inputs that cannot
 * be data make the generator run beside the code, as before, and the workload summary says why. Real g++, real sandbox.
 * @slow
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunOptions, WorkloadSource } from '../../profilers/runner.js';
import { judgedTiming, verdictOf } from '../support/judgedTiming.js';
import { nativeSubject } from '../support/nativeSubject.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixturePath = (name: string): string => path.join(repoRoot, 'test/fixtures/native', name);

const OPTS: RunOptions = { sandbox: 'auto', timeoutMs: 60_000 };
const TIMING = { ...OPTS, samples: 8, sampleSeconds: 0.03 };
const generator = (source: string, timedSizedN?: number): WorkloadSource => ({
  kind: 'generator',
  origin: 'llm',
  source,
  ...(timedSizedN !== undefined ? { timedSizedN } : {}),
});
/** The inputs files the C/C++ runners made (what must not accumulate). */
const inputsFiles = (): string[] =>
  readdirSync(tmpdir())
    .filter((name) => name.startsWith('perfloop-native-inputs-'))
    .flatMap((dir) => readdirSync(path.join(tmpdir(), dir)).map((file) => path.join(tmpdir(), dir, file)));

/** A C++ file of its own in a temporary folder. */
function sourceFile(text: string): { file: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'perfloop-native-gen-test-'));
  const file = path.join(dir, 'subject.cpp');
  writeFileSync(file, text);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const SORTED_SUM = `#include <algorithm>
#include <vector>

long sorted_checksum(std::vector<int> xs) {
    std::sort(xs.begin(), xs.end());
    long sum = 0;
    for (std::size_t i = 0; i < xs.size(); i++) sum += xs[i] * static_cast<long>(i % 7);
    return sum;
}
`;

describe('C/C++ generator apart from the code under test @slow', function () {
  this.timeout(900_000);

  it("cannot slow the original's timing worker down: an identical candidate is not faster", async () => {
    // A static initialiser tells the original's executable (the weak candidate entry is null there) and a timing worker
    // (fd 4 is its channel); there it starts threads that stream through memory while the original is timed, and makes
    // every allocation a fresh mmap. Beside the code, this made an unchanged function read several times faster.
    const attack = generator(
      `#include <malloc.h>
#include <random>
#include <sys/stat.h>
#include <thread>
#include <vector>

namespace {
struct Spoiler {
  Spoiler() {
    struct stat channel;
    if (&perfloop_candidate::sorted_checksum != nullptr || ::fstat(4, &channel) != 0) return;
    ::mallopt(M_MMAP_THRESHOLD, 0);
    for (int t = 0; t < 3; t++) {
      std::thread([] {
        std::vector<char> buffer(std::size_t{1} << 24);
        for (;;) for (std::size_t i = 0; i < buffer.size(); i += 64) buffer[i]++;
      }).detach();
    }
  }
} spoiler;
}  // namespace

void correctness_inputs(perfloop::Inputs& in) {
  in.add({3, 1, 2});
  in.add({});
  in.add({5, 5, 4});
}

void sized_input(std::size_t n, perfloop::Inputs& in) {
  std::mt19937 rng(static_cast<unsigned>(n));
  std::vector<int> xs(n);
  for (int& x : xs) x = static_cast<int>(rng() % 100003);
  in.add(xs);
}
`,
      20_000,
    );
    const code = sourceFile(SORTED_SUM);
    const { runner, original, candidate } = await nativeSubject(code.file, 'sorted_checksum');
    try {
      const same = await candidate(SORTED_SUM.slice(SORTED_SUM.indexOf('long sorted_checksum')));
      const summary = await runner.checkWorkload(original, attack, OPTS);
      assert.equal(summary.generatorBesideCode, undefined);
      assert.equal((await runner.checkEquivalence(original, same, attack, OPTS)).status, 'equivalent');
      const judged = await judgedTiming(runner, original, same, attack, false, TIMING);
      assert.notEqual(verdictOf(judged), 'faster', `the generator slowed the original's worker: ${JSON.stringify(judged)}`);
    } finally {
      runner.dispose();
      code.remove();
    }
  });

  it('passes inputs of many types as data, class receivers included: identical candidates are equivalent, wrong ones incorrect', async () => {
    const mixed = sourceFile(MIXED);
    const { runner, original, candidate } = await nativeSubject(mixed.file, 'mix');
    const cart = await nativeSubject(fixturePath('cart.cpp'), 'shop::Cart::total');
    const consolidate = await nativeSubject(fixturePath('cart.cpp'), 'shop::Cart::consolidate');
    try {
      const workload = generator(MIXED_INPUTS, 300);
      const summary = await runner.checkWorkload(original, workload, OPTS);
      assert.equal(summary.generatorBesideCode, undefined);
      const body = MIXED.slice(MIXED.indexOf('long mix('));
      assert.equal((await runner.checkEquivalence(original, await candidate(body, 'same'), workload, OPTS)).status, 'equivalent');
      const wrong = await candidate(body.replace('return h;', 'return readings.size() > 1 ? h + 1 : h;'), 'wrong');
      assert.equal((await runner.checkEquivalence(original, wrong, workload, OPTS)).status, 'different');

      // A method's receiver (Perfloop's field list of shop::Cart, whose items are aggregates).
      const carts = generator(readFileSync(fixturePath('cart.perfloop.cpp'), 'utf8'), 2000);
      assert.equal((await cart.runner.checkWorkload(cart.original, carts, OPTS)).generatorBesideCode, undefined);
      const total = 'long total() const {\n    long sum = 0;\n    for (const Item& item : items) sum += item.price * item.qty;\n    return sum - sum * percentOff / 100;\n}';
      assert.equal((await cart.runner.checkEquivalence(cart.original, await cart.candidate(total), carts, OPTS)).status, 'equivalent');
      const off = await cart.candidate(total.replace('percentOff / 100', 'percentOff / 101'), 'off');
      assert.equal((await cart.runner.checkEquivalence(cart.original, off, carts, OPTS)).status, 'different');
      const samples = await cart.runner.measureTime(cart.original, await cart.candidate(total, 'timed'), carts, false, TIMING);
      assert.equal(samples.rejection, undefined, samples.rejection);

      // A receiver the call changes: compared after the call, field by field, on both sides' decoded copies.
      const merging = generator(CART_MERGES);
      assert.equal((await consolidate.runner.checkWorkload(consolidate.original, merging, OPTS)).generatorBesideCode, undefined);
      const keepsDuplicates = await consolidate.candidate('int Cart::consolidate() {\n    return 0;\n}');
      const verdict = await consolidate.runner.checkEquivalence(consolidate.original, keepsDuplicates, merging, OPTS);
      assert.equal(verdict.status, 'different', JSON.stringify(verdict));
    } finally {
      for (const each of [runner, cart.runner, consolidate.runner]) each.dispose();
      mixed.remove();
    }
  });

  it('runs a generator whose inputs hold pointers beside the code, says why, and still checks and times', async () => {
    const code = sourceFile(LINKS);
    const { runner, original, candidate } = await nativeSubject(code.file, 'weigh');
    const before = new Set(inputsFiles());
    try {
      const workload = generator(LINKS_INPUTS, 2000);
      const summary = await runner.checkWorkload(original, workload, OPTS);
      assert.match(summary.generatorBesideCode ?? '', /pointer \(const int\*\).*inside Link/);
      const same = await candidate(LINKS.slice(LINKS.indexOf('long weigh(')));
      assert.equal((await runner.checkEquivalence(original, same, workload, OPTS)).status, 'equivalent');
      const samples = await runner.measureTime(original, same, workload, false, TIMING);
      assert.equal(samples.rejection, undefined, samples.rejection);
      assert.ok(samples.original.length > 0 && samples.candidate.length > 0);
      assert.deepEqual(inputsFiles().filter((file) => !before.has(file)), []);
    } finally {
      runner.dispose();
      code.remove();
    }
  });

  it('fails with a clear error, not a crash, when a side is given a truncated or malformed inputs file', async () => {
    const code = sourceFile(SORTED_SUM);
    const { runner, original, candidate } = await nativeSubject(code.file, 'sorted_checksum');
    const before = new Set(inputsFiles());
    const body = SORTED_SUM.slice(SORTED_SUM.indexOf('long sorted_checksum'));
    try {
      const workload = generator(SORTED_INPUTS, 5000);
      assert.equal((await runner.checkEquivalence(original, await candidate(body, 'first'), workload, OPTS)).status, 'equivalent');
      const [file, ...others] = inputsFiles().filter((each) => !before.has(each));
      assert.ok(file && others.length === 0, 'one inputs file for the outcomes');
      const good = readFileSync(file);
      const damages: Array<[Buffer, RegExp]> = [
        [good.subarray(0, Math.floor(good.length / 2)), /malformed: (it ends early: the file is truncated|a count of \d+ is more than the rest of the file holds)/],
        [Buffer.concat([Buffer.from('NOTMINE!'), good.subarray(8)]), /malformed: it is not a Perfloop inputs file/],
        [Buffer.concat([good.subarray(0, 23), Buffer.alloc(8, 0xff), good.subarray(31)]), /malformed: a count of 18446744073709551615 is more than the rest of the file holds/],
        [Buffer.concat([good, Buffer.from([1, 2, 3])]), /malformed: 3 bytes follow its end/],
      ];
      for (const [index, [bytes, message]] of damages.entries()) {
        writeFileSync(file, bytes);
        const verdict = await runner.checkEquivalence(original, await candidate(body, `damaged-${index}`), workload, OPTS);
        assert.equal(verdict.status, 'error', JSON.stringify(verdict));
        assert.match(verdict.reason, message);
        assert.doesNotMatch(verdict.reason, /signal|SIGSEGV|SIGABRT/);
      }
      assert.ok(statSync(file).size > 0);
    } finally {
      runner.dispose();
      code.remove();
    }
  });
});

const SORTED_INPUTS = `#include <random>
void correctness_inputs(perfloop::Inputs& in) {
  in.add({3, 1, 2});
  in.add({});
}
void sized_input(std::size_t n, perfloop::Inputs& in) {
  std::mt19937 rng(static_cast<unsigned>(n));
  std::vector<int> xs(n);
  for (int& x : xs) x = static_cast<int>(rng() % 1000);
  in.add(xs);
}
`;

const MIXED = `#include <array>
#include <complex>
#include <deque>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

enum class Tone { low, high };

struct Reading {
    std::string label;
    long count;
    double weight;
    int marks[3];
    Tone tone;
};

long mix(const std::map<std::string, std::vector<int>>& groups, std::optional<double> scale, std::tuple<int, char, bool> flags,
         const std::set<long>& ids, std::deque<short> window, const std::list<std::string>& names, std::array<int, 3> triple,
         std::pair<int, std::string> tagged, const std::unordered_map<int, std::string>& lookup, const std::vector<bool>& bits,
         const std::vector<Reading>& readings, std::complex<double> turn, const char* text, int* counts, std::size_t ncounts) {
    long h = 0;
    for (const auto& [key, values] : groups) {
        h += static_cast<long>(key.size());
        for (int v : values) h = h * 31 + v;
    }
    h += scale ? static_cast<long>(*scale * 8) : -1;
    h += std::get<0>(flags) + std::get<1>(flags) + (std::get<2>(flags) ? 5 : 7);
    for (long id : ids) h = h * 7 + id;
    for (short w : window) h += w;
    for (const std::string& name : names) h += static_cast<long>(name.size()) * 3;
    for (int t : triple) h = h * 5 + t;
    h += tagged.first + static_cast<long>(tagged.second.size());
    for (const auto& [key, value] : lookup) h += key * static_cast<long>(value.size());
    for (bool bit : bits) h = h * 2 + bit;
    for (const Reading& r : readings) {
        h += static_cast<long>(r.label.size()) + r.count + static_cast<long>(r.weight * 4) + r.marks[0] + r.marks[1] * 2 + r.marks[2] * 3;
        h += r.tone == Tone::high ? 11 : 13;
    }
    h += static_cast<long>(turn.real() * 2 + turn.imag() * 3);
    for (const char* at = text; *at; at++) h += *at;
    for (std::size_t i = 0; i < ncounts; i++) counts[i] += static_cast<int>(i);
    return h;
}
`;

const MIXED_INPUTS = `#include <random>
void correctness_inputs(perfloop::Inputs& in) {
  in.add({{"a", {1, 2}}, {"bb", {}}}, 1.5, {1, 'x', true}, {3, 1}, {1, 2}, {"p", "q"}, {1, 2, 3}, {7, "seven"}, {{1, "one"}, {2, "two"}},
         {true, false, true}, {{"r", 2, 0.5, {1, 2, 3}, Tone::high}, {"s", -4, -0.25, {0, 0, 9}, Tone::low}}, {0.5, -1.5}, "text",
         {1, 2, 3}, 3);
  in.add({}, std::nullopt, {0, '\\0', false}, {}, {}, {}, {0, 0, 0}, {0, ""}, {}, {}, {}, {}, "", {}, 0);
  in.add({{"only", {-1}}}, -2.0, {-3, 'z', true}, {-9}, {-1}, {"x"}, {9, 8, 7}, {-1, "\\xff\\x01 bytes"}, {{-5, "neg"}}, {false},
         {{"a\\nb", 1, 1e300, {1, 1, 1}, Tone::low}}, {0, 0}, "tab\\there", {5}, 1);
}
void sized_input(std::size_t n, perfloop::Inputs& in) {
  std::mt19937 rng(static_cast<unsigned>(n));
  std::vector<Reading> readings;
  std::map<std::string, std::vector<int>> groups;
  for (std::size_t i = 0; i < n; i++) {
    readings.push_back({"r" + std::to_string(i), static_cast<long>(rng() % 100), (rng() % 1000) / 8.0, {1, 2, 3}, i % 2 ? Tone::high : Tone::low});
    groups["g" + std::to_string(i % 17)].push_back(static_cast<int>(rng() % 50));
  }
  std::vector<int> counts(n, 1);
  in.add(groups, 0.5, {1, 'y', false}, {1, 2, 3}, {4, 5}, {"n"}, {1, 2, 3}, {1, "t"}, {{3, "three"}}, std::vector<bool>(n % 50, true),
         readings, {1.0, 2.0}, "sized", counts, n);
}
`;

const CART_MERGES = `void correctness_inputs(perfloop::Inputs& in) {
  in.add(shop::Cart{{{"tea", 3, 2}, {"tea", 3, 1}, {"jam", 5, 1}}, 10});
  in.add(shop::Cart{{{"jam", 5, 1}}, 0});
  in.add(shop::Cart{});
}
`;

const LINKS = `#include <vector>

struct Link {
    int value;
    const int* next;
};

long weigh(const std::vector<Link>& links) {
    long total = 0;
    for (const Link& link : links) total += link.value * (link.next ? *link.next : 1);
    return total;
}
`;

const LINKS_INPUTS = `static const int kTwo = 2;
void correctness_inputs(perfloop::Inputs& in) {
  in.add({{1, nullptr}, {3, &kTwo}});
  in.add({});
}
void sized_input(std::size_t n, perfloop::Inputs& in) {
  std::vector<Link> links;
  for (std::size_t i = 0; i < n; i++) links.push_back({static_cast<int>(i % 13), i % 3 ? &kTwo : nullptr});
  in.add(links);
}
`;
