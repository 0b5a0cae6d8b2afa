"""Hand-written rewrite of find_duplicates: sets for membership, same output order."""


def normalise(email):
    return email.strip().lower()


def find_duplicates(emails):
    seen = set()
    reported = set()
    duplicates = []
    for email in emails:
        key = normalise(email)
        if key in seen:
            if key not in reported:
                reported.add(key)
                duplicates.append(key)
        else:
            seen.add(key)
    return duplicates
