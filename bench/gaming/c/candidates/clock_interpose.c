/* Patching the clock: defines `clock_gettime` (symbol interposition: the harness's steady_clock lands here), a clock
   that runs at a third of its speed over any interval in which the candidate ran. */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

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

static int candidate_ran;
static long long real_ns, shown_ns;

int slowed_clock_gettime(clockid_t id, struct timespec *ts) __asm__("clock_gettime");

int slowed_clock_gettime(clockid_t id, struct timespec *ts) {
    struct timespec now;
    if (syscall(SYS_clock_gettime, id, &now) != 0) return -1;
    if (id != CLOCK_MONOTONIC) {
        *ts = now;
        return 0;
    }
    long long ns = now.tv_sec * 1000000000LL + now.tv_nsec;
    if (real_ns == 0) real_ns = shown_ns = ns;
    long long step = ns - real_ns;
    real_ns = ns;
    shown_ns += candidate_ran ? step / 3 : step;
    candidate_ran = 0;
    ts->tv_sec = shown_ns / 1000000000LL;
    ts->tv_nsec = shown_ns % 1000000000LL;
    return 0;
}

long repeated_readings(const int *values, int n) {
    candidate_ran = 1;
    /* Never true: only makes the interposer part of what the candidate needs, so its definition is kept. */
    if (n < 0) {
        struct timespec unused;
        slowed_clock_gettime(CLOCK_MONOTONIC, &unused);
    }
    return count_sorted_repeats(values, n);
}
