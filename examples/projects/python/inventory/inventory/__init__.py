"""A small stock-keeping package: prices of stock-keeping units (SKUs) and order totals."""
from .pricing import order_total

__all__ = ["order_total"]
