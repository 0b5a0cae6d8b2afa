// The harness translation unit of `dups`, laid out as README.md "How a program becomes an executable" shows.
#include <cstddef>
#include <vector>
namespace perfloop_original { std::vector<int> dups(const std::vector<int>& v); }
namespace perfloop_candidate { __attribute__((weak)) std::vector<int> dups(const std::vector<int>& v); }
#include "perfloop_harness.hpp"
using PerfloopFn = decltype(&perfloop_original::dups);
namespace perfloop { using Inputs = InputsFor<::PerfloopFn>; }
#line 1 "dups.perfloop.cpp"
#include "dups.perfloop.cpp"
#line 1 "perfloop-main.cpp"
int main(int argc, char** argv) {
  return perfloop::run<PerfloopFn>(argc, argv, &perfloop_original::dups, &perfloop_candidate::dups,
                                   perfloop::Generators<PerfloopFn>{correctness_inputs, nullptr, sized_input});
}
