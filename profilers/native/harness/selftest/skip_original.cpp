// A target returning a C string that points into its argument: compared as text.
namespace perfloop_original {
const char* skip_spaces(const char* s) {
  while (*s == ' ') s++;
  return s;
}
[[gnu::used]] static auto* const perfloop_keep = &skip_spaces;
}  // namespace perfloop_original
