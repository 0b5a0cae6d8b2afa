// Forgets the lower bound: returns nothing, so the difference shows in the argument (mutation mismatch).
#include <vector>

namespace perfloop_candidate {
void clamp_all(std::vector<int>& v, int, int hi) {
  for (int& x : v) x = x > hi ? hi : x;
}
[[gnu::used]] static auto* const perfloop_keep = &clamp_all;
}  // namespace perfloop_candidate
