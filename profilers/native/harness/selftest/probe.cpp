// A user static initialiser (as the original's translation unit may have): by the time it runs, the harness's
// constructor(101) has read and deleted the job file, so program code can never read the nonce.
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {
struct Probe {
  Probe() {
    std::ifstream cmdline("/proc/self/cmdline", std::ios::binary);
    std::string exe, job;
    std::getline(cmdline, exe, '\0');
    std::getline(cmdline, job, '\0');
    std::fprintf(stderr, "probe: the job file is %s\n", ::access(job.c_str(), F_OK) == 0 ? "VISIBLE" : "gone");
  }
} probe;
}  // namespace
