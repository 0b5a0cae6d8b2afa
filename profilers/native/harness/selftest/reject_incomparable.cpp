// Must NOT compile: a returned type Perfloop cannot report (private members, no operator<<; an aggregate of the same
// members would be reported field by field).
#include <string>
class Named {
 public:
  Named(std::string name, double weight) : name_(std::move(name)), weight_(weight) {}
 private:
  std::string name_;
  double weight_;
};
namespace perfloop_original { Named heaviest(const Named* items, unsigned long n); }
namespace perfloop_candidate { __attribute__((weak)) Named heaviest(const Named* items, unsigned long n); }
#include "perfloop_harness.hpp"
using PerfloopFn = decltype(&perfloop_original::heaviest);
namespace perfloop { using Inputs = InputsFor<::PerfloopFn>; }
void correctness_inputs(perfloop::Inputs& in) { in.add({{"a", 1}}, 1); }
int main(int argc, char** argv) {
  return perfloop::run<PerfloopFn>(argc, argv, &perfloop_original::heaviest,
                                   perfloop::Generators<PerfloopFn>{correctness_inputs, nullptr, nullptr});
}
