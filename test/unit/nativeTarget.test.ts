import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  applyNativeCandidate,
  buildNativeCandidate,
  dialectForFile,
  extractNativeTarget,
  originalNativeProgram,
  splitProgram,
  type Chunk,
  type SplitProgram,
} from '../../profilers/native/nativeTarget.js';
import { assembleHarnessPrelude, assembleProgramUnit, assembleTemplateProbe, entryExpressions } from '../../profilers/native/nativeUnits.js';
import { RunnerError } from '../../profilers/runner.js';

const CPP = `// Geometry helpers.
#include <algorithm>
#include <vector>

using namespace std;

#define SQUARE(x) ((x) * (x))

struct Point {
  int x, y;
  bool operator<(const Point& o) const { return x < o.x || (x == o.x && y < o.y); }
};

constexpr int LIMIT = 100;
static int calls = 0;
const char* label = "pts";

class Counter {
 public:
  int bump();
  int twice() { return bump() * 2; }
  static int total;
};

int Counter::bump() { return ++total; }
int Counter::total = 0;

bool operator==(const Point& a, const Point& b) { return a.x == b.x && a.y == b.y; }

template <typename T>
struct Box {
  T value;
};

template <typename T>
T biggest(const vector<T>& v) { return *max_element(v.begin(), v.end()); }

/** Distance squared. */
static inline long dist2(const Point& a, const Point& b) {
  return SQUARE(a.x - b.x) + SQUARE(a.y - b.y);
}

namespace geo {
struct Seg { Point a, b; };
int helper(int v) { return v + LIMIT; }
long closest(const vector<Point>& pts, int k = 3) {
  calls++;
  long best = -1;
  for (size_t i = 0; i < pts.size(); i++)
    for (size_t j = i + 1; j < pts.size(); j++) {
      long d = dist2(pts[i], pts[j]);
      if (best < 0 || d < best) best = d;
    }
  return best + helper(k);
}
}  // namespace geo

int scale(int v) { return v * 2; }
double scale(double v) { return v * 2; }

int main() {
  vector<Point> p{{1, 2}, {3, 4}};
  return (int)geo::closest(p);
}
`;

const C = `/* Counting. */
#include <stdlib.h>
#include <stdbool.h>

#define CAP 1024
#define MAX(a, b) ((a) > (b) ? (a) : (b))

typedef struct {
  int *data;
  size_t len;
} vec_t;

typedef struct node {
  struct node *next;
  int value;
} node_t;

static const int SCALE = 3;
int total_calls = 0;
extern int external_counter;
static int count_unique(const int *restrict a, size_t n);

/* Scales one value. */
static int scale(int v) { return v * SCALE; }

static int count_unique(const int *restrict a, size_t n) {
  total_calls++;
  bool *seen = calloc(CAP, sizeof(bool));
  int count = 0;
  for (size_t i = 0; i < n; i++) {
    int v = abs(scale(a[i])) % CAP;
    if (!seen[v]) { seen[v] = true; count = MAX(count, count + 1); }
  }
  free(seen);
  return count;
}

int old_style(a, b) int a; int b; { return a + b; }

int sum_vec(vec_t v) {
  int s = 0;
  for (size_t i = 0; i < v.len; i++) s += v.data[i];
  return s;
}

int main(void) {
  int a[] = {1, 2, 2, 3};
  return count_unique(a, 4);
}
`;

const SHOP = `#include <vector>

static long doubled(long v) { return v * 2; }

namespace shop {
struct Item {
  long price;
  int qty;
};

class Cart {
 public:
  std::vector<Item> items;
  int percentOff = 0;

  /** The total after the discount. */
  long total() const {
    long sum = 0;
    for (const Item& it : items) sum += it.price * it.qty;
    return sum - sum * percentOff / 100;
  }
  int add(const Item& item, int times = 1);
  static long cents(long units) { return doubled(units) * 50; }
  long weight() const { return doubled(static_cast<long>(items.size())); }
};

int Cart::add(const Item& item, int times) {
  for (int i = 0; i < times; i++) items.push_back(item);
  return static_cast<int>(items.size());
}
}  // namespace shop

struct Node {
  long value;
  std::vector<Node> kids;
  long sum() const {
    long s = value;
    for (const Node& k : kids) s += k.sum();
    return s;
  }
};

int main() { shop::Cart c; return static_cast<int>(c.total()); }
`;

const REFUSED = `#include <vector>
struct Shape {
  Shape() {}
  explicit Shape(int s) : side(s) {}
  ~Shape() {}
  bool operator==(const Shape& o) const { return side == o.side; }
  virtual long area() const { return side * side; }
  long perimeter() const;
  template <class F> void apply(F f) { f(side); }
  friend long twice(const Shape& s) { return 2 * s.side; }
  int side = 0;
};
long Shape::perimeter() const { return 4 * side; }
template <class T> struct Box { T v; T get() const { return v; } };
long Outside::size() const { return 0; }
`;

const lineOfText = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;
const texts = (chunks: Chunk[]): string[] => chunks.map((c) => c.text.trim());
const find = (chunks: Chunk[], start: string): Chunk => {
  const chunk = chunks.find((c) => c.text.trimStart().startsWith(start) || c.text.includes(`\n${start}`));
  assert.ok(chunk, `no chunk starting with ${start}: ${JSON.stringify(texts(chunks))}`);
  return chunk;
};

