"""Stock reports for the back office."""
from .utils import normalize_sku


class StockReport:
    """Summaries of stock movements. It holds no state: one instance serves every caller."""

    def net_units(self, movements):
        """(sku, net units moved) for every SKU of `movements` ((sku, signed units) pairs), by SKU."""
        skus = sorted({normalize_sku(sku) for sku, _ in movements})
        return [(sku, sum(units for other, units in movements if normalize_sku(other) == sku)) for sku in skus]
