/* Column sums of a row-major matrix. */
#include <stddef.h>

/* out[c] = sum of column c of the rows x cols matrix stored row by row. */
void column_sums(const int *matrix, size_t rows, size_t cols, long long *out) {
    for (size_t c = 0; c < cols; c++) {
        long long sum = 0;
        for (size_t r = 0; r < rows; r++) {
            sum += matrix[r * cols + c];  /* strides a whole row per step: a cache miss each time */
        }
        out[c] = sum;
    }
}
