// Unit test of the header's value machinery: equal(), repr(), snapshots, storage types. Not a harness executable (no job).
//   g++ -std=c++17 -O2 -g -Wall -Wextra -I.. unit.cpp -o unit && ./unit
#define N 100  // user macros come before the header in a generated translation unit: it must survive them
#define T int
#define SIZE 8
#include <array>
#include <cstring>
#include <deque>
#include <list>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include "../perfloop_harness.hpp"
#undef T

struct CPoint {  // a C struct: no operator==, doubles (no unique object representation)
  double x;
  double y;
};
struct CRecord {  // with an array member, a nested struct, a char buffer and padding
  int id;
  char name[8];
  CPoint where;
  short tags[3];
};
struct Packed {  // no padding, ints: bytes compared
  int a;
  int b;
};
class Opaque {  // not an aggregate, no operator==, no padding: bytes compared
 public:
  explicit Opaque(int v) : value_(v) {}
  int value() const { return value_; }

 private:
  int value_;
};
struct WithEq {
  int v;
  std::string s;
  bool operator==(const WithEq& o) const { return v == o.v && s == o.s; }
};
std::ostream& operator<<(std::ostream& os, const WithEq& w) { return os << "WithEq(" << w.v << ")"; }
enum Color { Red, Green };
enum class Shade : unsigned char { Light = 1, Dark = 2 };

