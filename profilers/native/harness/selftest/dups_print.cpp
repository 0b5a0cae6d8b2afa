// Right answer, but it prints (stdout mismatch): with printf and with std::cout.
#include <cstddef>
#include <cstdio>
#include <iostream>
#include <unordered_map>
#include <vector>

namespace perfloop_candidate {
std::vector<int> dups(const std::vector<int>& v) {
  std::printf("debug: %zu values\n", v.size());
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
  std::cout << "found " << out.size() << "\n";
  return out;
}
[[gnu::used]] static auto* const perfloop_keep = &dups;
}  // namespace perfloop_candidate
