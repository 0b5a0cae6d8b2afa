// Joins the non-empty words of a list with a separator.
#include <string>
#include <vector>

std::string join_words(const std::vector<std::string>& words, const std::string& sep) {
    std::string result;
    for (const std::string& word : words) {
        if (word.empty()) continue;
        if (!result.empty()) result = result + sep;  // copies everything built so far, once per word
        result = result + word;
    }
    return result;
}

#ifdef JOIN_DEMO
#include <cstdio>
int main() {
    std::printf("%s\n", join_words({"a", "", "b", "c"}, ", ").c_str());
    return 0;
}
#endif
