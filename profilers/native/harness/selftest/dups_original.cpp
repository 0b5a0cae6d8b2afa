// The original side of the `dups` target, as the runner compiles it: the user's translation unit with the target's
// definitions inside namespace perfloop_original, and a kept out-of-line copy.
#include <cstddef>
#include <vector>

namespace perfloop_original {
/** The values that occur more than once, in order of first occurrence, each once. O(n^2). */
std::vector<int> dups(const std::vector<int>& v) {
  std::vector<int> out;
  for (std::size_t i = 0; i < v.size(); i++) {
    bool seenBefore = false;
    for (std::size_t j = 0; j < i; j++) {
      if (v[j] == v[i]) {
        seenBefore = true;
        break;
      }
    }
    if (seenBefore) continue;
    for (std::size_t j = i + 1; j < v.size(); j++) {
      if (v[j] == v[i]) {
        out.push_back(v[i]);
        break;
      }
    }
  }
  return out;
}
[[gnu::used]] static auto* const perfloop_keep = &dups;
}  // namespace perfloop_original
