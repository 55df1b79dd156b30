"""DuckDB: views in schema ``raw`` over the files (DuckDB reads them directly at
query time, so the load itself moves no data; docs/decisions.md D25)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from .files import LoadError, RawTable
from .read_rejects import READ_CSV_OPTIONS


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def view_sql(table: RawTable) -> str:
    """The view over ``table``'s files, every column as text in the contract's
    spelling (a Parquet value cast to text is written as the CSV writes it)."""
    files = "[" + ", ".join(_literal(str(path)) for path in table.files) + "]"
    if table.format == "csv":
        # the dbt source's reader: a line it cannot split or decode is
        # skipped, not fatal (the base models store it: D82, D83)
        reader = f"read_csv({files}, {READ_CSV_OPTIONS})"
        columns = ", ".join(_ident(column) for column in table.columns)
    else:
        reader = f"read_parquet({files}, union_by_name = true)"
        columns = ", ".join(
            f"cast({_ident(column)} as varchar) as {_ident(column)}"
            for column in table.columns
        )
    return (
        f"create or replace view raw.{_ident(table.name)} as "
        f"select {columns} from {reader}"
    )


def load(
    tables: list[RawTable], settings: dict[str, Any], after: list[str]
) -> dict[str, int]:
    path = Path(str(settings["path"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = duckdb.connect(str(path))
    except duckdb.IOException as exc:
        raise LoadError(f"cannot open {path}: {exc}") from None
    rows: dict[str, int] = {}
    with connection:
        connection.execute("create schema if not exists raw")
        for table in tables:
            try:
                connection.execute(view_sql(table))
                counted = connection.execute(
                    f"select count(*) from raw.{_ident(table.name)}"
                ).fetchone()
            except duckdb.Error as exc:
                raise LoadError(f"{table.name}: {exc}") from None
            rows[table.name] = int(counted[0]) if counted else 0
    return rows
