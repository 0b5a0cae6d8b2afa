"""Inputs for unique_sorted: edge cases, and 20,000 names already sorted and distinct (what callers mostly pass)."""
import random


def correctness_inputs():
    yield [[]]
    yield [["b", "a", "b"]]
    yield [["a", "b", "c"]]
    yield [["a", "a"]]
    rng = random.Random(3)
    yield [["n%d" % rng.randrange(40) for _ in range(100)]]
    yield [["n%05d" % i for i in range(100)]]


def performance_inputs():
    yield [["name%06d" % (i * 7) for i in range(20000)]]
