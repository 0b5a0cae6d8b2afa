/* A C target, compiled as C with the side's renaming (README.md: "#define NAME perfloop_<side>_NAME"). */
#include <stddef.h>
#define sum perfloop_original_sum
#define N 4 /* user macros are common in C: the harness header must survive them */

long sum(const int* a, size_t n) {
  long s = 0;
  for (size_t i = 0; i < n; i++) s += a[i];
  return s;
}
