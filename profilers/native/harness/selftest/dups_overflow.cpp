// Reads one past the end of the vector: AddressSanitizer must catch it (the harness has written progress
// side=candidate just before the call).
#include <cstddef>
#include <vector>

namespace perfloop_candidate {
std::vector<int> dups(const std::vector<int>& v) {
  std::vector<int> out;
  for (std::size_t i = 0; i <= v.size(); i++) {  // <= : off the end
    const int* data = v.data();
    int value = data[i];
    bool seenBefore = false;
    for (std::size_t j = 0; j < i && j < v.size(); j++) {
      if (v[j] == value) {
        seenBefore = true;
        break;
      }
    }
    if (seenBefore) continue;
    for (std::size_t j = i + 1; j < v.size(); j++) {
      if (v[j] == value) {
        out.push_back(value);
        break;
      }
    }
  }
  return out;
}
[[gnu::used]] static auto* const perfloop_keep = &dups;
}  // namespace perfloop_candidate
