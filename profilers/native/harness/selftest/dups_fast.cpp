// A correct, faster candidate: one hash-map pass.
#include <cstddef>
#include <unordered_map>
#include <vector>

namespace perfloop_candidate {
std::vector<int> dups(const std::vector<int>& v) {
  std::unordered_map<int, int> seen;
  seen.reserve(v.size());
  for (int x : v) seen[x]++;
  std::vector<int> out;
  for (int x : v) {
    auto it = seen.find(x);
    if (it->second > 1) {
      out.push_back(x);
      it->second = 0;  // emitted once
    }
  }
  return out;
}
[[gnu::used]] static auto* const perfloop_keep = &dups;
}  // namespace perfloop_candidate
