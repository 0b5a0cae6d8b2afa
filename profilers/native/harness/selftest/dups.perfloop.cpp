// The workload module of `dups` (the user's dups.perfloop.cpp): C++ input generators.
// PERFLOOP_SELFTEST_BAD_WORKLOAD=throw in the environment makes correctness_inputs() throw, =empty makes it add nothing
// (run.sh "errors"): read when the program runs, so the one build of dups_harness.cpp serves all three workloads.
#include <cstdlib>
#include <cstring>
#include <random>
#include <stdexcept>

void correctness_inputs(perfloop::Inputs& in) {
  if (const char* bad = std::getenv("PERFLOOP_SELFTEST_BAD_WORKLOAD")) {
#if defined(__cpp_exceptions)  // (run.sh's -fno-exceptions build cannot throw)
    if (std::strcmp(bad, "throw") == 0) throw std::runtime_error("no inputs today");
#endif
    if (std::strcmp(bad, "empty") == 0) return;
  }
  in.add({3, 1, 2, 3, 1});
  in.add({});
  in.add({7});
  in.add({1, 2, 1});
  in.add({5, 5, 5, 5});
  in.add({-1, 0, 1, 0, -1, 2});
}

void sized_input(std::size_t n, perfloop::Inputs& in) {
  std::mt19937 rng(static_cast<unsigned>(n));
  std::uniform_int_distribution<int> value(0, static_cast<int>(n));
  std::vector<int> v(n);
  for (int& x : v) x = value(rng);
  in.add(std::move(v));
}
