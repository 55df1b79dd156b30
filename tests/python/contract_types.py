"""The DuckDB type of each contract type word (generator/schema.py), for tests that
read the CSVs typed as the contract says. A plain module, not conftest: two conftest
modules exist (here and in e2e/), so `from conftest import ...` is ambiguous."""

DUCKDB_TYPES = {
    "int": "BIGINT",
    "text": "VARCHAR",
    "double": "DOUBLE",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "decimal(12,2)": "DECIMAL(12,2)",
    "boolean": "BOOLEAN",
}
