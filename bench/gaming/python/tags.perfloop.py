"""Inputs for repeated_tags: edge cases to check, and 2,000 tags over 150 words to time (a few ms per call)."""
import random


def tag_stream(n, words, seed):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        word = "tag%d" % rng.randrange(words)
        style = rng.randrange(4)
        out.append(word if style == 0 else word.upper() if style == 1 else " " + word if style == 2 else word + "  ")
    return out


def correctness_inputs():
    yield [[]]
    yield [["a"]]
    yield [["a", " A "]]
    yield [["x", "y", "X", "y ", "z", "Y", "x"]]
    for n in (10, 50, 300):
        yield [tag_stream(n, n // 3 + 1, n)]


def performance_inputs():
    yield [tag_stream(2000, 150, 7)]


def sized_input(n):
    return [tag_stream(n, max(1, n // 12), n)]
