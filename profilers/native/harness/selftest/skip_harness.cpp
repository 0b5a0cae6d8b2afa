namespace perfloop_original { const char* skip_spaces(const char* s); }
namespace perfloop_candidate { __attribute__((weak)) const char* skip_spaces(const char* s); }
#include "perfloop_harness.hpp"
using PerfloopFn = decltype(&perfloop_original::skip_spaces);
namespace perfloop { using Inputs = InputsFor<::PerfloopFn>; }
#line 1 "skip.perfloop.cpp"
#include "skip.perfloop.cpp"
#line 1 "perfloop-main.cpp"
int main(int argc, char** argv) {
  // The candidate when it is linked (weak otherwise): one program per executable, as the runner's main picks it.
  PerfloopFn candidate = &perfloop_candidate::skip_spaces;
  return perfloop::run<PerfloopFn>(argc, argv, candidate ? candidate : &perfloop_original::skip_spaces,
                                   perfloop::Generators<PerfloopFn>{correctness_inputs, nullptr, nullptr});
}
