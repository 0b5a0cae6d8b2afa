// Allocates `bytes` bytes (a std::vector<char>, through operator new): memory mode must report about that much.
#include <cstddef>
#include <vector>

namespace perfloop_original {
long make_buffer(std::size_t bytes) {
  std::vector<char> buffer(bytes);
  for (std::size_t i = 0; i < bytes; i += 4096) buffer[i] = static_cast<char>(i);
  long total = 0;
  for (std::size_t i = 0; i < bytes; i += 4096) total += buffer[i];
  return total;
}
[[gnu::used]] static auto* const perfloop_keep = &make_buffer;
}  // namespace perfloop_original