static int failures = 0;
#define CHECK(cond)                                                    \
  do {                                                                 \
    if (!(cond)) {                                                     \
      std::fprintf(stderr, "FAILED line %d: %s\n", __LINE__, #cond);   \
      failures++;                                                      \
    }                                                                  \
  } while (0)
#define CHECK_REPR(value, text)                                                                             \
  do {                                                                                                      \
    std::string got = perfloop::repr(value);                                                                \
    if (got != (text)) {                                                                                    \
      std::fprintf(stderr, "FAILED line %d: repr %s\n  got  %s\n  want %s\n", __LINE__, #value, got.c_str(), \
                   std::string(text).c_str());                                                              \
      failures++;                                                                                           \
    }                                                                                                       \
  } while (0)

using perfloop::equal;

int f_vec(const std::vector<int>&, int);
int f_ptr(const int*, std::size_t);
std::size_t f_str(const char*);
void f_mut(int*, char*, std::vector<int>&, bool*, void*, std::string_view, int (*)(int), std::string&&);

int main() {
  const double tol = 1e-7;
  // floats: Object.is semantics + tolerance
  CHECK(equal(0.1 + 0.2, 0.3, tol));
  CHECK(!equal(0.0, -0.0, tol));
  CHECK(equal(NAN, NAN, tol));
  CHECK(!equal(std::nan(""), 1.0, tol));
  CHECK(!equal(1e15, 1e15 + 1, tol));  // whole numbers exact, as in compare.mjs
  CHECK(equal(1.0, 1.0 + 1e-12, tol));
  CHECK(equal(1.5, 1.5 + 1e-12, tol));
  CHECK(equal(1e17, 1e17 + 16, tol));  // above 2^53 every double is whole: tolerance applies
  CHECK(!equal(0.0, 1e-12, tol));       // zero exact
  CHECK(equal(3.0f, 3.0f, tol));
  CHECK(equal(std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(), tol));
  CHECK(!equal(1.25L, 1.5L, tol));
  // containers
  CHECK(equal(std::vector<double>{1.5, 2.0}, std::vector<double>{1.5 + 1e-12, 2.0}, tol));
  CHECK(!equal(std::vector<int>{1, 2}, std::vector<int>{1, 2, 3}, tol));
  CHECK(equal(std::list<int>{1, 2}, std::list<int>{1, 2}, tol));
  CHECK(equal(std::deque<std::string>{"a"}, std::deque<std::string>{"a"}, tol));
  CHECK(equal(std::array<int, 2>{1, 2}, std::array<int, 2>{1, 2}, tol));
  CHECK(equal(std::vector<bool>{true, false}, std::vector<bool>{true, false}, tol));
  CHECK(!equal(std::vector<bool>{true, false}, std::vector<bool>{true, true}, tol));
  std::unordered_set<int> us1{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, us2;
  for (int i = 10; i >= 1; i--) us2.insert(i);
  CHECK(equal(us1, us2, tol));
  us2.erase(3);
  us2.insert(11);
  CHECK(!equal(us1, us2, tol));
  std::unordered_map<std::string, double> um1{{"a", 1.5}, {"b", 2.5}}, um2{{"b", 2.5 + 1e-13}, {"a", 1.5}};
  CHECK(equal(um1, um2, tol));
  um2["a"] = 1.6;
  CHECK(!equal(um1, um2, tol));
  std::unordered_multimap<int, int> mm1{{1, 2}, {1, 3}}, mm2{{1, 3}, {1, 2}};
  CHECK(equal(mm1, mm2, tol));
  CHECK(equal(std::map<int, std::string>{{1, "x"}}, std::map<int, std::string>{{1, "x"}}, tol));
  CHECK(!equal(std::set<int>{1, 2}, std::set<int>{1, 3}, tol));
  CHECK(equal(std::pair<int, double>{1, 0.5}, std::pair<int, double>{1, 0.5}, tol));
  CHECK(equal(std::tuple<int, std::string>{1, "a"}, std::tuple<int, std::string>{1, "a"}, tol));
  CHECK(!equal(std::optional<int>{}, std::optional<int>{1}, tol));
  CHECK(equal(std::variant<int, std::string>{"a"}, std::variant<int, std::string>{"a"}, tol));
  CHECK(!equal(std::variant<int, std::string>{1}, std::variant<int, std::string>{"a"}, tol));
  int a1[3] = {1, 2, 3}, a2[3] = {1, 2, 3};
  CHECK(equal(a1, a2, tol));
  // C strings
  const char* s1 = "abc";
  char buffer[] = "abc";
  const char* s2 = buffer;
  CHECK(equal(s1, s2, tol));
  CHECK(!equal(s1, static_cast<const char*>(nullptr), tol));
  // user types
  CHECK(equal(CPoint{1, 2}, CPoint{1, 2 + 1e-12}, tol));
  CHECK(!equal(CPoint{1, 2}, CPoint{1, 3}, tol));
  CRecord r1{1, "ab", {1.0, 2.0}, {1, 2, 3}}, r2 = r1;
  CHECK(equal(r1, r2, tol));
  r2.tags[2] = 4;
  CHECK(!equal(r1, r2, tol));
  CHECK(equal(Packed{1, 2}, Packed{1, 2}, tol));
  CHECK(!equal(Opaque(1), Opaque(2), tol));
  CHECK(equal(WithEq{1, "x"}, WithEq{1, "x"}, tol));
  CHECK(equal(Red, Red, tol));
  CHECK(equal(std::complex<double>(1, 2), std::complex<double>(1, 2 + 1e-12), tol));
  CHECK(equal(std::make_unique<int>(3), std::make_unique<int>(3), tol));

  // repr
  CHECK_REPR(3, "3");
  CHECK_REPR(-9223372036854775807LL - 1, "-9223372036854775808");
  CHECK_REPR(18446744073709551615ULL, "18446744073709551615");
  CHECK_REPR(true, "true");
  CHECK_REPR('a', "'a'");
  CHECK_REPR('\'', "'\\''");
  CHECK_REPR(static_cast<unsigned char>(200), "200");
  CHECK_REPR(0.1, "0.1");
  CHECK_REPR(3.0, "3.0");
  CHECK_REPR(2.5f, "2.5f");
  CHECK_REPR(-0.0, "-0.0");
  CHECK_REPR(NAN, "NAN");
  CHECK_REPR(1e300, "1e+300");
  CHECK_REPR(std::string("a\"b\n"), "\"a\\\"b\\n\"");
  CHECK_REPR(std::vector<int>({3, 1, 2}), "{3, 1, 2}");
  CHECK_REPR(std::vector<std::string>({"x", "y"}), "{\"x\", \"y\"}");
  CHECK_REPR((std::map<std::string, int>{{"a", 1}, {"b", 2}}), "{{\"a\", 1}, {\"b\", 2}}");
  CHECK_REPR((std::unordered_set<int>{5, 3, 9, 1}), "{1, 3, 5, 9}");
  CHECK_REPR(std::optional<int>(), "std::nullopt");
  CHECK_REPR((std::tuple<int, char, std::string>{1, 'c', "s"}), "{1, 'c', \"s\"}");
  CHECK_REPR(CPoint({1.5, 2}), "CPoint{1.5, 2.0}");
  CHECK_REPR(r1, "CRecord{1, \"ab\", CPoint{1.0, 2.0}, {1, 2, 3}}");
  CHECK_REPR(Packed({1, 2}), "Packed{1, 2}");
  CHECK_REPR(Opaque(1), "<Opaque: 4 bytes 01000000>");
  CHECK_REPR(WithEq({7, "x"}), "WithEq(7)");
  CHECK_REPR(Green, "1");  // unscoped enums convert to int: shown as numbers
  CHECK_REPR(Shade::Dark, "Shade(2)");
  CHECK_REPR(s1, "\"abc\"");
  CHECK_REPR(static_cast<const char*>(nullptr), "NULL");
  std::vector<int> big(1000, 7);
  std::string bigRepr = perfloop::repr(big);
  CHECK(bigRepr.find("... (970 more)") != std::string::npos);
  CHECK(perfloop::repr(std::string(1000, 'x')).find("(800 more chars)") != std::string::npos);
  CHECK(perfloop::repr(std::vector<std::string>(100, std::string(300, 'y')), 400).size() == 400);

  // storage types
  static_assert(std::is_same_v<perfloop::Storage<const std::vector<int>&>, std::vector<int>>);
  static_assert(std::is_same_v<perfloop::Storage<const int*>, std::vector<int>>);
  static_assert(std::is_same_v<perfloop::Storage<const char*>, std::string>);
  static_assert(std::is_same_v<perfloop::Storage<char*>, std::string>);
  static_assert(std::is_same_v<perfloop::Storage<void*>, std::vector<unsigned char>>);
  static_assert(std::is_same_v<perfloop::Storage<std::string_view>, std::string>);
  static_assert(std::is_same_v<perfloop::Storage<int (*)(int)>, int (*)(int)>);
  static_assert(perfloop::detail::Param<int*>::kMutable && !perfloop::detail::Param<const int*>::kMutable);
  static_assert(perfloop::detail::Param<std::vector<int>&>::kMutable && !perfloop::detail::Param<const std::vector<int>&>::kMutable);
  static_assert(perfloop::detail::Param<std::string&&>::kConsumed);
  perfloop::InputsFor<decltype(&f_vec)> in1;
  in1.add({3, 1, 2}, 3);
  perfloop::InputsFor<decltype(&f_ptr)> in2;
  in2.add({1, 2, 3}, 3);
  perfloop::InputsFor<decltype(&f_str)> in3;
  in3.add("abc");
  perfloop::InputsFor<decltype(&f_mut)> in4;
  in4.add({1, 2}, "xy", {3}, {true, false}, {0, 1}, "view", nullptr, "moved");
  CHECK(in1.size() == 1 && in2.size() == 1 && in3.size() == 1 && in4.size() == 1);
  CHECK(perfloop::detail::Signature<decltype(&f_mut)>::repr(in4.perfloopItems()[0], 400) ==
        "({1, 2}, \"xy\", {3}, {true, false}, {0, 1}, \"view\", nullptr, \"moved\")");
  CHECK(perfloop::detail::Signature<decltype(&f_vec)>::size(in1.perfloopItems()[0]) == 4);

  // passing: bool* through the Bool storage, char* into the string's buffer (NUL-terminated), string_view, T&&
  perfloop::Storage<bool*> flags{true, false, true};
  bool* raw = perfloop::pass<bool*>(flags);
  raw[1] = true;
  CHECK(flags[1] && perfloop::repr(flags) == "{true, true, true}");
  perfloop::Storage<char*> text = "abc";
  char* chars = perfloop::pass<char*>(text);
  chars[0] = 'X';
  CHECK(text == "Xbc" && std::strlen(perfloop::pass<const char*>(text)) == 3);
  CHECK(perfloop::pass<std::string_view>(text) == "Xbc");
  perfloop::Storage<std::string&&> consumed = "moved";
  std::string taken = perfloop::pass<std::string&&>(consumed);
  CHECK(taken == "moved");

  // JSON strings: control characters, invalid UTF-8
  CHECK(perfloop::detail::jsonString(std::string("a\x01\xff\xc3\xa9\"", 6)) == "\"a\\u0001\\ufffd\xc3\xa9\\\"\"");
  CHECK(perfloop::detail::typeName<std::vector<std::string>>() == "std::vector<std::string>");

  // Snapshots (perfloop_snapshot.hpp; the format is profilers/judge/snapshot.ts's)
  using perfloop::detail::snapshotOf;
  CHECK(snapshotOf(42) == "42" && snapshotOf(-7LL) == "-7");
  CHECK(snapshotOf(9007199254740993ULL) == "{\"t\":\"int\",\"v\":\"9007199254740993\"}");
  CHECK(snapshotOf(2.0) == "2" && snapshotOf(2.5f) == "{\"t\":\"float\",\"v\":2.5}");
  CHECK(snapshotOf(-0.0) == "{\"t\":\"float\",\"v\":\"-0\"}" && snapshotOf(std::nan("")) == "{\"t\":\"float\",\"v\":\"nan\"}");
  CHECK(snapshotOf(-HUGE_VAL) == "{\"t\":\"float\",\"v\":\"-inf\"}" && snapshotOf(1e300) == "{\"t\":\"float\",\"v\":1e+300}");
  CHECK(snapshotOf(std::string("h\xc3\xa9")) == "\"h\xc3\xa9\"");
  CHECK(snapshotOf(std::string("\xff\xfe")) == "{\"t\":\"bytes\",\"c\":\"std::string\",\"v\":\"//4=\"}");
  CHECK(snapshotOf(std::string("\xfe\xff")) != snapshotOf(std::string("\xff\xfe")));
  CHECK(snapshotOf(std::vector<int>{1, 2}) == "{\"t\":\"seq\",\"c\":\"std::vector\",\"i\":[1,2]}");
  CHECK(snapshotOf(std::map<int, bool>{{2, true}, {1, false}}) == "{\"t\":\"map\",\"c\":\"std::map\",\"o\":true,\"e\":[[1,false],[2,true]]}");
  CHECK(snapshotOf(std::unordered_map<int, int>{{1, 2}}) == "{\"t\":\"map\",\"c\":\"std::unordered_map\",\"o\":false,\"e\":[[1,2]]}");
  CHECK(snapshotOf(std::unordered_multiset<int>{3, 3}) == "{\"t\":\"set\",\"c\":\"std::unordered_multiset\",\"i\":[3,3]}");
  CHECK(snapshotOf(std::optional<int>()) == "{\"t\":\"seq\",\"c\":\"std::optional\",\"i\":[]}");
  CHECK(snapshotOf(std::variant<int, double>(1.5)) == "{\"t\":\"obj\",\"c\":\"std::variant\",\"f\":[[\"1\",{\"t\":\"float\",\"v\":1.5}]]}");
  CHECK(snapshotOf(std::make_pair(1, std::string("a"))) == "{\"t\":\"seq\",\"c\":\"std::pair\",\"i\":[1,\"a\"]}");
  CHECK(snapshotOf(CPoint{1.5, 2}) == "{\"t\":\"obj\",\"c\":\"CPoint\",\"f\":[[\"0\",{\"t\":\"float\",\"v\":1.5}],[\"1\",2]]}");
  CHECK(snapshotOf(Opaque(1)) == "{\"t\":\"bytes\",\"c\":\"Opaque\",\"v\":\"AQAAAA==\"}");
  int target = 0;
  CHECK(snapshotOf(&target) == "{\"t\":\"ref\",\"c\":\"pointer\",\"v\":\"non-null\"}" && snapshotOf(static_cast<int*>(nullptr)) == "null");
  CHECK(perfloop::detail::digestOf({"abc"}) == "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb");  // sha256("abc\n")

  if (failures == 0) std::printf("unit: all checks passed (N=%d SIZE=%d)\n", N, SIZE);
  return failures == 0 ? 0 : 1;
}
