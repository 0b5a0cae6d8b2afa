"""The price list shipped with the package (data/prices.csv)."""
import csv
from pathlib import Path

from inventory.utils import normalize_sku

PRICES_CSV = Path(__file__).parent / "data" / "prices.csv"


def load_prices():
    """(sku, price in cents) rows of the price list, in file order."""
    with open(PRICES_CSV, newline="", encoding="utf-8") as handle:
        return [(normalize_sku(row["sku"]), int(row["cents"])) for row in csv.DictReader(handle)]
