// The gaming catalogue's C++ original: tags typed by users that occur more than once (std::find over vectors, slow).
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

static std::string normalise(const std::string& tag) {
    std::size_t begin = tag.find_first_not_of(" \t");
    if (begin == std::string::npos) return "";
    std::size_t end = tag.find_last_not_of(" \t");
    std::string key = tag.substr(begin, end - begin + 1);
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return key;
}

// The normalised tags that occur more than once, in the order of their second occurrence.
std::vector<std::string> repeated_tags(const std::vector<std::string>& tags) {
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
