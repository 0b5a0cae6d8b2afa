#include <vector>
namespace perfloop_original { void clamp_all(std::vector<int>& v, int lo, int hi); }
namespace perfloop_candidate { __attribute__((weak)) void clamp_all(std::vector<int>& v, int lo, int hi); }
#include "perfloop_harness.hpp"
using PerfloopFn = decltype(&perfloop_original::clamp_all);
namespace perfloop { using Inputs = InputsFor<::PerfloopFn>; }
#line 1 "clamp.perfloop.cpp"
#include "clamp.perfloop.cpp"
#line 1 "perfloop-main.cpp"
int main(int argc, char** argv) {
  // The candidate when it is linked (weak otherwise): one program per executable, as the runner's main picks it.
  PerfloopFn candidate = &perfloop_candidate::clamp_all;
  return perfloop::run<PerfloopFn>(argc, argv, candidate ? candidate : &perfloop_original::clamp_all,
                                   perfloop::Generators<PerfloopFn>{correctness_inputs, performance_inputs, nullptr});
}
