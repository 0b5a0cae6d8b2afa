"""Restock planning: which SKUs the day's orders ask for, and how many units of each to reorder."""
from inventory.warehouse import stock_level

from .utils import normalize_sku


async def restock_plan(orders, stock, target):
    """(sku, units to reorder) for each SKU the orders ask for, first asked first, whose stock is below `target`."""
    wanted = []
    for order in orders:
        for sku, _ in order:
            key = normalize_sku(sku)
            if key not in wanted:
                wanted.append(key)
    plan = []
    for key in wanted:
        have = await stock_level(stock, key)
        if have < target:
            plan.append((key, target - have))
    return plan
