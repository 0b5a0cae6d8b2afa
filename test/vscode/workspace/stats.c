/* Editor fixture: the C functions that get an "Optimize" lens (not the prototype, not main). */
#ifndef PERFLOOP_STATS_C
#define PERFLOOP_STATS_C
#include <stddef.h>
#include <stdlib.h>

long sum_until(const long *xs, size_t n, long limit);

static int
compare_longs(const void *a, const void *b)
{
  long x = *(const long *)a, y = *(const long *)b;
  return (x > y) - (x < y);
}

long *sorted_copy(const long *xs, size_t n) {
  long *copy = malloc(n * sizeof *copy);
  if (!copy) return NULL;
  for (size_t i = 0; i < n; i++) copy[i] = xs[i];
  qsort(copy, n, sizeof *copy, compare_longs);
  return copy;
}

size_t count_duplicates(const long *xs, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < i; j++)
      if (xs[i] == xs[j]) { count++; break; }
  return count;
}

int main(void) {
  long xs[] = {3, 1, 3};
  return (int)count_duplicates(xs, 3) - 1;
}
#endif
