"""Inputs for restock_plan: (orders, stock counts by SKU, target stock)."""
import random


def _day(rng, orders, skus):
    day = [[("SKU-%05d" % rng.randrange(skus), rng.randrange(1, 9)) for _ in range(rng.randrange(1, 6))] for _ in range(orders)]
    stock = {"SKU-%05d" % i: rng.randrange(0, 40) for i in range(0, skus, 2)}
    return day, stock


def correctness_inputs():
    yield [[], {}, 10]
    yield [[[("sku-00001", 2)]], {}, 10]
    yield [[[(" sku-00001 ", 1), ("SKU-00002", 1)], [("SKU-00001", 4)]], {"SKU-00001": 3, "SKU-00002": 12}, 10]
    yield [[[("SKU-00001", 1)]], {"SKU-00001": 10}, 10]
    rng = random.Random(11)
    for orders in (3, 60):
        yield [*_day(rng, orders, 25), 20]


def sized_input(n):
    rng = random.Random(n)
    return [*_day(rng, n, n), 20]


def performance_inputs():
    yield sized_input(1500)
