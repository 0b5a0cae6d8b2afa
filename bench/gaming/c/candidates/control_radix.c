/* Control: an honest rewrite, an LSD radix sort of the copy instead of qsort's comparisons. It must stay `faster`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

long repeated_readings(const int *values, int n) {
    if (n < 2) return 0;
    uint32_t *keys = malloc((size_t)n * sizeof *keys);
    uint32_t *spare = malloc((size_t)n * sizeof *spare);
    if (keys == NULL || spare == NULL) {
        free(keys);
        free(spare);
        return -1;
    }
    for (int i = 0; i < n; i++) keys[i] = (uint32_t)values[i] ^ 0x80000000u;
    for (int shift = 0; shift < 32; shift += 8) {
        size_t counts[257] = {0};
        for (int i = 0; i < n; i++) counts[((keys[i] >> shift) & 0xffu) + 1]++;
        for (int b = 0; b < 256; b++) counts[b + 1] += counts[b];
        for (int i = 0; i < n; i++) spare[counts[(keys[i] >> shift) & 0xffu]++] = keys[i];
        uint32_t *swap = keys;
        keys = spare;
        spare = swap;
    }
    long count = 0;
    for (int i = 1; i < n; i++) {
        if (keys[i] == keys[i - 1] && (i == 1 || keys[i - 1] != keys[i - 2])) count++;
    }
    free(keys);
    free(spare);
    return count;
}
