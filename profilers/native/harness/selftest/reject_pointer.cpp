// Must NOT compile: a function returning a (non-char) pointer.
namespace perfloop_original { int* find(int* a, unsigned long n, int x); }
namespace perfloop_candidate { __attribute__((weak)) int* find(int* a, unsigned long n, int x); }
#include "perfloop_harness.hpp"
using PerfloopFn = decltype(&perfloop_original::find);
namespace perfloop { using Inputs = InputsFor<::PerfloopFn>; }
void correctness_inputs(perfloop::Inputs& in) { in.add({1, 2}, 2, 2); }
int main(int argc, char** argv) {
  return perfloop::run<PerfloopFn>(argc, argv, &perfloop_original::find,
                                   perfloop::Generators<PerfloopFn>{correctness_inputs, nullptr, nullptr});
}
