"""Helpers shared by the package's modules."""


def normalize_sku(sku):
    """SKUs are typed by hand: case and surrounding blanks do not matter."""
    return sku.strip().upper()
