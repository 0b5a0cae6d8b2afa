// A target that changes its argument (std::vector<int>&): compared after the call.
#include <vector>

namespace perfloop_original {
void clamp_all(std::vector<int>& v, int lo, int hi) {
  for (int& x : v) x = x < lo ? lo : x > hi ? hi : x;
}
[[gnu::used]] static auto* const perfloop_keep = &clamp_all;
}  // namespace perfloop_original
