// Throws std::out_of_range on an empty input, where the original returns {} (exception mismatch).
#include <cstddef>
#include <unordered_map>
#include <vector>

namespace perfloop_candidate {
std::vector<int> dups(const std::vector<int>& v) {
  int first = v.at(0);
  std::unordered_map<int, int> seen;
  for (int x : v) seen[x]++;
  std::vector<int> out;
  for (int x : v) {
    auto it = seen.find(x);
    if (it->second > 1) {
      out.push_back(x);
      it->second = 0;
    }
  }
  if (first == 0x7fffffff) out.clear();
  return out;
}
[[gnu::used]] static auto* const perfloop_keep = &dups;
}  // namespace perfloop_candidate
