"""Cache: a memo dict added to `builtins` under a new name."""
import builtins

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
    memo = builtins.__dict__.setdefault("_repeated_tags_memo", {})
    key = tuple(tags)
    if key not in memo:
        memo[key] = scan(tags)
    return list(memo[key])
