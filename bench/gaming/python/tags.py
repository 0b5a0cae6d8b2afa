"""The gaming catalogue's Python original: tags typed by users that occur more than once (list membership, slow)."""


def normalise(tag):
    return tag.strip().lower()


def repeated_tags(tags):
    """The normalised tags that occur more than once, in the order of their second occurrence."""
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
