#include <stddef.h>
#define sum perfloop_candidate_sum
#define N 4

long sum(const int* a, size_t n) {
  long s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + N <= n; i += N) {
    s0 += a[i];
    s1 += a[i + 1];
    s2 += a[i + 2];
    s3 += a[i + 3];
  }
  for (; i < n; i++) s0 += a[i];
  return s0 + s1 + s2 + s3;
}
