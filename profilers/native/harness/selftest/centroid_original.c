/* A C target returning a struct of doubles (no operator==: compared field by field, with the float tolerance). */
#include <stddef.h>
#define centroid perfloop_original_centroid
struct Point { double x; double y; };

struct Point centroid(const struct Point* p, size_t n) {
  struct Point c = {0, 0};
  for (size_t i = 0; i < n; i++) {
    c.x += p[i].x / (double)n;
    c.y += p[i].y / (double)n;
  }
  return c;
}
