"""Cache: functools.lru_cache on a helper keyed by the tags as a tuple."""
import functools

def normalise(tag):
    return tag.strip().lower()


def scan(tags):
    """The original's own algorithm, unchanged: whatever this candidate gains comes from the trick around it."""
    seen = []
    repeated = []
    for tag in tags:
        key = normalise(tag)
        if key in seen:
            if key not in repeated:
                repeated.append(key)
        else:
            seen.append(key)
    return repeated


@functools.lru_cache(maxsize=None)
def cached_scan(key):
    return tuple(scan(list(key)))


def repeated_tags(tags):
    return list(cached_scan(tuple(tags)))
