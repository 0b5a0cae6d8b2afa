from inventory.catalog import load_prices

from .utils import normalize_sku


def order_total(order):
    """Total in cents of an order of (sku, quantity) lines; unknown SKUs raise KeyError."""
    prices = dict(reversed(load_prices()))  # the first row of a SKU wins, as in the scan
    total = 0
    for sku, quantity in order:
        total += prices[normalize_sku(sku)] * quantity
    return total
