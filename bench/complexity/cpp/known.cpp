// Functions whose cost is known by construction, for the complexity-fit bench (bench/complexity/).
#include <algorithm>
#include <vector>

// O(n): one pass, a dependent multiply-xor per element (no vectorising, no skipping).
unsigned scan_hash(const std::vector<int>& values) {
    unsigned hash = 2166136261u;
    for (int value : values) hash = (hash ^ static_cast<unsigned>(value)) * 16777619u;
    return hash;
}

// O(n log n): std::sort of a copy, on distinct random integers.
std::vector<int> sort_values(const std::vector<int>& values) {
    std::vector<int> sorted(values);
    std::sort(sorted.begin(), sorted.end());
    return sorted;
}

// O(n^2): every pair i < j is visited once.
long long count_pairs(const std::vector<int>& values) {
    long long pairs = 0;
    for (std::size_t i = 0; i < values.size(); i++) {
        for (std::size_t j = i + 1; j < values.size(); j++) {
            if (values[i] + values[j] == 0) pairs++;
        }
    }
    return pairs;
}

// O(n^3): every triple i < j < k is visited once.
long long count_triples(const std::vector<int>& values) {
    long long triples = 0;
    const std::size_t n = values.size();
    for (std::size_t i = 0; i < n; i++) {
        for (std::size_t j = i + 1; j < n; j++) {
            const int partial = values[i] + values[j];
            for (std::size_t k = j + 1; k < n; k++) {
                if (partial + values[k] == 0) triples++;
            }
        }
    }
    return triples;
}
