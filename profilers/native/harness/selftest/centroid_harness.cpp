#include <stddef.h>
struct Point { double x; double y; };
extern "C" {
struct Point perfloop_original_centroid(const struct Point* p, size_t n);
__attribute__((weak)) struct Point perfloop_candidate_centroid(const struct Point* p, size_t n);
}
#include "perfloop_harness.hpp"
using PerfloopFn = decltype(&perfloop_original_centroid);
namespace perfloop { using Inputs = InputsFor<::PerfloopFn>; }
#line 1 "centroid.perfloop.cpp"
#include "centroid.perfloop.cpp"
#line 1 "perfloop-main.cpp"
int main(int argc, char** argv) {
  // The candidate when it is linked (weak otherwise): one program per executable, as the runner's main picks it.
  PerfloopFn candidate = &perfloop_candidate_centroid;
  return perfloop::run<PerfloopFn>(argc, argv, candidate ? candidate : &perfloop_original_centroid,
                                   perfloop::Generators<PerfloopFn>{correctness_inputs, nullptr, nullptr});
}
