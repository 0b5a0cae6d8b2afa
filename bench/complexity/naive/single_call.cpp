// Naive two-point baseline: one timed call at each of two sizes, in one fresh process, no repeats.
// Built per function: g++ -O2 -std=c++17 -DFUNCTION=name -DCODE_FILE='"known.cpp"' -DWORKLOAD_FILE='"known.perfloop.cpp"'
// Usage: ./single_call N_SMALL N_LARGE  ->  {"small": s, "large": s} on stdout.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

// Just enough of Perfloop's harness for the bench's own workload file: every call takes one std::vector<int>.
namespace perfloop {
struct Inputs {
    std::vector<std::vector<int>> calls;
    void add(std::vector<int> values) { calls.push_back(std::move(values)); }
};
}  // namespace perfloop

#include CODE_FILE
#include WORKLOAD_FILE

template <class T>
static void keep(const T& value) {
    asm volatile("" : : "g"(&value) : "memory");
}

static double once(std::size_t n) {
    perfloop::Inputs in;
    sized_input(n, in);
    const std::vector<int>& args = in.calls.front();
    auto start = std::chrono::steady_clock::now();
    auto result = FUNCTION(args);
    auto end = std::chrono::steady_clock::now();
    keep(result);
    return std::chrono::duration<double>(end - start).count();
}

int main(int argc, char** argv) {
    if (argc != 3) return 2;
    double small = once(std::strtoull(argv[1], nullptr, 10));
    double large = once(std::strtoull(argv[2], nullptr, 10));
    std::printf("{\"small\": %.9g, \"large\": %.9g}\n", small, large);
    return 0;
}
