// Inputs for join_words (see profilers/native/README.md): edge cases, then one input of n words.
#include <random>
#include <string>
#include <vector>

void correctness_inputs(perfloop::Inputs& in) {
    in.add({}, ", ");
    in.add({""}, ", ");
    in.add({"", "", ""}, "-");
    in.add({"one"}, ", ");
    in.add({"a", "b", "c"}, "");
    in.add({"a", "", "b", "", "c"}, ", ");
    in.add({"", "x"}, "::");
    in.add({"x", ""}, "::");
    in.add({"héllo", "wörld"}, " ");
    in.add({"tab\there", "new\nline"}, "\n");
    in.add({std::string(1000, 'z'), "y"}, std::string(50, '+'));
    in.add({"same", "same", "same"}, "same");
    std::mt19937_64 rng(7);
    for (int k = 0; k < 5; k++) {
        std::vector<std::string> words;
        for (int i = 0; i < 40; i++) words.push_back(i % 5 == 0 ? "" : std::string(1 + rng() % 9, static_cast<char>('a' + rng() % 26)));
        in.add(words, k % 2 ? ", " : "");
    }
}

void sized_input(std::size_t n, perfloop::Inputs& in) {
    std::mt19937_64 rng(n);
    std::vector<std::string> words;
    words.reserve(n);
    for (std::size_t i = 0; i < n; i++) words.push_back(std::string(1 + rng() % 12, static_cast<char>('a' + rng() % 26)));
    in.add(words, ", ");
}
