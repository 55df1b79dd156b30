"""Load the generator's raw files into schema ``raw`` of a dbt target.

``python -m loader --target duckdb|postgres|spark [--data DIR]`` makes one relation
per contract table (docs/raw_data.md), named as the table, every column text exactly
as the CSV spells it, with each engine's native bulk path. Running it again replaces
what it made (idempotent). The connection comes from ``profiles.yml``.

``loader.contract`` holds the checks that run before it, ``loader.publish`` the
write-audit-publish build on DuckDB.
"""
