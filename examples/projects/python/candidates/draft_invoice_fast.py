import uuid
from datetime import datetime, timezone

from inventory.catalog import load_prices

from .utils import normalize_sku


def draft_invoice(customer, order):
    """An invoice for `order` ((sku, quantity) lines): lines of one SKU merged, first seen first; unknown SKUs raise KeyError."""
    quantities = {}
    for sku, quantity in order:
        key = normalize_sku(sku)
        quantities[key] = quantities.get(key, 0) + quantity
    prices = dict(reversed(load_prices()))  # the first row of a SKU wins
    lines = [{"sku": key, "quantity": quantity, "cents": prices[key] * quantity} for key, quantity in quantities.items()]
    return {
        "number": str(uuid.uuid4()),
        "issued": datetime.now(timezone.utc).isoformat(),
        "customer": customer,
        "lines": lines,
        "total": sum(line["cents"] for line in lines),
    }
