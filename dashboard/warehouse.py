"""Read-only access to the marts, safe to use while dbt builds.

DuckDB lets one process hold a database file for writing, and a process holding it
read-only blocks a writer. So every batch of queries opens its own read-only
connection and closes it at once; results are cached on the file's modification
time (a rebuild invalidates them). A missing, locked or unbuilt warehouse raises
`WarehouseUnavailable` with one sentence saying what to run.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import settings

# A mart every page needs; its absence means the warehouse was never built.
REQUIRED_MART = "kpi_summary"


class WarehouseUnavailable(Exception):
    """The warehouse cannot be read; the message says what to run."""


@dataclass(frozen=True)
class Query:
    """One SQL statement over the marts. `{marts}` in the text is the marts schema;
    values are bound as parameters ($name), never formatted into the text."""

    sql: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, sql: str, **params: object) -> Query:
        return cls(sql, tuple(sorted(params.items())))


def _version(path: Path) -> tuple[float, float]:
    """Changes whenever dbt writes the file or its write-ahead log."""
    wal = path.with_name(path.name + ".wal")
    return (
        path.stat().st_mtime,
        wal.stat().st_mtime if wal.exists() else 0.0,
    )


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise WarehouseUnavailable(
            f"No warehouse at {path}. Build it first: `make build` "
            "(or `dbt build`), then reload this page."
        )
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise WarehouseUnavailable(
                f"The warehouse {path} is locked by another process (a running "
                "`dbt build`?). Wait for it to finish, then reload this page."
            ) from None
        raise WarehouseUnavailable(
            f"The warehouse {path} cannot be opened ({error}). Rebuild it: "
            "`make clean build`."
        ) from None
    except duckdb.Error as error:
        raise WarehouseUnavailable(
            f"The warehouse {path} cannot be opened ({error}). Rebuild it: "
            "`make clean build`."
        ) from None


def _run(
    path: Path, version: tuple[float, float], queries: tuple[Query, ...]
) -> tuple[pd.DataFrame, ...]:
    del version  # only part of the cache key
    schema = settings.MARTS_SCHEMA
    con = _connect(path)
    try:
        (found,) = con.execute(
            "select count(*) from duckdb_tables() "
            "where schema_name = $schema and table_name = $table",
            {"schema": schema, "table": REQUIRED_MART},
        ).fetchone() or (0,)
        if not found:
            raise WarehouseUnavailable(
                f"The warehouse {path} has no `{schema}.{REQUIRED_MART}`: the marts "
                "were not built. Run `make build` (or `dbt build`), then reload."
            )
        frames = []
        for query in queries:
            sql = query.sql.format(marts=schema)
            frames.append(con.execute(sql, dict(query.params)).df())
        return tuple(frames)
    finally:
        con.close()


@functools.lru_cache(maxsize=256)
def _cached(
    path: Path, version: tuple[float, float], queries: tuple[Query, ...]
) -> tuple[pd.DataFrame, ...]:
    return _run(path, version, queries)


def fetch(*queries: Query, path: Path | None = None) -> tuple[pd.DataFrame, ...]:
    """The result of each query, in order, from one short-lived read-only connection
    (or from the cache while the warehouse file is unchanged). Callers must not
    modify the returned frames."""
    target = path or settings.duckdb_path()
    try:
        version = _version(target)
    except FileNotFoundError:
        version = (0.0, 0.0)
    return _cached(target, version, tuple(queries))


def fetch_one(sql: str, path: Path | None = None, **params: object) -> pd.DataFrame:
    """One query; see `fetch`."""
    (frame,) = fetch(Query.of(sql, **params), path=path)
    return frame


def options(frame: pd.DataFrame, column: str) -> Sequence[str]:
    """The distinct non-null values of a column, sorted, as strings."""
    return sorted(str(value) for value in frame[column].dropna().unique())


def as_params(values: Mapping[str, object]) -> dict[str, object]:
    return dict(values)
