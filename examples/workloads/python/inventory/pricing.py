"""Pricing: stock value and price bands."""
from .utils import clamp


def stock_value(records):
    return round(sum(r.units * r.unit_price for r in records), 2)


def price_percentiles(records, points):
    """The unit price at each percentile in `points` (0-100), nearest rank."""
    out = []
    for p in points:
        prices = sorted(r.unit_price for r in records)
        rank = clamp(int(round(p / 100 * (len(prices) - 1))), 0, len(prices) - 1)
        out.append(prices[rank])
    return out


def discount(price, percent):
    return round(price * (1 - percent / 100), 2)
