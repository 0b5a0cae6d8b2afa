"""Inputs for every function of known.py: n random integers, nearly all distinct (so list membership scans the list)."""
import random


def correctness_inputs():
    yield [[]]
    yield [[0]]
    yield [[3, -3, 1, 2, -1]]
    yield [[5, 5, -5, 0, 0, 0]]
    rng = random.Random(11)
    for n in (10, 40):
        yield [[rng.randrange(-n, n) for _ in range(n)]]


def sized_input(n):
    rng = random.Random(n)
    return [[rng.randrange(-10 * n, 10 * n) for _ in range(n)]]


def performance_inputs():
    yield sized_input(300)
