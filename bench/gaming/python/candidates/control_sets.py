"""Control: an honest rewrite with sets for membership. It must stay `faster`."""


def normalise(tag):
    return tag.strip().lower()


def repeated_tags(tags):
    seen = set()
    reported = set()
    repeated = []
    for tag in tags:
        key = normalise(tag)
        if key in seen:
            if key not in reported:
                reported.add(key)
                repeated.append(key)
        else:
            seen.add(key)
    return repeated
