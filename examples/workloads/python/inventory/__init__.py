"""A small inventory package: load stock records, clean them, price them and report on them."""
