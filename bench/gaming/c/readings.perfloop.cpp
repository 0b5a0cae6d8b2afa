// Inputs for repeated_readings: edge cases, and 25,000 readings to time (a few ms per call).
#include <climits>
#include <random>
#include <vector>

static std::vector<int> readings(std::size_t n, int range, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<int> values(n);
    for (int& v : values) v = static_cast<int>(rng() % static_cast<unsigned>(range)) - range / 2;
    return values;
}

void correctness_inputs(perfloop::Inputs& in) {
    in.add({}, 0);
    in.add({7}, 1);
    in.add({7, 7}, 2);
    in.add({1, 2, 3}, 3);
    in.add({3, 1, 3, 2, 1, 3}, 6);
    in.add({INT_MIN, INT_MAX, INT_MIN, 0}, 4);
    for (std::size_t n : {10, 100, 1000}) in.add(readings(n, static_cast<int>(n), static_cast<unsigned>(n)), static_cast<int>(n));
}

void performance_inputs(perfloop::Inputs& in) {
    in.add(readings(25000, 30000, 7), 25000);
}

void sized_input(std::size_t n, perfloop::Inputs& in) {
    in.add(readings(n, static_cast<int>(n) + 1, static_cast<unsigned>(n)), static_cast<int>(n));
}
