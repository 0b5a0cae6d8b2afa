// The workload module of `dups` (the user's dups.perfloop.cpp): C++ input generators.
// PERFLOOP_SELFTEST_BAD_WORKLOAD=1 makes correctness_inputs() throw, =2 makes it add nothing (workload errors).
#include <random>
#include <stdexcept>

void correctness_inputs(perfloop::Inputs& in) {
#if PERFLOOP_SELFTEST_BAD_WORKLOAD == 1
  throw std::runtime_error("no inputs today");
#elif PERFLOOP_SELFTEST_BAD_WORKLOAD == 2
  (void)in;
  return;
#endif
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
