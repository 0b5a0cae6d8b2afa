"""Invoices for orders: a fresh number and issue time, and the order's lines priced from the price list."""
import uuid
from datetime import datetime, timezone

from inventory.catalog import load_prices

from .utils import normalize_sku


def draft_invoice(customer, order):
    """An invoice for `order` ((sku, quantity) lines): lines of one SKU merged, first seen first; unknown SKUs raise KeyError."""
    lines = []
    for sku, quantity in order:
        key = normalize_sku(sku)
        for line in lines:
            if line["sku"] == key:
                line["quantity"] += quantity
                break
        else:
            lines.append({"sku": key, "quantity": quantity})
    prices = dict(reversed(load_prices()))  # the first row of a SKU wins
    for line in lines:
        line["cents"] = prices[line["sku"]] * line["quantity"]
    return {
        "number": str(uuid.uuid4()),
        "issued": datetime.now(timezone.utc).isoformat(),
        "customer": customer,
        "lines": lines,
        "total": sum(line["cents"] for line in lines),
    }
