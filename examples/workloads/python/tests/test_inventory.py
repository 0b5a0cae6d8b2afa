import unittest

from inventory.cleaning import duplicate_skus
from inventory.pricing import price_percentiles
from inventory.records import Record, load_records
from inventory.report import summary


class InventoryTest(unittest.TestCase):
    def test_duplicates(self):
        rows = [Record("A", "w", 1, 1.0), Record("B", "w", 1, 1.0), Record("A", "x", 2, 1.0), Record("A", "y", 1, 1.0)]
        self.assertEqual(duplicate_skus(rows), ["A"])

    def test_percentiles(self):
        rows = [Record(str(i), "w", 1, float(i)) for i in range(11)]
        self.assertEqual(price_percentiles(rows, [0, 50, 100]), [0.0, 5.0, 10.0])

    def test_summary(self):
        report = summary(load_records())
        self.assertGreater(report["records"], 0)


if __name__ == "__main__":
    unittest.main()
