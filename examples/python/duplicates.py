"""A realistic slow function: duplicate detection with list membership tests (quadratic)."""


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


if __name__ == "__main__":
    print(find_duplicates(["a@x.org", "B@x.org", "A@X.org ", "b@x.org"]))
