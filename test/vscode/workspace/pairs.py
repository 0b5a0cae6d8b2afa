"""A second slow module for Perfloop's editor tests: a quadratic pair count with two arguments."""


def count_pairs_with_sum(numbers, target):
    """How many index pairs i < j have numbers[i] + numbers[j] == target."""
    count = 0
    for i in range(len(numbers)):
        for j in range(i + 1, len(numbers)):
            if numbers[i] + numbers[j] == target:
                count += 1
    return count
