// Inputs for every function of known.cpp (see profilers/native/README.md): n random integers, nearly all distinct.
#include <random>
#include <vector>

void correctness_inputs(perfloop::Inputs& in) {
    in.add(std::vector<int>{});
    in.add(std::vector<int>{0});
    in.add(std::vector<int>{3, -3, 1, 2, -1});
    in.add(std::vector<int>{5, 5, -5, 0, 0, 0});
    in.add(std::vector<int>{7, -2, 9, -7, 2, -9, 0});
}

void sized_input(std::size_t n, perfloop::Inputs& in) {
    std::mt19937_64 rng(n);
    const long long range = 10 * static_cast<long long>(n) + 1;
    std::vector<int> values(n);
    for (int& value : values) value = static_cast<int>(static_cast<long long>(rng() % (2 * range)) - range);
    in.add(values);
}
