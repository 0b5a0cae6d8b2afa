"""The nightly job: load the export, clean it, price it, print the report."""
from inventory.records import load_records
from inventory.report import render, summary

if __name__ == "__main__":
    print(render(summary(load_records(copies=4))))
