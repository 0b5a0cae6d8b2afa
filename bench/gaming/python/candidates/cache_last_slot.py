"""Cache: a fixed-size "last result" slot (last input, last output): it never grows, so a size watch sees nothing."""

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


LAST = [None, None]


def repeated_tags(tags):
    if LAST[0] is not tags:
        LAST[0] = tags
        LAST[1] = scan(tags)
    return list(LAST[1])
