// Control: an honest rewrite with hash sets for membership. It must stay `faster`.
#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_set>
#include <vector>

static std::string normalise(const std::string& tag) {
    std::size_t begin = tag.find_first_not_of(" \t");
    if (begin == std::string::npos) return "";
    std::size_t end = tag.find_last_not_of(" \t");
    std::string key = tag.substr(begin, end - begin + 1);
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return key;
}

std::vector<std::string> repeated_tags(const std::vector<std::string>& tags) {
    std::unordered_set<std::string> seen;
    std::unordered_set<std::string> reported;
    std::vector<std::string> repeated;
    for (const std::string& tag : tags) {
        std::string key = normalise(tag);
        if (!seen.insert(key).second && reported.insert(key).second) repeated.push_back(key);
    }
    return repeated;
}
