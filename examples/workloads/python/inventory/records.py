"""Stock records as the warehouse exports them (data/stock.csv)."""
import csv
import os
from dataclasses import dataclass

DATA_FILE = os.path.join(os.path.dirname(__file__), "..", "data", "stock.csv")


@dataclass
class Record:
    sku: str
    warehouse: str
    units: int
    unit_price: float


def parse_row(row):
    return Record(row["sku"].strip().upper(), row["warehouse"].strip(), int(row["units"]), float(row["unit_price"]))


def load_records(path=DATA_FILE, copies=1):
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [parse_row(row) for _ in range(copies) for row in rows]
