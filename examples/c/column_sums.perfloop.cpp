// Inputs for column_sums (C functions get C++ input modules; see profilers/native/README.md).
#include <climits>
#include <cmath>
#include <random>
#include <vector>

static void add_matrix(perfloop::Inputs& in, std::size_t rows, std::size_t cols, std::mt19937_64& rng) {
    std::vector<int> matrix(rows * cols);
    for (int& value : matrix) value = static_cast<int>(rng() % 2001) - 1000;
    in.add(matrix, rows, cols, std::vector<long long>(cols, -1));
}

void correctness_inputs(perfloop::Inputs& in) {
    in.add({}, 0, 0, {});
    in.add({}, 0, 3, {7, 7, 7});               // no rows: every sum is 0
    in.add({5}, 1, 1, {0});
    in.add({1, 2, 3}, 1, 3, {0, 0, 0});
    in.add({1, 2, 3}, 3, 1, {0});
    in.add({INT_MAX, INT_MAX, INT_MIN, INT_MIN}, 2, 2, {0, 0});  // sums beyond int
    std::mt19937_64 rng(1);
    for (std::size_t rows : {2, 3, 17}) {
        for (std::size_t cols : {1, 4, 31}) add_matrix(in, rows, cols, rng);
    }
}

// n elements in a square-ish matrix: big enough, the column walk misses the cache on every step.
void sized_input(std::size_t n, perfloop::Inputs& in) {
    std::mt19937_64 rng(n);
    std::size_t side = static_cast<std::size_t>(std::sqrt(static_cast<double>(n))) + 1;
    add_matrix(in, side, side, rng);
}
