#include <stddef.h>
#define centroid perfloop_candidate_centroid
struct Point { double x; double y; };

struct Point centroid(const struct Point* p, size_t n) {
  struct Point c = {0, 0};
  if (n == 0) return c;
  for (size_t i = 0; i < n; i++) {
    c.x += p[i].x;
    c.y += p[i].y;
  }
  c.x /= (double)n; /* rounds differently from the original: equal within the tolerance */
  c.y /= (double)n;
  return c;
}
