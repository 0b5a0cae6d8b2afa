"""The gaming catalogue's second Python original: the distinct names, sorted (always a new list)."""


def unique_sorted(names):
    return sorted(set(names))
