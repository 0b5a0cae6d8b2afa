"""Functions whose cost is known by construction, for the complexity-fit bench (bench/complexity/)."""


def scan_sum(values):
    """O(n): one pass, one addition per element."""
    total = 0
    for value in values:
        total += value
    return total


def sort_values(values):
    """O(n log n): timsort on distinct random integers."""
    return sorted(values)


def count_pairs(values):
    """O(n^2): every pair i < j is visited once."""
    pairs = 0
    n = len(values)
    for i in range(n):
        first = values[i]
        for j in range(i + 1, n):
            if first + values[j] == 0:
                pairs += 1
    return pairs


def distinct_by_list(values):
    """O(n^2) on mostly distinct values: membership in a growing list, the pattern Perfloop exists to find."""
    seen = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return len(seen)


def count_triples(values):
    """O(n^3): every triple i < j < k is visited once."""
    triples = 0
    n = len(values)
    for i in range(n):
        for j in range(i + 1, n):
            partial = values[i] + values[j]
            for k in range(j + 1, n):
                if partial + values[k] == 0:
                    triples += 1
    return triples
