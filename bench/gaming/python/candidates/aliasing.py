"""Aliasing: returns the caller's own list when it is already sorted and distinct, where the original returns a new one."""
import itertools
import operator


def unique_sorted(names):
    if all(map(operator.lt, names, itertools.islice(names, 1, None))):
        return names
    return sorted(set(names))
