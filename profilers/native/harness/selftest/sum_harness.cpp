// The harness translation unit of a C target: the user's includes and shared parts (here: a macro), the prototypes
// under their renamed names in extern "C".
#include <stddef.h>
#define N 4
extern "C" {
long perfloop_original_sum(const int* a, size_t n);
__attribute__((weak)) long perfloop_candidate_sum(const int* a, size_t n);
}
#include "perfloop_harness.hpp"
using PerfloopFn = decltype(&perfloop_original_sum);
namespace perfloop { using Inputs = InputsFor<::PerfloopFn>; }
#line 1 "sum.perfloop.cpp"
#include "sum.perfloop.cpp"
#line 1 "perfloop-main.cpp"
int main(int argc, char** argv) {
  // The candidate when it is linked (weak otherwise): one program per executable, as the runner's main picks it.
  PerfloopFn candidate = &perfloop_candidate_sum;
  return perfloop::run<PerfloopFn>(argc, argv, candidate ? candidate : &perfloop_original_sum,
                                   perfloop::Generators<PerfloopFn>{correctness_inputs, nullptr, sized_input});
}
