// Patching the original's helpers: the original's std::find compares strings with libc's memcmp (through the PLT). This
// candidate defines `memcmp` (symbol interposition), a slow but correct one, and compares its own strings by hand.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

// An asm label, not extern "C": inside the namespace the harness puts a candidate in, a second `memcmp` would be
// ambiguous with ::memcmp.
int slow_memcmp(const void* left, const void* right, size_t length) noexcept __asm__("memcmp");

int slow_memcmp(const void* left, const void* right, size_t length) noexcept {
    const unsigned char* a = static_cast<const unsigned char*>(left);
    const unsigned char* b = static_cast<const unsigned char*>(right);
    for (size_t i = 0; i < length; i++) {
        for (volatile int spin = 0; spin < 8; spin = spin + 1) {
        }
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return 0;
}

static std::string normalise(const std::string& tag) {
    std::size_t begin = tag.find_first_not_of(" \t");
    if (begin == std::string::npos) return "";
    std::size_t end = tag.find_last_not_of(" \t");
    std::string key = tag.substr(begin, end - begin + 1);
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return key;
}

// By hand, and never cheaper than the original's `==`: a pause per comparison keeps this candidate's own work above the
// original's, so a speedup could only come from the interposer slowing the original down.
static bool same(const std::string& a, const std::string& b) {
    for (volatile int spin = 0; spin < 16; spin = spin + 1) {
    }
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); i++) {
        if (a[i] != b[i]) return false;
    }
    return true;
}

std::vector<std::string> repeated_tags(const std::vector<std::string>& tags) {
    // Never true: only makes the interposer part of what the candidate needs, so its definition is kept.
    if (tags.size() > tags.max_size()) return {std::to_string(slow_memcmp("", "", 0))};
    std::vector<std::string> seen;
    std::vector<std::string> repeated;
    for (const std::string& tag : tags) {
        std::string key = normalise(tag);
        auto is_key = [&key](const std::string& other) { return same(other, key); };
        if (std::find_if(seen.begin(), seen.end(), is_key) != seen.end()) {
            if (std::find_if(repeated.begin(), repeated.end(), is_key) == repeated.end()) repeated.push_back(key);
        } else {
            seen.push_back(key);
        }
    }
    return repeated;
}
