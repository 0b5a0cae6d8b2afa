/* The gaming catalogue's C original: how many distinct readings occur more than once (sort a copy with qsort). */
#include <stdlib.h>
#include <string.h>

static int compare_readings(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The number of distinct values that occur at least twice in values[0..n). */
long repeated_readings(const int *values, int n) {
    if (n < 2) return 0;
    int *sorted = malloc((size_t)n * sizeof *sorted);
    if (sorted == NULL) return -1;
    memcpy(sorted, values, (size_t)n * sizeof *sorted);
    qsort(sorted, (size_t)n, sizeof *sorted, compare_readings);
    long count = 0;
    for (int i = 1; i < n; i++) {
        if (sorted[i] == sorted[i - 1] && (i == 1 || sorted[i - 1] != sorted[i - 2])) count++;
    }
    free(sorted);
    return count;
}
