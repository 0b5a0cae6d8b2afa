import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  applyNativeCandidate,
  assembleHarnessPrelude,
  assembleProgramUnit,
  buildNativeCandidate,
  dialectForFile,
  entryExpressions,
  extractNativeTarget,
  originalNativeProgram,
  splitProgram,
  type Chunk,
  type SplitProgram,
} from '../../profilers/native/nativeTarget.js';
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

    it('refuses main, methods, templates, operators, overloads, unknown names and K&R definitions, saying what to do', async () => {
      const cases: [Parameters<typeof extractNativeTarget>[2], RegExp, string?][] = [
        [{ functionName: 'main' }, /entry point/],
        [{ functionName: 'bump' }, /`Counter::bump`.*methods are not supported yet: optimize a free function/i],
        [{ functionName: 'Counter::twice' }, /methods are not supported yet/i],
        [{ lines: { start: lineOfText(CPP, 'int twice()'), end: lineOfText(CPP, 'int twice()') } }, /`Counter::twice`.*method/],
        [{ functionName: 'biggest' }, /templates are not supported yet/i],
        [{ functionName: 'operator==' }, /operators are not supported yet/i],
        [{ functionName: 'scale' }, /`scale` is defined 2 times.*--lines/],
        [{ functionName: 'nope' }, /No function named `nope` in \/p\/geo.cpp\. Functions there: dist2, geo::helper, geo::closest, scale\./],
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

    const harness = (split: SplitProgram, dialect: 'c' | 'cpp', fileName: string, call: string): string => {
      const entries = entryExpressions(split, dialect);
      return `${assembleHarnessPrelude(split, dialect, fileName)}#include <cstdio>
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
