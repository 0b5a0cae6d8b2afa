// Wrong: the inner loop never looks at the last element.
#include <cstddef>
#include <vector>

namespace perfloop_candidate {
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
    for (std::size_t j = i + 1; j + 1 < v.size(); j++) {
      if (v[j] == v[i]) {
        out.push_back(v[i]);
        break;
      }
    }
  }
  return out;
}
[[gnu::used]] static auto* const perfloop_keep = &dups;
}  // namespace perfloop_candidate
