#include <cstddef>
namespace perfloop_original { long make_buffer(std::size_t bytes); }
namespace perfloop_candidate { __attribute__((weak)) long make_buffer(std::size_t bytes); }
#include "perfloop_harness.hpp"
using PerfloopFn = decltype(&perfloop_original::make_buffer);
namespace perfloop { using Inputs = InputsFor<::PerfloopFn>; }
#line 1 "buffer.perfloop.cpp"
#include "buffer.perfloop.cpp"
#line 1 "perfloop-main.cpp"
int main(int argc, char** argv) {
  // The candidate when it is linked (weak otherwise): one program per executable, as the runner's main picks it.
  PerfloopFn candidate = &perfloop_candidate::make_buffer;
  return perfloop::run<PerfloopFn>(argc, argv, candidate ? candidate : &perfloop_original::make_buffer,
                                   perfloop::Generators<PerfloopFn>{correctness_inputs, performance_inputs, nullptr});
}
