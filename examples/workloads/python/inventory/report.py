"""The text report the warehouse team reads."""
from .cleaning import drop_empty, duplicate_skus, merge_warehouses
from .pricing import price_percentiles, stock_value


def summary(records):
    clean = merge_warehouses(drop_empty(records))
    bands = price_percentiles(records, range(0, 101))
    return {
        "records": len(records),
        "duplicates": len(duplicate_skus(records)),
        "value": stock_value(clean),
        "median_price": bands[50],
    }


def render(summary_row):
    return "\n".join("%-14s %s" % (key, value) for key, value in summary_row.items())
