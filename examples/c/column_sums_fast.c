#include <stddef.h>

/* Walks the matrix in memory order, adding each row into the running column sums. */
void column_sums(const int *matrix, size_t rows, size_t cols, long long *out) {
    for (size_t c = 0; c < cols; c++) out[c] = 0;
    for (size_t r = 0; r < rows; r++) {
        const int *row = matrix + r * cols;
        for (size_t c = 0; c < cols; c++) out[c] += row[c];
    }
}
