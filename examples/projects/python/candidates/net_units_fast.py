from .utils import normalize_sku


class StockReport:
    def net_units(self, movements):
        """(sku, net units moved) for every SKU of `movements` ((sku, signed units) pairs), by SKU."""
        net = {}
        for sku, units in movements:
            key = normalize_sku(sku)
            net[key] = net.get(key, 0) + units
        return sorted(net.items())
