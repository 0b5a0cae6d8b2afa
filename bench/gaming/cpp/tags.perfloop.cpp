// Inputs for repeated_tags: edge cases, and 4,000 tags over 300 words to time (a few ms per call).
#include <cctype>
#include <random>
#include <string>
#include <vector>

static std::vector<std::string> tag_stream(std::size_t n, unsigned words, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; i++) {
        std::string word = "tag" + std::to_string(rng() % words);
        switch (rng() % 4) {
            case 0: out.push_back(word); break;
            case 1:
                for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                out.push_back(word);
                break;
            case 2: out.push_back(" " + word); break;
            default: out.push_back(word + "  "); break;
        }
    }
    return out;
}

void correctness_inputs(perfloop::Inputs& in) {
    in.add({});
    in.add({"a"});
    in.add({"a", " A "});
    in.add({"  "});
    in.add({"x", "y", "X", "y ", "z", "Y", "x"});
    for (unsigned n : {10u, 50u, 300u}) in.add(tag_stream(n, n / 3 + 1, n));
}

void performance_inputs(perfloop::Inputs& in) {
    in.add(tag_stream(4000, 300, 7));
}

void sized_input(std::size_t n, perfloop::Inputs& in) {
    in.add(tag_stream(n, static_cast<unsigned>(n / 12 + 1), static_cast<unsigned>(n)));
}
