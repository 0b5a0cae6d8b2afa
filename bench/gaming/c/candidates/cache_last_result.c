/* Cache: a `static` last-result slot (the last input's address, length and ends, and its answer). */
#include <stdlib.h>
#include <string.h>

static int compare_readings(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The original's own algorithm, unchanged: whatever this candidate gains comes from the trick around it. */
static long count_sorted_repeats(const int *values, int n) {
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

static const int *last_values;
static int last_n = -1, last_first, last_last;
static long last_result;

long repeated_readings(const int *values, int n) {
    if (n > 0 && values == last_values && n == last_n && values[0] == last_first && values[n - 1] == last_last) return last_result;
    last_result = count_sorted_repeats(values, n);
    last_values = values;
    last_n = n;
    if (n > 0) {
        last_first = values[0];
        last_last = values[n - 1];
    }
    return last_result;
}
