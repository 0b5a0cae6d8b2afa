"""Inputs for StockReport.net_units: a report (the receiver) and the stock movements."""
import random

from inventory.reports import StockReport


def _movements(rng, n, skus):
    return [("SKU-%05d" % rng.randrange(skus), rng.choice((-1, 1)) * rng.randrange(1, 50)) for _ in range(n)]


def correctness_inputs():
    yield [StockReport(), []]
    yield [StockReport(), [("sku-00001", 5)]]
    yield [StockReport(), [(" sku-00002", 5), ("SKU-00001", -2), ("SKU-00002 ", -5)]]
    rng = random.Random(3)
    for n in (10, 200):
        yield [StockReport(), _movements(rng, n, n // 4 + 1)]


def sized_input(n):
    return [StockReport(), _movements(random.Random(n), n, n // 4 + 1)]


def performance_inputs():
    yield sized_input(800)