describe('nativeTarget', () => {
  describe('dialectForFile', () => {
    it('goes by extension, and by content for headers', () => {
      assert.equal(dialectForFile('/a/x.c'), 'c');
      for (const file of ['x.cpp', 'x.cc', 'x.cxx', 'x.c++', 'x.hpp', 'x.hh', 'x.hxx', 'x.ipp']) assert.equal(dialectForFile(file), 'cpp', file);
      assert.equal(dialectForFile('x.h', '#include <stdio.h>\nint f(int x);\n'), 'c');
      assert.equal(dialectForFile('x.h', '#include <vector>\nint f(int x);\n'), 'cpp');
      assert.equal(dialectForFile('x.h', 'namespace a { int f(); }'), 'cpp');
      assert.equal(dialectForFile('x.h', 'template <class T> T f(T x);'), 'cpp');
      assert.equal(dialectForFile('x.h', '/* class Foo, std::vector */ int f(void);'), 'c');
      assert.equal(dialectForFile('x.h'), 'c');
    });
  });

  describe('extractNativeTarget', () => {
    it('finds a C++ function in a namespace by name, with what it needs from the file', async () => {
      const target = await extractNativeTarget(CPP, '/p/geo.cpp', { functionName: 'closest' });
      assert.equal(target.language, 'cpp');
      assert.equal(target.functionName, 'closest');
      assert.equal(target.range.start, lineOfText(CPP, 'long closest('));
      assert.equal(CPP.slice(target.startOffset, target.endOffset), target.functionSource);
      assert.ok(target.functionSource.startsWith('long closest(const vector<Point>& pts, int k = 3) {'));
      assert.deepEqual(target.parameters, ['pts', 'k']);
      assert.deepEqual(target.contextNames.sort(), ['LIMIT', 'Point', 'SQUARE', 'calls', 'dist2', 'helper', 'operator=='].sort());
      for (const present of ['#include <algorithm>', '#include <vector>', 'using namespace std;', 'struct Point {', 'constexpr int LIMIT', 'static inline long dist2', 'namespace geo {\nint helper(int v)']) {
        assert.ok(target.contextSource.includes(present), present);
      }
      for (const absent of ['Counter', 'Box', 'biggest', 'label', 'main', 'Seg', 'long closest']) assert.ok(!target.contextSource.includes(absent), absent);
      const qualified = await extractNativeTarget(CPP, '/p/geo.cpp', { functionName: 'geo::closest' });
      assert.equal(qualified.startOffset, target.startOffset);
    });

    it('finds a function by a line inside it, the innermost one', async () => {
      const target = await extractNativeTarget(CPP, '/p/geo.cpp', { lines: { start: lineOfText(CPP, 'return SQUARE'), end: lineOfText(CPP, 'return SQUARE') } });
      assert.equal(target.functionName, 'dist2');
      assert.ok(target.functionSource.startsWith('static inline long dist2'), 'the definition itself, not its comment');
      assert.deepEqual(target.contextNames.sort(), ['Point', 'SQUARE', 'operator=='].sort());
      // Overloads can be told apart by line.
      const line = lineOfText(CPP, 'double scale');
      assert.equal((await extractNativeTarget(CPP, '/p/geo.cpp', { lines: { start: line, end: line } })).functionSource, 'double scale(double v) { return v * 2; }');
    });

    it('finds C functions by name and by lines', async () => {
      const target = await extractNativeTarget(C, '/p/count.c', { functionName: 'count_unique' });
      assert.equal(target.language, 'c');
      assert.equal(target.range.start, lineOfText(C, 'static int count_unique(const int *restrict a, size_t n) {'));
      assert.deepEqual(target.parameters, ['a', 'n']);
      assert.deepEqual(target.contextNames.sort(), ['CAP', 'MAX', 'SCALE', 'scale', 'total_calls'].sort());
      assert.match(target.contextSource, /^#include <stdlib.h>\n\n#include <stdbool.h>/);
      for (const absent of ['vec_t', 'node_t', 'external_counter', 'sum_vec', 'main']) assert.ok(!target.contextSource.includes(absent), absent);
      const line = lineOfText(C, 'for (size_t i = 0; i < v.len');
      const byLine = await extractNativeTarget(C, '/p/count.c', { lines: { start: line, end: line + 1 } });
      assert.equal(byLine.functionName, 'sum_vec');
      assert.deepEqual(byLine.contextNames, ['vec_t']);
    });

    it('names unnamed parameters and reads (void) as none', async () => {
      const code = 'int f(int, char **argv, ...) { return 0; }\nint g(void) { return 1; }\n';
      assert.deepEqual((await extractNativeTarget(code, 'x.c', { functionName: 'f' })).parameters, ['arg1', 'argv', '...']);
      assert.deepEqual((await extractNativeTarget(code, 'x.c', { functionName: 'g' })).parameters, []);
    });

    it('refuses main, operators, overloads, unknown names and K&R definitions, saying what to do', async () => {
      const cases: [Parameters<typeof extractNativeTarget>[2], RegExp, string?][] = [
        [{ functionName: 'main' }, /entry point/],
        [{ functionName: 'operator==' }, /operators are not supported yet/i],
        [{ functionName: 'scale' }, /`scale` is defined 2 times.*--lines/],
        [{ functionName: 'nope' }, /No function named `nope` in \/p\/geo.cpp\. Functions there: Counter::twice, Counter::bump, biggest, dist2, geo::helper, geo::closest, scale\./],
        [{ lines: { start: 1, end: 2 } }, /not inside a function/],
      ];
      for (const [spec, message] of cases) {
        await assert.rejects(extractNativeTarget(CPP, '/p/geo.cpp', spec), (e: unknown) => e instanceof RunnerError && message.test(e.message), JSON.stringify(spec));
      }
      await assert.rejects(extractNativeTarget(C, '/p/count.c', { functionName: 'old_style' }), /K&R-style/);
      await assert.rejects(extractNativeTarget('auto f(int x) { return x; }', 'a.cpp', { functionName: 'f' }), /deduced return type/);
    });
  });

  describe('splitProgram', () => {
    it('sorts a C++ program into includes, shared parts, shared definitions and per-side parts, keeping lines', async () => {
      const target = await extractNativeTarget(CPP, '/p/geo.cpp', { functionName: 'closest' });
      const program = originalNativeProgram(target);
      assert.equal(program.id, 'original');
      assert.equal(program.source.split('\n').length, CPP.split('\n').length, 'main is blanked, not removed');
      assert.ok(!program.source.includes('int main'));
      const split = await splitProgram(program.source, 'cpp', 'closest');

      assert.deepEqual(texts(split.includes), ['// Geometry helpers.\n#include <algorithm>', '#include <vector>']);
      assert.deepEqual(texts(split.shared), [
        'using namespace std;',
        '#define SQUARE(x) ((x) * (x))',
        'struct Point {\n  int x, y;\n  bool operator<(const Point& o) const { return x < o.x || (x == o.x && y < o.y); }\n};',
        'constexpr int LIMIT = 100;',
        'class Counter {\n public:\n  int bump();\n  int twice() { return bump() * 2; }\n  static int total;\n};',
        'bool operator==(const Point& a, const Point& b);',
        'template <typename T>\nstruct Box {\n  T value;\n};',
        'struct Seg { Point a, b; };',
      ]);
      assert.deepEqual(texts(split.sharedDefinitions), [
        'int Counter::bump() { return ++total; }',
        'int Counter::total = 0;',
        'bool operator==(const Point& a, const Point& b) { return a.x == b.x && a.y == b.y; }',
      ]);
      assert.deepEqual(
        split.perSide.map((c) => c.text.split('\n')[0]),
        [
          'static int calls = 0;',
          'const char* label = "pts";', // a pointer to const is not const itself: each side has its own
          'template <typename T>',
          '/** Distance squared. */',
          'int helper(int v) { return v + LIMIT; }',
          'long closest(const vector<Point>& pts, int k = 3) {',
          'int scale(int v) { return v * 2; }',
          'double scale(double v) { return v * 2; }',
        ],
      );
      assert.deepEqual(split.perSideNames, ['calls', 'label', 'biggest', 'dist2', 'helper', 'closest', 'scale']);
      assert.deepEqual(find(split.shared, 'struct Seg').namespacePath, ['geo']);
      assert.deepEqual(find(split.perSide, 'long closest').namespacePath, ['geo']);
      assert.deepEqual(find(split.perSide, 'static int calls').namespacePath, []);
      // Lines are the file's, for #line.
      for (const [chunks, start, needle] of [
        [split.includes, '// Geometry', '// Geometry'],
        [split.shared, 'struct Point', 'struct Point'],
        [split.shared, 'bool operator==', 'bool operator=='],
        [split.sharedDefinitions, 'int Counter::total', 'int Counter::total'],
        [split.perSide, '/** Distance', '/** Distance'],
        [split.perSide, 'long closest', 'long closest'],
      ] as const) {
        assert.equal(find(chunks, start).line, lineOfText(CPP, needle), start);
      }
      assert.deepEqual(split.signature, {
        returnType: 'long',
        parameters: '(const vector<Point>& pts, int k = 3)',
        prototype: 'long closest(const vector<Point>& pts, int k = 3);',
        parameterTypes: ['const vector<Point>&', 'int'],
        functionType: 'long (const vector<Point>&, int)',
      });
      assert.deepEqual(split.namespacePath, ['geo']);
      assert.equal(split.qualifiedName, 'geo::closest');
      assert.equal(split.targetLine, target.range.start);
      assert.deepEqual(entryExpressions(split, 'cpp'), { original: '&perfloop_original::geo::closest', candidate: '&perfloop_candidate::geo::closest' });
    });

    it('sees through anonymous and inline namespaces, and drops comments that close a block', async () => {
      const code = `namespace {\nstruct Hidden { int v; };\nint anon(int x) { return x; }\n}  // namespace\ninline namespace v1 { int g(int x) { return anon(x); } }\nint f(int x) { return g(x); }  // trailing\n`;
      const split = await splitProgram(code, 'cpp', 'f');
      assert.deepEqual(split.shared.map((c) => [c.text, c.namespacePath]), [['struct Hidden { int v; };', []]]);
      assert.deepEqual(split.perSide.map((c) => [c.text, c.namespacePath]), [
        ['int anon(int x) { return x; }', []],
        ['int g(int x) { return anon(x); }', []],
        ['int f(int x) { return g(x); }  // trailing', []],
      ]);
      assert.equal(split.qualifiedName, 'f');
    });

    it('blanks the target\'s static and inline, keeping columns and lines', async () => {
      const target = await extractNativeTarget(CPP, '/p/geo.cpp', { functionName: 'dist2' });
      const split = await splitProgram(originalNativeProgram(target).source, 'cpp', 'dist2');
      const chunk = find(split.perSide, '/** Distance');
      assert.equal(chunk.text.split('\n')[1], '              long dist2(const Point& a, const Point& b) {');
      assert.equal(split.signature.prototype, 'long dist2(const Point& a, const Point& b);');
      assert.equal(split.qualifiedName, 'dist2');
      // Other functions keep theirs.
      const other = await splitProgram(originalNativeProgram(target).source, 'cpp', 'closest');
      assert.match(find(other.perSide, '/** Distance').text, /\nstatic inline long dist2/);
    });

    it('sorts a C program: every global per side, types and macros shared, external declarations shared', async () => {
      const target = await extractNativeTarget(C, '/p/count.c', { functionName: 'count_unique' });
      const split = await splitProgram(originalNativeProgram(target).source, 'c', 'count_unique');
      assert.deepEqual(texts(split.includes), ['/* Counting. */\n#include <stdlib.h>', '#include <stdbool.h>']);
      assert.deepEqual(texts(split.shared), [
        '#define CAP 1024',
        '#define MAX(a, b) ((a) > (b) ? (a) : (b))',
        'typedef struct {\n  int *data;\n  size_t len;\n} vec_t;',
        'typedef struct node {\n  struct node *next;\n  int value;\n} node_t;',
        'extern int external_counter;',
      ]);
      assert.deepEqual(split.sharedDefinitions, []);
      assert.deepEqual(
        split.perSide.map((c) => c.text.split('\n')[0]),
        [
          'static const int SCALE = 3;',
          'int total_calls = 0;',
          '       int count_unique(const int *restrict a, size_t n);', // the target's prototype loses `static` too
          '/* Scales one value. */',
          '       int count_unique(const int *restrict a, size_t n) {',
          'int old_style(a, b) int a; int b; { return a + b; }',
          'int sum_vec(vec_t v) {',
        ],
      );
      assert.deepEqual(split.perSideNames, ['SCALE', 'total_calls', 'count_unique', 'scale', 'old_style', 'sum_vec']);
      assert.equal(find(split.perSide, '/* Scales').line, lineOfText(C, '/* Scales'));
      assert.equal(split.signature.returnType, 'int');
      assert.equal(split.signature.prototype, 'int count_unique(const int *restrict a, size_t n);');
      assert.deepEqual(split.signature.parameterTypes, ['const int*restrict', 'size_t']);
      assert.deepEqual(entryExpressions(split, 'c'), { original: '&perfloop_original_count_unique', candidate: '&perfloop_candidate_count_unique' });
    });

    it('drops include guards and #pragma once, unwraps extern "C", and splits conditionals that hold functions', async () => {
      const header = `/* Fast sums. */
#ifndef FAST_H
#define FAST_H
#pragma once
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
#ifdef _WIN32
#include <windows.h>
#else
#include <unistd.h>
#endif
#if WIDE
typedef long item_t;
#else
typedef int item_t;
#endif
#ifdef DEBUG
static int trace = 1;
typedef int dbg_t;
#else
static int trace = 0;
#endif
int fast(const item_t *a, size_t n) { return trace + (int)n; }
#ifdef __cplusplus
}
#endif
#endif
`;
      const split = await splitProgram(header, 'c', 'fast');
      assert.deepEqual(texts(split.includes), ['#include <stddef.h>', '#ifdef _WIN32\n#include <windows.h>\n#else\n#include <unistd.h>\n#endif']);
      assert.deepEqual(texts(split.shared), ['#if WIDE\ntypedef long item_t;\n#else\ntypedef int item_t;\n#endif', '#ifdef DEBUG', 'typedef int dbg_t;', '#else', '#endif']);
      assert.deepEqual(texts(split.perSide), ['#ifdef DEBUG', 'static int trace = 1;', '#else', 'static int trace = 0;', '#endif', 'int fast(const item_t *a, size_t n) { return trace + (int)n; }']);
      assert.deepEqual(
        split.perSide.map((c) => c.line),
        [19, 20, 22, 23, 24, 25],
      );
      const cpp = await splitProgram(header, 'cpp', 'fast');
      assert.equal(find(cpp.perSide, 'int fast').linkage, undefined, 'per side code leaves extern "C" (each side needs its own symbol)');
      assert.equal(find(cpp.includes, '#include <stddef.h>').linkage, undefined);
      assert.equal(find(cpp.shared, '#if WIDE').linkage, '"C"');
    });
  });

  describe('candidates', () => {
    it('builds a candidate from the function alone: the original program with the function replaced', async () => {
      const target = await extractNativeTarget(C, '/p/count.c', { functionName: 'count_unique' });
      const code = `int count_unique(const int *a, size_t count) {
  total_calls++;
  return (int)count;
}`;
      const build = await buildNativeCandidate(target, code, 'c1');
      assert.ok(build.ok, build.ok ? '' : build.reason);
      assert.equal(build.program.id, 'c1');
      assert.equal(build.program.functionName, 'count_unique');
      const expected = originalNativeProgram(target).source.replace(target.functionSource, `static ${code}`);
      assert.equal(build.program.source, expected, 'the original `static` is kept when the candidate drops it');
    });

    it('adds new helpers before the function, replaces rewritten ones in place, adds includes, drops repeats and main', async () => {
      const target = await extractNativeTarget(CPP, '/p/geo.cpp', { functionName: 'closest' });
      const code = `#include <vector>
#include <unordered_set>
using namespace std;
struct Point {
  int x, y;
  bool operator<(const Point& o) const { return x < o.x || (x == o.x && y < o.y); }
};
// squares
static inline long sq(long v) { return v * v; }
namespace geo {
int helper(int v) { return v + LIMIT + 1; }
long closest(const std::vector<Point>& points, int k = 3) {
  long best = -1;
  for (size_t i = 0; i < points.size(); i++)
    for (size_t j = i + 1; j < points.size(); j++) {
      long d = sq(points[i].x - points[j].x) + sq(points[i].y - points[j].y);
      if (best < 0 || d < best) best = d;
    }
  calls++;
  return best + helper(k);
}
}
int main() { return 7; }
`;
      const build = await buildNativeCandidate(target, code, 'c2');
      assert.ok(build.ok, build.ok ? '' : build.reason);
      const source = build.program.source;
      assert.match(source, /#include <vector>\n#include <unordered_set>\n\nusing namespace std;/);
      assert.equal(source.match(/struct Point \{/g)?.length, 1);
      assert.equal(source.match(/using namespace std;/g)?.length, 1);
      assert.match(source, /struct Seg \{ Point a, b; \};\nint helper\(int v\) \{ return v \+ LIMIT \+ 1; \}\n\/\/ squares\nstatic inline long sq\(long v\) \{ return v \* v; \}\n\nlong closest\(const std::vector<Point>& points, int k = 3\) \{\n  long best = -1;/);
      assert.ok(!source.includes('return v + LIMIT; }'), 'the old helper is gone');
      assert.ok(!source.includes('int main') && !source.includes('return 7'), 'neither main is kept');
      assert.ok(source.includes('int Counter::bump()'), 'the rest of the file stays');
      const split = await splitProgram(source, 'cpp', 'closest');
      assert.deepEqual(find(split.perSide, '// squares').namespacePath, ['geo']);
    });

    it('accepts a candidate that qualifies the name, writing it unqualified inside its namespace', async () => {
      const target = await extractNativeTarget(CPP, '/p/geo.cpp', { functionName: 'closest' });
      const build = await buildNativeCandidate(target, 'long geo::closest(const vector<Point>& pts, int k) { return k; }', 'q');
      assert.ok(!build.ok && /changes the signature/.test(build.reason), 'a dropped default argument is a signature change');
      const qualified = await buildNativeCandidate(target, 'long geo::closest(const vector<Point>& pts, int k = 3) { return k; }', 'q');
      assert.ok(qualified.ok, qualified.ok ? '' : qualified.reason);
      assert.match(qualified.program.source, /int helper\(int v\) \{ return v \+ LIMIT; \}\nlong closest\(const vector<Point>& pts, int k = 3\) \{ return k; \}\n\}  \/\/ namespace geo/);
    });

    it('refuses changed signatures, changed types, missing functions and code that does not parse', async () => {
      const target = await extractNativeTarget(CPP, '/p/geo.cpp', { functionName: 'closest' });
      const body = '{ return 0; }';
      const cases: [string, RegExp][] = [
        [`long closest(const vector<Point>& pts, long k = 3) ${body}`, /the candidate changes the signature of `closest` \(`long closest\(const vector<Point>&, long = 3\)` instead of `long closest\(const vector<Point>&, int = 3\)`\)/],
        [`long closest(const vector<Point>& pts, int k) ${body}`, /changes the signature/],
        [`int closest(const vector<Point>& pts, int k = 3) ${body}`, /changes the signature/],
        [`struct Point { long x, y; };\nlong closest(const vector<Point>& pts, int k = 3) ${body}`, /the candidate redefines `struct Point`; Perfloop keeps the file's types \(they are shared with the original\)/],
        [`#define SQUARE(x) ((x)*(x)*1)\nlong closest(const vector<Point>& pts, int k = 3) ${body}`, /redefines the macro `SQUARE`/],
        [`int Counter::bump() { return 0; }\nlong closest(const vector<Point>& pts, int k = 3) ${body}`, /changes `Counter::bump`/],
        [`long nearest(const vector<Point>& pts, int k = 3) ${body}`, /does not define the function `closest` \(it defines `nearest`\)/],
        [`long closest(const vector<Point>& pts, int k = 3) {\n  return pts.size( +;\n}`, /does not parse as C\+\+ \(syntax error near line 2\)/],
        [`long closest(const vector<Point>& pts, int k = 3) ${body}\nlong closest(const vector<Point>& p, int k = 3) ${body}`, /more than once/],
      ];
      for (const [code, reason] of cases) {
        const build = await buildNativeCandidate(target, code, 'c');
        assert.ok(!build.ok && reason.test(build.reason), `${code}\n→ ${build.ok ? 'ok' : build.reason}`);
      }
      // Parameter names, std:: and whitespace may change; identical repeats of types are fine.
      const renamed = await buildNativeCandidate(target, `struct Point {\n  int x, y;\n  bool operator<(const Point& o) const { return x < o.x || (x == o.x && y < o.y); }\n};\nlong closest(const std::vector< Point > &p, int n = 3) ${body}`, 'c');
      assert.ok(renamed.ok, renamed.ok ? '' : renamed.reason);
    });

    it('applies a candidate to the user\'s file, keeping main, and refuses what it cannot build', async () => {
      const target = await extractNativeTarget(C, '/p/count.c', { functionName: 'count_unique' });
      const code = `#include <string.h>
static int count_unique(const int *restrict a, size_t n) {
  total_calls++;
  static bool seen[CAP];
  memset(seen, 0, sizeof seen);
  int count = 0;
  for (size_t i = 0; i < n; i++) {
    int v = abs(scaled(a[i])) % CAP;
    count += !seen[v];
    seen[v] = true;
  }
  return count;
}
static inline int scaled(int v) { return v * SCALE; }
int main(void) { return 0; }`;
      const applied = await applyNativeCandidate(target, code);
      assert.match(applied, /#include <stdbool.h>\n#include <string.h>\n\n#define CAP/);
      assert.match(applied, /\nstatic inline int scaled\(int v\) \{ return v \* SCALE; \}\n\nstatic int count_unique\(const int \*restrict a, size_t n\) \{\n  total_calls\+\+;\n  static bool seen\[CAP\];/);
      assert.ok(applied.includes('int main(void) {\n  int a[] = {1, 2, 2, 3};'), 'the file\'s main stays');
      assert.ok(!applied.includes('int main(void) { return 0; }'));
      assert.ok(applied.includes('static int count_unique(const int *restrict a, size_t n);'), 'the prototype stays');
      const build = await buildNativeCandidate(target, code, 'c3');
      assert.ok(build.ok);
      assert.equal(build.program.source, applied.replace(/int main\(void\) \{[^]*\}\n$/, (main) => `${'\n'.repeat(main.split('\n').length - 2)}\n`));
      await assert.rejects(applyNativeCandidate(target, 'int count_unique(int *a) { return 0; }'), (e: unknown) => e instanceof RunnerError && /Cannot apply the candidate: the candidate changes the signature/.test(e.message));
    });
  });

  describe('methods', () => {
    const at = (text: string, needle: string) => ({ lines: { start: lineOfText(text, needle), end: lineOfText(text, needle) } });

    it('finds methods by name and by a line inside them: in class, out of class, static, in a namespace', async () => {
      const total = await extractNativeTarget(SHOP, '/p/shop.cpp', { functionName: 'total' });
      assert.equal(total.functionName, 'shop::Cart::total');
      assert.deepEqual({ ...total.method, programContext: '' }, { className: 'shop::Cart', name: 'total', isStatic: false, programContext: '' });
      assert.deepEqual(total.parameters, ['this']);
      assert.equal(total.range.start, lineOfText(SHOP, 'long total() const {'));
      assert.equal(SHOP.slice(total.startOffset, total.endOffset), total.functionSource);
      assert.ok(total.functionSource.startsWith('long total() const {\n    long sum = 0;') && total.functionSource.endsWith('\n  }'));
      // The prompt's context has a note in the method's place; programs are built from the whole class.
      assert.ok(
        total.contextSource.includes(
          'namespace shop {\nclass Cart {\n public:\n  std::vector<Item> items;\n  int percentOff = 0;\n\n  /** The total after the discount. */\n  // Cart::total(…): the method to optimize, shown on its own\n  int add(const Item& item, int times = 1);',
        ),
        total.contextSource,
      );
      assert.ok(!total.contextSource.includes('long sum = 0;'));
      assert.ok(total.method?.programContext.includes('  long total() const {\n    long sum = 0;'));
      assert.deepEqual(total.contextNames, ['doubled', 'Item', 'Cart', 'Cart::add']);
      assert.ok(!total.contextSource.includes('struct Node'));
      for (const spec of [{ functionName: 'Cart::total' }, { functionName: 'shop::Cart::total' }, at(SHOP, 'long sum = 0;')]) {
        assert.equal((await extractNativeTarget(SHOP, '/p/shop.cpp', spec)).startOffset, total.startOffset, JSON.stringify(spec));
      }

      const add = await extractNativeTarget(SHOP, '/p/shop.cpp', { functionName: 'add' });
      assert.equal(add.functionName, 'shop::Cart::add');
      assert.deepEqual(add.parameters, ['this', 'item', 'times']);
      assert.equal(add.range.start, lineOfText(SHOP, 'int Cart::add('));
      assert.ok(add.contextSource.includes('  int add(const Item& item, int times = 1);\n') && add.contextSource.includes('long sum = 0;'), 'the class as it is');
      assert.ok(!add.contextSource.includes('int Cart::add('), 'the definition is shown on its own');
      assert.ok(add.method?.programContext.endsWith('namespace shop {\nint Cart::add(const Item& item, int times) {\n  for (int i = 0; i < times; i++) items.push_back(item);\n  return static_cast<int>(items.size());\n}\n}'));

      const cents = await extractNativeTarget(SHOP, '/p/shop.cpp', { functionName: 'Cart::cents' });
      assert.deepEqual([cents.method?.isStatic, cents.parameters], [true, ['units']]);
      const sum = await extractNativeTarget(SHOP, '/p/shop.cpp', at(SHOP, 's += k.sum()'));
      assert.deepEqual([sum.functionName, sum.method?.className], ['Node::sum', 'Node']);
    });

    it('refuses constructors, destructors, operators, virtual methods, member templates, friends, class templates and unseen classes, saying why', async () => {
      const cases: [Parameters<typeof extractNativeTarget>[2], RegExp][] = [
        [at(REFUSED, 'Shape() {}'), /`Shape::Shape` .* is a constructor/],
        [at(REFUSED, '~Shape()'), /is a destructor/],
        [at(REFUSED, 'bool operator=='), /is an operator/],
        [{ functionName: 'area' }, /`Shape::area` .* is virtual: a call may reach an override/],
        [{ functionName: 'apply' }, /is a member function template/],
        [{ functionName: 'twice' }, /is a friend function defined inside `Shape`/],
        [{ functionName: 'get' }, /is a method of a class template \(`Box`\)/],
        [{ functionName: 'Outside::size' }, /`Outside` is not defined in \/p\/shapes\.cpp \(in a header\?\)/],
      ];
      for (const [spec, message] of cases) {
        await assert.rejects(extractNativeTarget(REFUSED, '/p/shapes.cpp', spec), (e: unknown) => e instanceof RunnerError && message.test(e.message), JSON.stringify(spec));
      }
      assert.equal((await extractNativeTarget(REFUSED, '/p/shapes.cpp', { functionName: 'perimeter' })).functionName, 'Shape::perimeter');
    });

    it('splits a method program: the class gets the entry points and the candidate\'s declaration on its last line', async () => {
      const target = await extractNativeTarget(SHOP, '/p/shop.cpp', { functionName: 'add' });
      const source = originalNativeProgram(target).source;
      const split = await splitProgram(source, 'cpp', target.functionName, { line: target.range.start, method: { className: 'shop::Cart', name: 'add' } });
      const cart = find(split.shared, 'class Cart');
      const original = SHOP.slice(SHOP.indexOf('class Cart'), SHOP.indexOf('};\n\nint Cart::add'));
      assert.ok(cart.text.startsWith(`${original} public: static auto perfloop_original_entry(Cart& perfloop_self, ::perfloop_type<const Item&> perfloop_a1, ::perfloop_type<int> perfloop_a2) -> ::perfloop_type<int>; `), cart.text);
      assert.ok(cart.text.includes(' __attribute__((weak)) static auto perfloop_candidate_entry(Cart& perfloop_self,'));
      assert.ok(cart.text.includes(' int perfloop_candidate_add(const Item& item, int times = 1); '), 'the declaration as written, default argument kept');
      assert.ok(cart.text.includes('return true && perfloop_visit(perfloop_l.items, perfloop_r.items) && perfloop_visit(perfloop_l.percentOff, perfloop_r.percentOff); } };'));
      assert.equal(cart.text.split('\n').length, original.split('\n').length, 'the class keeps its lines');
      assert.deepEqual(split.method && [split.method.selfType, split.method.isStatic], ['Cart&', false]);
      assert.deepEqual([split.qualifiedName, split.targetLine, split.namespacePath], ['shop::Cart::add', target.range.start, ['shop']]);
      assert.deepEqual(split.sideDefinitions, []);
      assert.deepEqual(texts(split.sharedDefinitions), [SHOP.slice(SHOP.indexOf('int Cart::add'), SHOP.indexOf('}\n}  // namespace shop') + 1)]);
      assert.deepEqual(entryExpressions(split, 'cpp'), { original: '&::shop::Cart::perfloop_original_entry', candidate: '&::shop::Cart::perfloop_candidate_entry' });
      // The class's inline methods call `doubled`, and shared code comes before the per-side parts: it is shared too.
      assert.deepEqual(split.shared[0]?.text, 'static long doubled(long v) { return v * 2; }');
      assert.deepEqual(split.perSide, []);
      const cents = await splitProgram(source, 'cpp', 'shop::Cart::cents', { method: { className: 'shop::Cart', name: 'cents' } });
      assert.ok(find(cents.shared, 'class Cart').text.includes(' public: static auto perfloop_original_entry(::perfloop_type<long> perfloop_a1) -> ::perfloop_type<long>;'));
      assert.ok(!find(cents.shared, 'class Cart').text.includes('perfloop_fields'), 'no receiver');
    });

    it('builds a method candidate as the candidate\'s own member, recursion renamed, from any form of reply', async () => {
      const sum = await extractNativeTarget(SHOP, '/p/shop.cpp', { functionName: 'Node::sum' });
      const body = '{\n  long s = value + 1;\n  for (const Node& k : kids) s += k.sum();\n  return s;\n}';
      const expected = originalNativeProgram(sum).source.replace(
        '    return s;\n  }\n};\n',
        `    return s;\n  }\n};\n\nlong Node::perfloop_candidate_sum() const {\n  long s = value + 1;\n  for (const Node& k : kids) s += k.perfloop_candidate_sum();\n  return s;\n}\n`,
      );
      for (const code of [`long Node::sum() const ${body}`, `long sum() const ${body}`, `struct Node {\n  long value;\nlong sum() const ${body}\n};`]) {
        const build = await buildNativeCandidate(sum, code, 'c');
        assert.ok(build.ok, build.ok ? '' : build.reason);
        assert.equal(build.program.source, expected, code);
        assert.equal(build.program.functionName, 'Node::sum');
      }
      // The whole context, as a candidate file gives it (optimizer/compare.ts), with the method changed.
      const context = sum.method?.programContext.replace('long s = value;', 'long s = value + 1;') ?? '';
      const fromContext = await buildNativeCandidate(sum, context, 'c');
      assert.ok(fromContext.ok && fromContext.program.source.includes('long Node::perfloop_candidate_sum() const {\n    long s = value + 1;\n    for (const Node& k : kids) s += k.perfloop_candidate_sum();'));
      // An out-of-class method's candidate goes after the original's definition, helpers before it.
      const add = await extractNativeTarget(SHOP, '/p/shop.cpp', { functionName: 'add' });
      const built = await buildNativeCandidate(add, 'static int grow(int n) { return n; }\nclass Cart {\n  int add(const Item& item, int times = 1) {\n    items.insert(items.end(), grow(times), item);\n    return static_cast<int>(items.size());\n  }\n};', 'c');
      assert.ok(built.ok, built.ok ? '' : built.reason);
      assert.ok(
        built.program.source.includes(
          '};\n\nstatic int grow(int n) { return n; }\n\nint Cart::add(const Item& item, int times) {\n  for (int i = 0; i < times; i++) items.push_back(item);\n  return static_cast<int>(items.size());\n}\n\nint Cart::perfloop_candidate_add(const Item& item, int times) {\n    items.insert(items.end(), grow(times), item);\n    return static_cast<int>(items.size());\n  }\n}  // namespace shop',
        ),
        built.program.source,
      );
    });

    it('refuses method candidates that change other members, add members, change the signature or leave the method out', async () => {
      const total = await extractNativeTarget(SHOP, '/p/shop.cpp', { functionName: 'total' });
      const method = 'long total() const { return 0; }';
      const cases: [string, RegExp][] = [
        [`class Cart {\n public:\n  int percentOff = 5;\n  ${method}\n};`, /the candidate changes the member `percentOff` of `Cart`; a candidate may only change the method `total`/],
        [`class Cart {\n  long cache = 0;\n  ${method}\n};`, /the candidate adds the member `cache` to `Cart`; a candidate may not add members/],
        [`class Cart {\n  ${method}\n  long weight() const { return 1; }\n};`, /changes the member `weight`/],
        ['long Cart::total() { return 0; }', /the candidate changes the signature of `Cart::total` \(`long total\(\)` instead of `long total\(\) const`\)/],
        ['static long total() { return 0; }', /changes the signature.*`static long total\(\)` instead of `long total\(\) const`/],
        ['long Cart::sum() const { return 0; }', /does not define the method `Cart::total`/],
        [`static long doubled(long v) { return v * 3; }\nlong Cart::total() const { return doubled(1); }`, /the candidate changes `doubled`, which the file's types use too/],
        [`int Cart::add(const Item& item, int times) { return 0; }\n${method}`, /the candidate changes `Cart::add`/],
      ];
      for (const [code, reason] of cases) {
        const build = await buildNativeCandidate(total, code, 'c');
        assert.ok(!build.ok && reason.test(build.reason), `${code}\n→ ${build.ok ? 'ok' : build.reason}`);
      }
    });

    it('applies a method candidate where the method is: in its class (indented, defaults and static kept) or out of class', async () => {
      const total = await extractNativeTarget(SHOP, '/p/shop.cpp', { functionName: 'total' });
      const applied = await applyNativeCandidate(total, '#include <numeric>\nlong shop::Cart::total() const {\n    long sum = 0;\n    for (const Item& it : items) sum += it.price * it.qty;\n    return sum - sum * percentOff / 100 + 0;\n}');
      assert.equal(
        applied,
        SHOP.replace('#include <vector>\n', '#include <vector>\n#include <numeric>\n').replace(
          total.functionSource,
          'long total() const {\n      long sum = 0;\n      for (const Item& it : items) sum += it.price * it.qty;\n      return sum - sum * percentOff / 100 + 0;\n  }',
        ),
      );
      const cents = await extractNativeTarget(SHOP, '/p/shop.cpp', { functionName: 'cents' });
      const appliedCents = await applyNativeCandidate(cents, 'long Cart::cents(long units) { return units * 100; }');
      assert.equal(appliedCents, SHOP.replace('static long cents(long units) { return doubled(units) * 50; }', 'static long cents(long units) { return units * 100; }'));
      const add = await extractNativeTarget(SHOP, '/p/shop.cpp', { functionName: 'add' });
      const appliedAdd = await applyNativeCandidate(add, 'struct Cart {\n  int add(const Item& item, int times = 1) {\n    items.insert(items.end(), times, item);\n    return static_cast<int>(items.size());\n  }\n};');
      assert.equal(
        appliedAdd,
        SHOP.replace(add.functionSource, 'int Cart::add(const Item& item, int times) {\n  items.insert(items.end(), times, item);\n  return static_cast<int>(items.size());\n}'),
      );
      await assert.rejects(applyNativeCandidate(add, 'int Cart::add(const Item& item) { return 0; }'), /Cannot apply the candidate: the candidate changes the signature of `Cart::add`/);
    });
  });

  describe('function templates', () => {
    it('extracts a function template and builds its units for an instance, the instance\'s address exported through a variable', async () => {
      const target = await extractNativeTarget(CPP, '/p/geo.cpp', { functionName: 'biggest' });
      assert.equal(target.functionName, 'biggest');
      assert.ok(target.functionSource.startsWith('template <typename T>\nT biggest('));
      assert.deepEqual(target.parameters, ['v']);
      const split = await splitProgram(originalNativeProgram(target).source, 'cpp', 'biggest', { line: target.range.start });
      assert.deepEqual(split.template, { head: 'template <typename T>', parameters: [{ name: 'T', kind: 'type', pack: false }] });
      assert.throws(() => assembleProgramUnit(split, 'cpp', 'original', true, '/p/geo.cpp'), /needs its instance/);
      assert.ok(assembleProgramUnit(split, 'cpp', 'original', true, '/p/geo.cpp', 'int').includes('\nextern auto* const perfloop_entry = &biggest<int>;\n'));
      assert.ok(
        assembleHarnessPrelude(split, 'cpp', '/p/geo.cpp', 'int').includes(
          `namespace perfloop_candidate {\n#line ${target.range.start} "/p/geo.cpp"\ntemplate <typename T> T biggest(const vector<T>& v);\nextern __attribute__((weak)) decltype(&biggest<int>) const perfloop_entry;\n}`,
        ),
      );
      assert.deepEqual(entryExpressions(split, 'cpp'), {
        original: 'perfloop_original::perfloop_entry',
        candidate: '(&perfloop_candidate::perfloop_entry ? perfloop_candidate::perfloop_entry : nullptr)',
      });
    });

    it('refuses template template parameters and explicit specialisations; a candidate keeps the template parameters', async () => {
      const code = 'template <template <class> class C> int size(const C<int>& c) { return 0; }\ntemplate <class T, int N = 2> T scaled(T v) { return v * N; }\n';
      await assert.rejects(extractNativeTarget(code, '/p/t.cpp', { functionName: 'size' }), /is a function template with a template template parameter/);
      const target = await extractNativeTarget(code, '/p/t.cpp', { functionName: 'scaled' });
      const ok = await buildNativeCandidate(target, 'template <class T, int N = 2> T scaled(T v) { return N * v; }', 'c');
      assert.ok(ok.ok, ok.ok ? '' : ok.reason);
      const renamed = await buildNativeCandidate(target, 'template <class U, int N = 2> U scaled(U v) { return N * v; }', 'c');
      assert.ok(!renamed.ok && /changes the template parameters of `scaled`; keep `<class T, int N = 2>`/.test(renamed.reason), renamed.ok ? '' : renamed.reason);
      const plain = await buildNativeCandidate(target, 'int scaled(int v) { return 2 * v; }', 'c');
      assert.ok(!plain.ok && /defines `scaled` as a plain function; it must stay a function template/.test(plain.reason));
    });
  });

  describe('translation units @slow', function () {
    this.timeout(60_000);
    let dir: string;
    before(function () {
      if (spawnSync('g++', ['--version']).status !== 0 || spawnSync('gcc', ['--version']).status !== 0) this.skip();
      dir = mkdtempSync(path.join(tmpdir(), 'perfloop-native-target-'));
    });
    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const compile = (compiler: string, args: string[], file: string, text: string): void => {
      const full = path.join(dir, file);
      writeFileSync(full, text);
      const result = spawnSync(compiler, [...args, '-Wall', '-Werror=implicit-function-declaration', '-g', '-c', full, '-o', `${full}.o`], { encoding: 'utf8' });
      assert.equal(result.status, 0, `${compiler} ${file} failed:\n${result.stderr}\n--- ${file}\n${text}`);
    };

    const linkAndRun = (objects: string[], expected: string): void => {
      const exe = path.join(dir, `exe-${objects.length}-${Date.now()}`);
      execFileSync('g++', [...objects.map((o) => path.join(dir, `${o}.o`)), '-o', exe]);
      assert.equal(execFileSync(exe, { encoding: 'utf8' }), expected);
    };

    const harness = (split: SplitProgram, dialect: 'c' | 'cpp', fileName: string, call: string, instance?: string): string => {
      const entries = entryExpressions(split, dialect);
      return `${assembleHarnessPrelude(split, dialect, fileName, instance)}#include <cstdio>
int main() {
  auto original = ${entries.original};
  auto candidate = ${entries.candidate};
  ${call}
  return 0;
}
`;
    };

    it('compiles and links the C++ units as README.md lays them out', async () => {
      const target = await extractNativeTarget(CPP, '/p/geo.cpp', { functionName: 'closest' });
      const original = await splitProgram(originalNativeProgram(target).source, 'cpp', 'closest');
      const build = await buildNativeCandidate(target, 'static inline long sq(long v) { return v * v; }\nlong closest(const vector<Point>& pts, int k = 3) {\n  long best = -1;\n  for (auto& p : pts) for (auto& q : pts) if (&p < &q) { long d = sq(p.x - q.x) + sq(p.y - q.y); if (best < 0 || d < best) best = d; }\n  return best + helper(k);\n}', 'c');
      assert.ok(build.ok, build.ok ? '' : build.reason);
      const candidate = await splitProgram(build.program.source, 'cpp', 'closest');
      const unit = assembleProgramUnit(original, 'cpp', 'original', true, '/p/geo.cpp');
      assert.ok(unit.includes(`#line ${lineOfText(CPP, 'long closest(')} "/p/geo.cpp"\nlong closest(`));
      assert.match(unit, /namespace perfloop_original \{\n/);
      compile('g++', ['-std=c++17'], 'original.cpp', unit);
      compile('g++', ['-std=c++17'], 'candidate.cpp', assembleProgramUnit(candidate, 'cpp', 'candidate', false, '/p/geo.cpp'));
      compile('g++', ['-std=c++17'], 'harness.cpp', harness(original, 'cpp', '/p/geo.cpp', 'std::vector<Point> p{{1, 2}, {4, 6}, {10, 10}};\n  std::printf("%ld %ld\\n", original(p, 3), candidate ? candidate(p, 3) : -1L);'));
      linkAndRun(['original.cpp', 'harness.cpp'], '128 -1\n');
      linkAndRun(['original.cpp', 'candidate.cpp', 'harness.cpp'], '128 128\n');
    });

    it('compiles a header: namespaces, methods calling the file\'s functions, an overloaded constexpr target in extern "C"', async () => {
      const header = `#ifndef BAG_HPP
#define BAG_HPP
#pragma once
#include <cstddef>
#include <vector>

namespace lib {
namespace detail {
inline int clamp(int v) { return v < 0 ? 0 : v; }
}
struct Item { int w; int v; };
static bool operator<(const Item& a, const Item& b) { return a.w < b.w; }
int weight(const Item& it);
class Bag {
 public:
  int total() const;
  std::vector<Item> items;
};
int Bag::total() const { int t = 0; for (auto& i : items) t += weight(i) + detail::clamp(i.v); return t; }
int weight(const Item& it) { return it.w; }
extern "C" {
static constexpr int best(const Item* items, std::size_t n) {
  int b = 0;
  for (std::size_t i = 0; i < n; i++) if (b < items[i].v) b = items[i].v;
  return b;
}
}
int best(const Bag& bag) { return bag.total(); }
}  // namespace lib
#endif
`;
      const line = lineOfText(header, 'int b = 0;');
      const target = await extractNativeTarget(header, '/p/bag.hpp', { lines: { start: line, end: line } });
      assert.equal(target.language, 'cpp');
      const source = originalNativeProgram(target).source;
      const original = await splitProgram(source, 'cpp', 'best', { line: target.range.start });
      assert.equal(original.qualifiedName, 'lib::best');
      assert.deepEqual(original.signature.parameterTypes, ['const Item*', 'std::size_t']);
      const candidate = await splitProgram(source, 'cpp', 'best', { parameterTypes: original.signature.parameterTypes });
      compile('g++', ['-std=c++17'], 'bag-original.cpp', assembleProgramUnit(original, 'cpp', 'original', true, '/p/bag.hpp'));
      compile('g++', ['-std=c++17'], 'bag-candidate.cpp', assembleProgramUnit(candidate, 'cpp', 'candidate', false, '/p/bag.hpp'));
      compile('g++', ['-std=c++17'], 'bag-harness.cpp', harness(original, 'cpp', '/p/bag.hpp', 'lib::Item items[2] = {{1, 5}, {2, 7}};\n  std::printf("%d %d\\n", original(items, 2), candidate(items, 2));'));
      linkAndRun(['bag-original.cpp', 'bag-candidate.cpp', 'bag-harness.cpp'], '7 7\n');
    });

    it('compiles and links a method target: entry points per side, the candidate a member of the shared class, its recursion its own', async () => {
      const target = await extractNativeTarget(SHOP, '/p/shop.cpp', { functionName: 'Node::sum' });
      const method = { className: 'Node', name: 'sum' };
      const original = await splitProgram(originalNativeProgram(target).source, 'cpp', target.functionName, { line: target.range.start, method });
      // Counts one more per node: called on the root only, it would add 1, not one per node.
      const build = await buildNativeCandidate(target, 'long Node::sum() const {\n  long s = value + 1;\n  for (const Node& k : kids) s += k.sum();\n  return s;\n}', 'c');
      assert.ok(build.ok, build.ok ? '' : build.reason);
      const candidate = await splitProgram(build.program.source, 'cpp', target.functionName, { parameterTypes: original.signature.parameterTypes, method });
      assert.equal(candidate.sideDefinitions.length, 1);
      assert.equal(candidate.sideDefinitions[0]?.file, '<candidate Node::sum>');
      const unit = assembleProgramUnit(candidate, 'cpp', 'candidate', false, '/p/shop.cpp');
      assert.ok(unit.includes('#line 1 "<candidate Node::sum>"\nlong Node::perfloop_candidate_sum() const {'));
      compile('g++', ['-std=c++17'], 'shop-original.cpp', assembleProgramUnit(original, 'cpp', 'original', true, '/p/shop.cpp'));
      compile('g++', ['-std=c++17'], 'shop-candidate.cpp', unit);
      compile('g++', ['-std=c++17'], 'shop-harness.cpp', harness(original, 'cpp', '/p/shop.cpp', 'Node tree{1, {{2, {}}, {3, {{4, {}}}}}};\n  std::printf("%ld %ld\\n", original(tree), candidate ? candidate(tree) : -1L);'));
      linkAndRun(['shop-original.cpp', 'shop-harness.cpp'], '10 -1\n');
      linkAndRun(['shop-original.cpp', 'shop-candidate.cpp', 'shop-harness.cpp'], '10 14\n');
    });

    it('compiles a function template: the probe reports the instance the inputs deduce, the units build with it', async () => {
      const target = await extractNativeTarget(CPP, '/p/geo.cpp', { functionName: 'biggest' });
      const split = await splitProgram(originalNativeProgram(target).source, 'cpp', 'biggest', { line: target.range.start });
      const probe = assembleTemplateProbe(split, '/p/geo.cpp', 'void correctness_inputs(perfloop::Inputs& in) {\n  in.add(std::vector<long>{3, 1});\n}\n', 'inputs.cpp');
      compile('g++', ['-std=c++17'], 'probe.cpp', probe);
      const exe = path.join(dir, 'probe');
      execFileSync('g++', [path.join(dir, 'probe.cpp.o'), '-o', exe]);
      assert.match(execFileSync(exe, { encoding: 'utf8' }), /^PERFLOOP-INSTANCE long int$/m);
      compile('g++', ['-std=c++17'], 'biggest-original.cpp', assembleProgramUnit(split, 'cpp', 'original', true, '/p/geo.cpp', 'long int'));
      compile('g++', ['-std=c++17'], 'biggest-harness.cpp', harness(split, 'cpp', '/p/geo.cpp', 'std::printf("%ld %d\\n", original(std::vector<long>{3, 9, 1}), candidate != nullptr);', 'long int'));
      linkAndRun(['biggest-original.cpp', 'biggest-harness.cpp'], '9 0\n');
    });

    it('compiles and links the C units as README.md lays them out', async () => {
      const target = await extractNativeTarget(C, '/p/count.c', { functionName: 'count_unique' });
      const original = await splitProgram(originalNativeProgram(target).source, 'c', 'count_unique');
      const build = await buildNativeCandidate(target, 'static int count_unique(const int *restrict a, size_t n) {\n  total_calls++;\n  int c = 0;\n  for (size_t i = 0; i < n; i++) { int s = 0; for (size_t j = 0; j < i; j++) s |= abs(scale(a[j])) % CAP == abs(scale(a[i])) % CAP; c += !s; }\n  return c;\n}', 'c');
      assert.ok(build.ok, build.ok ? '' : build.reason);
      const candidate = await splitProgram(build.program.source, 'c', 'count_unique');
      const unit = assembleProgramUnit(original, 'c', 'original', true, '/p/count.c');
      assert.match(unit, /#define count_unique perfloop_original_count_unique\n/);
      compile('gcc', ['-std=c11'], 'original.c', unit);
      compile('gcc', ['-std=c11'], 'candidate.c', assembleProgramUnit(candidate, 'c', 'candidate', false, '/p/count.c'));
      compile('g++', ['-std=c++17'], 'harness-c.cpp', harness(original, 'c', '/p/count.c', 'int a[] = {1, 2, 2, 3, 5};\n  std::printf("%d %d\\n", original(a, 5), candidate ? candidate(a, 5) : -1);'));
      linkAndRun(['original.c', 'harness-c.cpp'], '4 -1\n');
      linkAndRun(['original.c', 'candidate.c', 'harness-c.cpp'], '4 4\n');
    });
  });
});
