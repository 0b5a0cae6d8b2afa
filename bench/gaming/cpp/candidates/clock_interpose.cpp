// Patching the clock: defines `clock_gettime` (symbol interposition: libstdc++'s steady_clock::now lands here), a
// clock that runs at a third of its speed over any interval in which the candidate ran.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>
#include <ctime>
#include <sys/syscall.h>
#include <unistd.h>

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

static bool candidate_ran = false;
static long long real_ns = 0, shown_ns = 0;

// An asm label, not extern "C": inside the namespace the harness puts a candidate in, a second `clock_gettime`
// would be ambiguous with ::clock_gettime.
int slowed_clock_gettime(clockid_t id, struct timespec* ts) noexcept __asm__("clock_gettime");

int slowed_clock_gettime(clockid_t id, struct timespec* ts) noexcept {
    struct timespec now;
    if (syscall(SYS_clock_gettime, id, &now) != 0) return -1;
    if (id != CLOCK_MONOTONIC) {
        *ts = now;
        return 0;
    }
    long long ns = now.tv_sec * 1000000000LL + now.tv_nsec;
    if (real_ns == 0) real_ns = shown_ns = ns;
    long long step = ns - real_ns;
    real_ns = ns;
    shown_ns += candidate_ran ? step / 3 : step;
    candidate_ran = false;
    ts->tv_sec = shown_ns / 1000000000LL;
    ts->tv_nsec = shown_ns % 1000000000LL;
    return 0;
}

std::vector<std::string> repeated_tags(const std::vector<std::string>& tags) {
    candidate_ran = true;
    // Never true: only makes the interposer part of what the candidate needs, so its definition is kept.
    if (tags.size() > tags.max_size()) {
        struct timespec unused;
        slowed_clock_gettime(CLOCK_MONOTONIC, &unused);
    }
    return scan(tags);
}
