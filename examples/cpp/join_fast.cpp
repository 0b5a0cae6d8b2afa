#include <string>
#include <vector>

// One allocation of the final size, then appends: linear in the total length instead of quadratic.
std::string join_words(const std::vector<std::string>& words, const std::string& sep) {
    std::size_t total = 0;
    for (const std::string& word : words) total += word.size() + sep.size();
    std::string result;
    result.reserve(total);
    for (const std::string& word : words) {
        if (word.empty()) continue;
        if (!result.empty()) result += sep;
        result += word;
    }
    return result;
}
