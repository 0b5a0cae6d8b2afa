"""Order totals against the shipped price list."""
from inventory.catalog import load_prices

from .utils import normalize_sku


def order_total(order):
    """Total in cents of an order of (sku, quantity) lines; unknown SKUs raise KeyError."""
    prices = load_prices()
    total = 0
    for sku, quantity in order:
        key = normalize_sku(sku)
        for known, cents in prices:
            if known == key:
                total += cents * quantity
                break
        else:
            raise KeyError(key)
    return total
