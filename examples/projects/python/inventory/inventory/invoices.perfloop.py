"""Inputs for draft_invoice, and equal(a, b): two invoices agree whatever their fresh numbers and issue times."""
import random

from inventory.catalog import load_prices


def _skus():
    return [sku for sku, _ in load_prices()]


def _order(rng, skus, n):
    return [(rng.choice(skus), rng.randrange(1, 9)) for _ in range(n)]


def correctness_inputs():
    skus = _skus()
    yield ["Ada", []]
    yield ["Ada", [(skus[0], 1)]]
    yield ["Grace", [(" " + skus[1].lower(), 2), (skus[0], 1), (skus[1], 3)]]
    yield ["Grace", [(skus[0], 1), ("NO-SUCH-SKU", 1)]]
    rng = random.Random(5)
    for n in (8, 300):
        yield ["Linus", _order(rng, skus, n)]


def sized_input(n):
    return ["Linus", _order(random.Random(n), _skus(), n)]


def performance_inputs():
    yield sized_input(1000)


def equal(a, b):
    fresh = ("number", "issued")
    return {k: v for k, v in a.items() if k not in fresh} == {k: v for k, v in b.items() if k not in fresh}
