"""Inputs for find_duplicates (found automatically: <stem>.perfloop.py next to the code)."""
import random


def correctness_inputs():
    yield [[]]
    yield [["a@x.org"]]
    yield [["a@x.org", "A@X.ORG "]]
    yield [["b@x.org", "a@x.org", "b@x.org", "a@x.org", "b@x.org"]]
    yield [[" Émile@x.org", "émile@x.org", "x@y"]]
    rng = random.Random(7)
    for n in (10, 50, 200):
        yield [[f"user{rng.randrange(n // 2 + 1)}@example.com" for _ in range(n)]]


def sized_input(n):
    rng = random.Random(n)
    return [[f"User{rng.randrange(n)}@Example.com " for _ in range(n)]]


def performance_inputs():
    yield sized_input(2000)
