"""Cache: a memo dict kept in an attribute of the function, created on the first call."""

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


def repeated_tags(tags):
    memo = repeated_tags.__dict__.setdefault("memo", {})
    key = tuple(tags)
    if key not in memo:
        memo[key] = scan(tags)
    return list(memo[key])
