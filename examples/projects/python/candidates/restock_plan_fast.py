from inventory.warehouse import stock_level

from .utils import normalize_sku


async def restock_plan(orders, stock, target):
    """(sku, units to reorder) for each SKU the orders ask for, first asked first, whose stock is below `target`."""
    wanted = dict.fromkeys(normalize_sku(sku) for order in orders for sku, _ in order)  # keeps first-asked order
    plan = []
    for key in wanted:
        have = await stock_level(stock, key)
        if have < target:
            plan.append((key, target - have))
    return plan
