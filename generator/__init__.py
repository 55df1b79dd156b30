"""Cartify's data generator: simulates a UK online retailer and writes the raw CSVs
described in docs/raw_data.md. Run ``python -m generator --help``."""

__version__ = "0.1.0"
