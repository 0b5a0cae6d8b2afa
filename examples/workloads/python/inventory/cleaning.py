"""Cleaning: duplicate SKUs and empty lines."""
from .records import Record


def duplicate_skus(records):
    """SKUs that appear more than once, in the order their second appearance is met."""
    seen = []
    duplicates = []
    for record in records:
        if record.sku in seen and record.sku not in duplicates:
            duplicates.append(record.sku)
        seen.append(record.sku)
    return duplicates


def drop_empty(records):
    return [r for r in records if r.units > 0]


def merge_warehouses(records):
    totals = {}
    for r in records:
        key = (r.sku, r.warehouse)
        if key in totals:
            totals[key] = Record(r.sku, r.warehouse, totals[key].units + r.units, r.unit_price)
        else:
            totals[key] = r
    return list(totals.values())
