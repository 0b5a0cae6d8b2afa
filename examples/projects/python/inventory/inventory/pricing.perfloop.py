"""Inputs for order_total (found automatically: <stem>.perfloop.py next to the code)."""
import random

from inventory.catalog import load_prices


def _skus():
    return [sku for sku, _ in load_prices()]


def correctness_inputs():
    skus = _skus()
    yield [[]]
    yield [[(skus[0], 1)]]
    yield [[(" " + skus[-1].lower() + " ", 3), (skus[0], 2)]]
    yield [[("NO-SUCH-SKU", 1)]]
    rng = random.Random(7)
    for n in (5, 40):
        yield [[(rng.choice(skus), rng.randrange(1, 9)) for _ in range(n)]]


def sized_input(n):
    rng = random.Random(n)
    skus = _skus()
    return [[(rng.choice(skus), rng.randrange(1, 9)) for _ in range(n)]]


def performance_inputs():
    yield sized_input(2000)
