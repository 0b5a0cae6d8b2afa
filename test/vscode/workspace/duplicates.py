"""A slow module for Perfloop's editor tests: quadratic duplicate detection (examples/python/duplicates.py)."""


def normalise(email):
    return email.strip().lower()


def find_duplicates(emails):
    """Return the normalised addresses that occur more than once, in order of their second occurrence."""
    seen = []
    duplicates = []
    for email in emails:
        key = normalise(email)
        if key in seen and key not in duplicates:
            duplicates.append(key)
        seen.append(key)
    return duplicates
