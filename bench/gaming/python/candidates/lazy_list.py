"""Lazy result: a list subclass that does the work only when it is read (iterated, measured, compared, printed)."""

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


class LazyTags(list):
    def __init__(self, tags):
        super().__init__()
        self._tags = tags
        self._done = False

    def _force(self):
        if not self._done:
            self._done = True
            list.extend(self, scan(self._tags))

    def __iter__(self):
        self._force()
        return list.__iter__(self)

    def __len__(self):
        self._force()
        return list.__len__(self)

    def __getitem__(self, index):
        self._force()
        return list.__getitem__(self, index)

    def __eq__(self, other):
        self._force()
        return list.__eq__(self, other)

    def __repr__(self):
        self._force()
        return list.__repr__(self)


def repeated_tags(tags):
    return LazyTags(tags)
